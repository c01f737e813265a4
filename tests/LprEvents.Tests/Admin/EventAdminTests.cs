using System.Net;
using System.Text;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LprEvents.Tests.Admin;

public sealed class EventAdminTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<(int Id, Participant First)> LeipzigAsync()
    {
        await using var scope = _factory.CreateDbScope();
        var e = await scope.Db.Events.SingleAsync(x => x.Title.StartsWith("Fachtag"), TestContext.Current.CancellationToken);
        var first = await scope.Db.Participants.Where(p => p.EventId == e.Id && p.Status == ParticipantStatus.Confirmed).OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Id).FirstAsync(TestContext.Current.CancellationToken);
        return (e.Id, first);
    }

    [Fact]
    public async Task CheckIn_MarksThePersonPresentAndIsLogged()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (id, first) = await LeipzigAsync();

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{id}/einlass", [], $"#p{first.Id} form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = _factory.CreateDbScope();
        var stored = await scope.Db.Participants.SingleAsync(p => p.Id == first.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ParticipantStatus.Attended, stored.Status);
        Assert.NotNull(stored.CheckedInAtUtc);
        var entityId = first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await scope.Db.AuditLog.AnyAsync(a => a.Action == "checked-in" && a.EntityId == entityId, TestContext.Current.CancellationToken));
        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/einlass");
        Assert.StartsWith("✓", page.Text($"#p{first.Id} button"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCsvAndXlsx_HoldEveryParticipantInGermanColumnsAndAreLogged()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (id, first) = await LeipzigAsync();

        var csv = await editor.Client.GetAsync(new Uri($"/admin/veranstaltungen/{id}/export.csv", UriKind.Relative), TestContext.Current.CancellationToken);
        var bytes = await csv.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("Nachname;Vorname;E-Mail;Organisation;Art der Organisation", lines[0], StringComparison.Ordinal);
        Assert.Equal(29, lines.Length);
        Assert.StartsWith($"{first.LastName};{first.FirstName};{first.Email};", lines[1], StringComparison.Ordinal);

        var xlsx = await editor.Client.GetAsync(new Uri($"/admin/veranstaltungen/{id}/export.xlsx", UriKind.Relative), TestContext.Current.CancellationToken);
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(28, rows.Count);
        Assert.Equal(first.Email, rows[0]["E-Mail"]);
        Assert.Equal("bestätigt", rows[0]["Status"]);

        await using var scope = _factory.CreateDbScope();
        Assert.Equal(2, await scope.Db.AuditLog.CountAsync(a => a.Action == "exported" && a.UserName == editor.Email, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Statistics_ShowStaffExactCounts_RegisteredAndAttended()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (id, first) = await LeipzigAsync();
        await editor.PostFormAsync($"/admin/veranstaltungen/{id}/einlass", [], $"#p{first.Id} form");

        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/statistik");

        Assert.DoesNotContain("< 3", page.Texts("td.num"));
        Assert.Equal(["Art", "Angemeldet", "Anwesend"], page.Texts("section[aria-labelledby=art] th"));
        var cells = page.Texts("section[aria-labelledby=art] td.num").Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(cells.Where((_, i) => i % 2 == 0), c => c is 1 or 2);
        Assert.Equal(25, cells.Where((_, i) => i % 2 == 0).Sum());
        Assert.Equal(1, cells.Where((_, i) => i % 2 == 1).Sum());
        Assert.Equal(["25angemeldet mit Platz", "1anwesend"], page.Texts(".counts li"));
    }

    [Fact]
    public async Task AttendanceList_HasASignatureColumnAndThePhotoConsent()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (id, _) = await LeipzigAsync();

        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/anwesenheitsliste");

        Assert.Equal(["Nr.", "Name", "Organisation", "Fotos erlaubt", "Unterschrift"], page.Texts("table thead th"));
        Assert.Equal(25, page.QuerySelectorAll("table tbody tr").Length);
        Assert.Contains("NEIN", page.Texts("table tbody td"));
    }

    [Fact]
    public async Task WriteReport_OnAPastEvent_CreatesALinkedDraftWithFactsAndProgram()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Events.Where(e => e.Slug == "vernetzungstreffen-freiberg-2023").Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{id}/teilnehmende", [], "form[action$='/bericht']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var check = _factory.CreateDbScope();
        var draft = await check.Db.Articles.Include(a => a.Regions).OrderByDescending(a => a.Id).FirstAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ArticleStatus.Draft, draft.Status);
        Assert.Equal(id, draft.EventId);
        Assert.Contains("Donnerstag, 20. April 2023", draft.Body, StringComparison.Ordinal);
        Assert.Contains("Impuls: Die Projekt-Canvas-Methode", draft.Body, StringComparison.Ordinal);
        Assert.Equal(3, draft.Regions.Count);
        Assert.Equal($"/admin/beitraege/{draft.Id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CancelEvent_EmailsEveryoneRegistered()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (id, first) = await LeipzigAsync();

        var (_, participantsPage) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/teilnehmende");
        Assert.Equal($"/admin/veranstaltungen/{id}/absagen", participantsPage.QuerySelector("a.button--danger[href$='/absagen']:not([href*='/teilnehmende/'])")?.GetAttribute("href"));
        var (_, confirm) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/absagen");
        Assert.Contains("Alle 28 Angemeldeten erhalten eine E-Mail", confirm.BodyText(), StringComparison.Ordinal);
        await using (var before = _factory.CreateDbScope())
        {
            Assert.Equal(EventStatus.Published, (await before.Db.Events.SingleAsync(x => x.Id == id, TestContext.Current.CancellationToken)).Status);
        }

        await editor.PostFormAsync($"/admin/veranstaltungen/{id}/absagen", [], "main form");
        await new RegistrationDriver(_factory).DeliverMailAsync();

        var mails = Mailbox.Read(_factory.MailFolder);
        Assert.Equal(28, mails.Count(m => (m.Subject ?? "").StartsWith("Abgesagt", StringComparison.Ordinal)));
        Assert.Contains(mails, m => m.To.Mailboxes.Single().Address == first.Email);
    }

    [Fact]
    public async Task WriteReport_BeforeTheEvent_IsShownDisabledWithTheReason_AfterwardsCountsOnlyCheckedInPeople()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var driver = new RegistrationDriver(_factory);
        var e = await driver.AddEventAsync("test-bericht-einlass", capacity: 10, waitingList: false, ("Stadtfeste", 5), ("Jugend", 5));
        foreach (var email in new[] { "da@example.org", "nicht-da-1@example.org", "nicht-da-2@example.org" })
        {
            await driver.RegisterAndConfirmAsync(e.Slug, email);
        }

        await using (var scope = _factory.CreateDbScope())
        {
            var present = await scope.Db.Participants.SingleAsync(p => p.Email == "da@example.org", TestContext.Current.CancellationToken);
            present.Status = ParticipantStatus.Attended;
            await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var (_, before) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende");
        var disabled = before.QuerySelectorAll("button[disabled]").Single(b => Html.Normalise(b.TextContent) == "Bericht schreiben");
        Assert.Equal(
            "Möglich, sobald die Veranstaltung vorbei ist: Der Entwurf zählt dann, wer beim Einlass eingecheckt wurde.",
            before.Text("#" + disabled.GetAttribute("aria-describedby")));
        Assert.Null(before.QuerySelector("form[action$='/bericht']"));

        _factory.Time.Advance(TimeSpan.FromDays(21));
        editor = await AdminSession.SignInAsync(_factory);
        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende", [], "form[action$='/bericht']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var check = _factory.CreateDbScope();
        var draft = await check.Db.Articles.Where(a => a.EventId == e.Id).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Contains("1 Person nahm teil", draft.Body, StringComparison.Ordinal);
        Assert.Contains("In 2 Kleingruppen ging es um „Stadtfeste“ und „Jugend“.", draft.Body, StringComparison.Ordinal);
        Assert.Contains(" im Rathaus Chemnitz statt.", draft.Body, StringComparison.Ordinal);
        Assert.Equal("bericht-testtreffen-test-bericht-einlass-" + BerlinTime.ToLocal(e.StartsAtUtc).Year.ToString(System.Globalization.CultureInfo.InvariantCulture), draft.Slug);
        Assert.StartsWith("Am ", draft.Teaser, StringComparison.Ordinal);
        Assert.EndsWith("trafen sich Fachleute in Chemnitz.", draft.Teaser, StringComparison.Ordinal);
    }
}
