using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;

namespace LprEvents.Tests.Registration;

/// <summary>Who holds a seat is one rule: confirmed, and still so after checking in at the door.</summary>
public sealed class SeatRuleTests : IDisposable
{
    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public SeatRuleTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ChangeSessions_IntoAGroupWhoseMembersAreCheckedIn_IsRefusedAsFull()
    {
        var e = await _driver.AddEventAsync("test-eingecheckt", capacity: 10, waitingList: true, ("Gruppe A", 2), ("Gruppe B", 5));
        var form = await _driver.FormAsync(e.Slug);
        var groupA = form.QuerySelectorAll("input[name='Sessions[0]']")[0].GetAttribute("value")!;
        var groupB = form.QuerySelectorAll("input[name='Sessions[0]']")[1].GetAttribute("value")!;
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupA });
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "c@example.org", new() { ["Sessions[0]"] = groupB });
        var editor = await AdminSession.SignInAsync(_factory);
        foreach (var email in new[] { "a@example.org", "b@example.org" })
        {
            var member = await _driver.ParticipantAsync(email);
            var checkedIn = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass", [], $"#p{member.Id} form");
            Assert.Equal(HttpStatusCode.Redirect, checkedIn.StatusCode);
            Assert.Equal(ParticipantStatus.Attended, (await _driver.ParticipantAsync(email)).Status);
        }

        var change = await _driver.PostPrivateAsync(path, "programm", new() { ["sessions[0]"] = groupA });

        Assert.EndsWith("hinweis=gruppe-voll", change.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var (_, page) = await _driver.Client.GetPageAsync(change.Headers.Location!.OriginalString);
        Assert.Contains("Diese Kleingruppe ist inzwischen voll. Ihre bisherige Auswahl bleibt bestehen.", page.BodyText(), StringComparison.Ordinal);
        Assert.Equal(groupB, (await _driver.ParticipantAsync("c@example.org")).Sessions.Single().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, (await _driver.ParticipantsAsync(e.Id)).Count(p => p.Sessions.Any(s => s.Title == "Gruppe A")));
    }
}
