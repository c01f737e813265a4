using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>Editing a program item in the event editor, with the seats of small groups people chose.</summary>
public sealed class ProgramEditTests : IDisposable
{
    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public ProgramEditTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    private async Task<(Event Event, int GroupA, string GroupAValue)> EventAsync(string slug, int groupCapacity)
    {
        var e = await _driver.AddEventAsync(slug, 10, waitingList: true, ("Gruppe A", groupCapacity), ("Gruppe B", 5));
        var id = e.Sessions.Single(s => s.Title == "Gruppe A").Id;
        return (e, id, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<Session> SessionAsync(int id)
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task EditSession_OfAnItemNobodyChose_ChangesTitleRoomAndTime()
    {
        var (e, groupA, _) = await EventAsync("programm-aendern", 5);
        var editor = await AdminSession.SignInAsync(_factory);
        var (_, editorPage) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/bearbeiten");
        Assert.Equal($"/admin/veranstaltungen/{e.Id}/programm/{groupA}/bearbeiten", editorPage.QuerySelector($"a[href$='/programm/{groupA}/bearbeiten']")?.GetAttribute("href"));

        var response = await editor.PostFormAsync(
            $"/admin/veranstaltungen/{e.Id}/programm/{groupA}/bearbeiten",
            new() { ["Title"] = "Gruppe A: Prävention im Quartier", ["Room"] = "Raum 2.14", ["Start"] = "14:00", ["End"] = "15:30" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await SessionAsync(groupA);
        Assert.Equal("Gruppe A: Prävention im Quartier", stored.Title);
        Assert.Equal("Raum 2.14", stored.Room);
        Assert.Equal("14:00 bis 15:30 Uhr", LprEvents.Web.Services.BerlinTime.TimeRange(stored.StartsAtUtc, stored.EndsAtUtc));
        var (_, after) = await editor.Client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("„Gruppe A: Prävention im Quartier“ ist gespeichert.", after.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditSession_MorePlacesInAFullGroup_MovesTheWaitingListUp()
    {
        var (e, groupA, value) = await EventAsync("programm-mehr-plaetze", 1);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = value });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = value });
        Assert.Equal(ParticipantStatus.WaitingList, (await _driver.ParticipantAsync("b@example.org")).Status);
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/programm/{groupA}/bearbeiten", new() { ["Capacity"] = "2" });
        await _driver.DeliverMailAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ParticipantStatus.Confirmed, (await _driver.ParticipantAsync("b@example.org")).Status);
        Assert.Contains(Mailbox.To(_factory.MailFolder, "b@example.org"), m => (m.Subject ?? "").StartsWith("Sie sind nachgerückt", StringComparison.Ordinal));
        var (_, after) = await editor.Client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("1 Personen sind von der Warteliste nachgerückt", after.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditSession_FewerPlacesThanPeopleInTheGroup_IsRefusedAndChangesNothing()
    {
        var (e, groupA, value) = await EventAsync("programm-weniger-plaetze", 5);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = value });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = value });
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/programm/{groupA}/bearbeiten", new() { ["Capacity"] = "1", ["Title"] = "Neuer Titel" });
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["Diese Kleingruppe haben 2 Personen mit Platz gewählt: Sie braucht mindestens 2 Plätze."], page.Texts(".error-summary li"));
        Assert.Equal("Neuer Titel", page.QuerySelector("#Title")?.GetAttribute("value"));
        var stored = await SessionAsync(groupA);
        Assert.Equal((5, "Gruppe A"), (stored.Capacity, stored.Title));
    }

    [Fact]
    public async Task EditSession_TimeOfAChosenGroup_IsRefused()
    {
        var (e, groupA, value) = await EventAsync("programm-zeit-gewaehlt", 5);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = value });
        var before = await SessionAsync(groupA);
        var editor = await AdminSession.SignInAsync(_factory);
        var (_, form) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/programm/{groupA}/bearbeiten");
        Assert.Contains("1 Personen haben diese Kleingruppe gewählt.", form.BodyText(), StringComparison.Ordinal);

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/programm/{groupA}/bearbeiten", new() { ["Start"] = "16:00", ["End"] = "17:00" });
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Ihre Zeit lässt sich nicht mehr ändern", page.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal(before.StartsAtUtc, (await SessionAsync(groupA)).StartsAtUtc);
    }
}
