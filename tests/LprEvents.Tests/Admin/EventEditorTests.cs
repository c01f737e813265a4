using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Admin;

public sealed class EventEditorTests : IDisposable
{
    private readonly CommandHook _hook = new();
    private readonly InterceptingWebFactory _factory;

    public EventEditorTests() => _factory = new InterceptingWebFactory(_hook);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Create_WithAProgram_IsPublishedWithRegistrationOpen()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var response = await editor.PostFormAsync("/admin/veranstaltungen/neu", new()
        {
            ["Title"] = "Vernetzungstreffen Nordsachsen",
            ["Kind"] = "Vernetzungstreffen",
            ["Status"] = "Published",
            ["Date"] = "2026-06-16",
            ["StartTime"] = "09:30",
            ["EndTime"] = "15:00",
            ["VenueName"] = "Landratsamt Torgau, Saal",
            ["VenuePostcode"] = "04860",
            ["VenueCity"] = "Torgau",
            ["Capacity"] = "30",
            ["RegistrationOpens"] = "2026-03-01T08:00",
            ["RegistrationCloses"] = "2026-06-09T23:59",
        }, "#veranstaltung-formular");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var editPath = response.Headers.Location!.OriginalString;

        var added = await editor.PostFormAsync(editPath, new()
        {
            ["NewSession.Start"] = "13:00",
            ["NewSession.End"] = "14:30",
            ["NewSession.Title"] = "Kleingruppe: Sicherheit im Bahnhofsumfeld",
            ["NewSession.Kind"] = "SmallGroup",
            ["NewSession.Capacity"] = "15",
        }, "form[action$='/programm']");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var (page, doc) = await _factory.CreateClient().GetPageAsync("/veranstaltungen/vernetzungstreffen-nordsachsen-2026");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Dienstag, 16. Juni 2026, 09:30 bis 15:00 Uhr", doc.Text(".facts--event"), StringComparison.Ordinal);
        Assert.Equal("Noch 30 von 30 Plätzen frei", doc.Text(".registration-box .state__places"));
        Assert.Equal("Kleingruppe: Sicherheit im Bahnhofsumfeld", doc.Text(".program__title"));
    }

    [Fact]
    public async Task SessionMaterials_UploadedAsPdf_AreLinkedInThePublicProgram()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int pdfId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var library = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Services.Media.MediaLibrary>();
            var pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
            var result = await library.UploadAsync(new MemoryStream(pdf), pdf.Length, "Folien Projekt-Canvas.pdf", "", "", "LPR Sachsen", TestContext.Current.CancellationToken);
            pdfId = result.Asset!.Id;
        }

        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Events.Where(e => e.Title.StartsWith("Vernetzungstreffen Dresden")).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        await editor.PostFormAsync($"/admin/veranstaltungen/{id}/bearbeiten", new()
        {
            ["NewSession.Start"] = "15:00",
            ["NewSession.End"] = "15:15",
            ["NewSession.Title"] = "Abschluss mit Folien",
            ["NewSession.Kind"] = "Plenary",
            ["NewSession.MaterialsId"] = pdfId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "form[action$='/programm']");

        var client = _factory.CreateClient();
        var (_, list) = await client.GetPageAsync("/veranstaltungen");
        var slug = list.QuerySelectorAll(".card__title a").First(a => a.TextContent.StartsWith("Vernetzungstreffen Dresden", StringComparison.Ordinal)).GetAttribute("href")!;
        var (_, page) = await client.GetPageAsync(slug);
        var link = page.QuerySelector(".program__materials a")!;
        Assert.Equal("Material zu „Abschluss mit Folien“ (PDF)", Html.Normalise(link.TextContent));
        var pdfResponse = await client.GetAsync(new Uri(link.GetAttribute("href")!, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Create_WithMissingFields_ExplainsInGermanAndKeepsTheInput()
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync("/admin/veranstaltungen/neu", new() { ["Title"] = "Ohne Datum", ["VenuePostcode"] = "123" }, "#veranstaltung-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Bitte geben Sie das Datum an.", page.Texts(".error-summary li"));
        Assert.Contains("Die Postleitzahl hat fünf Ziffern.", page.Texts(".error-summary li"));
        Assert.Equal("Ohne Datum", page.QuerySelector("#Title")?.GetAttribute("value"));
    }

    [Fact]
    public async Task MovingTheDate_EmailsTheParticipants()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Events.Where(e => e.Title.StartsWith("Fachtag")).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var (_, form) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/bearbeiten");
        var newDate = DateOnly.ParseExact(form.QuerySelector("#Date")!.GetAttribute("value")!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(7);
        var response = await editor.PostAsync($"/admin/veranstaltungen/{id}/bearbeiten", form, new() { ["Date"] = newDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, form.QuerySelector("#veranstaltung-formular"));
        await new RegistrationDriver(_factory).DeliverMailAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var changed = Mailbox.Read(_factory.MailFolder).Where(m => (m.Subject ?? "").StartsWith("Geändert", StringComparison.Ordinal)).ToList();
        Assert.Equal(28, changed.Count);
        Assert.Contains("Neuer Termin", changed[0].TextBody, StringComparison.Ordinal);
        await using var check = _factory.CreateDbScope();
        var e = await check.Db.Events.Include(x => x.Sessions).SingleAsync(x => x.Id == id, TestContext.Current.CancellationToken);
        Assert.All(e.Sessions, s => Assert.Equal(LprEvents.Web.Services.BerlinTime.ToLocal(e.StartsAtUtc).Date, LprEvents.Web.Services.BerlinTime.ToLocal(s.StartsAtUtc).Date));
    }

    [Fact]
    public async Task CopyLastYearsMeeting_CreatesADraftOneYearLaterWithTheProgram()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Events.Where(e => e.Slug == "vernetzungstreffen-freiberg-2023").Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{id}/bearbeiten", [], "form[action$='/kopieren']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var check = _factory.CreateDbScope();
        var copy = await check.Db.Events.Include(e => e.Sessions).Include(e => e.Regions).OrderByDescending(e => e.Id).FirstAsync(TestContext.Current.CancellationToken);
        Assert.Equal(EventStatus.Draft, copy.Status);
        Assert.Equal("vernetzungstreffen-chemnitz-mittelsachsen-und-erzgebirge-2024", copy.Slug);
        Assert.Equal("Donnerstag, 18. April 2024, 09:30 bis 15:00 Uhr", LprEvents.Web.Services.BerlinTime.Range(copy.StartsAtUtc, copy.EndsAtUtc));
        Assert.Equal(7, copy.Sessions.Count);
        Assert.Equal(3, copy.Regions.Count);
        Assert.False(await check.Db.Participants.AnyAsync(p => p.EventId == copy.Id, TestContext.Current.CancellationToken));
    }

    private static Dictionary<string, string> NewEvent(string title, string date, string start, string end) => new()
    {
        ["Title"] = title,
        ["Kind"] = "Vernetzungstreffen",
        ["Status"] = "Draft",
        ["Date"] = date,
        ["StartTime"] = start,
        ["EndTime"] = end,
        ["VenueName"] = "Rathaus Zittau",
        ["VenuePostcode"] = "02763",
        ["VenueCity"] = "Zittau",
    };

    private const string SpringGapMessage = "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht: Die Uhren springen um 02:00 Uhr auf 03:00 Uhr vor. Bitte wählen Sie eine andere Uhrzeit.";

    /// <summary>29 March 2026, the night summer time begins: 02:00 to 02:59 do not exist in Berlin.</summary>
    [Theory]
    [InlineData("StartTime", "02:30", "RegistrationOpens", "")]
    [InlineData("EndTime", "02:59", "RegistrationOpens", "")]
    [InlineData("RegistrationOpens", "", "RegistrationOpens", "2026-03-29T02:15")]
    [InlineData("RegistrationCloses", "", "RegistrationCloses", "2026-03-29T02:00")]
    public async Task Save_WithATimeThatDoesNotExistBecauseOfTheClockChange_ExplainsItNextToTheFieldAndKeepsTheInput(string field, string time, string registrationField, string registrationValue)
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var fields = NewEvent("Nachtwanderung zur Zeitumstellung", "2026-03-29", "01:00", "05:00");
        if (time.Length > 0)
        {
            fields[field] = time;
        }

        fields[registrationField] = registrationValue;

        var response = await editor.PostFormAsync("/admin/veranstaltungen/neu", fields, "#veranstaltung-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"Fehler: {SpringGapMessage}", page.Text($"#{field}-fehler"));
        Assert.Contains(SpringGapMessage, page.Texts(".error-summary li"));
        Assert.Equal("true", page.QuerySelector($"#{field}")?.GetAttribute("aria-invalid"));
        Assert.Equal(time.Length > 0 ? time : registrationValue, page.QuerySelector($"#{field}")?.GetAttribute("value"));
        Assert.Equal("Nachtwanderung zur Zeitumstellung", page.QuerySelector("#Title")?.GetAttribute("value"));
        await using var scope = _factory.CreateDbScope();
        Assert.False(await scope.Db.Events.AnyAsync(e => e.Title == "Nachtwanderung zur Zeitumstellung", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Save_WithAnEndDateOnTheNightOfTheClockChange_ChecksTheEndTimeOnThatDay()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var fields = NewEvent("Zwei Tage Zukunftswerkstatt", "2026-03-28", "10:00", "02:30");
        fields["EndDate"] = "2026-03-29";

        var response = await editor.PostFormAsync("/admin/veranstaltungen/neu", fields, "#veranstaltung-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"Fehler: {SpringGapMessage}", page.Text("#EndTime-fehler"));
    }

    /// <summary>
    /// 25 October 2026, the night summer time ends: 02:00 to 02:59 happen twice. The rule: the first time, still in
    /// summer time (UTC+2), because an event at "02:30" starts when the clock first shows 02:30.
    /// </summary>
    [Fact]
    public async Task Save_WithATimeThatOccursTwiceBecauseOfTheClockChange_TakesTheFirstOccurrence()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var fields = NewEvent("Nachtschicht zur Zeitumstellung", "2026-10-25", "02:30", "04:00");
        fields["RegistrationCloses"] = "2026-10-25T02:15";

        var response = await editor.PostFormAsync("/admin/veranstaltungen/neu", fields, "#veranstaltung-formular");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using (var scope = _factory.CreateDbScope())
        {
            var e = await scope.Db.Events.SingleAsync(x => x.Title == "Nachtschicht zur Zeitumstellung", TestContext.Current.CancellationToken);
            Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), e.StartsAtUtc);
            Assert.Equal(new DateTime(2026, 10, 25, 3, 0, 0, DateTimeKind.Utc), e.EndsAtUtc);
            Assert.Equal(new DateTime(2026, 10, 25, 0, 15, 0, DateTimeKind.Utc), e.RegistrationClosesAtUtc);
        }

        var (_, page) = await editor.Client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("02:30", page.QuerySelector("#StartTime")?.GetAttribute("value"));
        Assert.Equal("2026-10-25T02:15", page.QuerySelector("#RegistrationCloses")?.GetAttribute("value"));
    }

    [Fact]
    public async Task AddSession_AtATimeThatDoesNotExistOnTheEventsDay_IsRefusedInGerman()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var created = await editor.PostFormAsync("/admin/veranstaltungen/neu", NewEvent("Lange Nacht der Prävention", "2026-03-29", "00:30", "06:00"), "#veranstaltung-formular");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var response = await editor.PostFormAsync(created.Headers.Location!.OriginalString, new()
        {
            ["NewSession.Start"] = "02:15",
            ["NewSession.End"] = "03:30",
            ["NewSession.Title"] = "Rundgang im Dunkeln",
            ["NewSession.Kind"] = "Talk",
        }, "form[action$='/programm']");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(SpringGapMessage, page.Texts(".error-summary li"));
        Assert.Equal($"Fehler: {SpringGapMessage}", page.Text("#NewSession_Start-fehler"));
        Assert.Equal("02:15", page.QuerySelector("#NewSession_Start")?.GetAttribute("value"));
        Assert.Equal("Rundgang im Dunkeln", page.QuerySelector("#NewSession_Title")?.GetAttribute("value"));
    }

    [Fact]
    public async Task TwoEditorsSavingTheSameEventVersion_TheSecondSeesTheConflictPageAndLosesNothing()
    {
        var first = await AdminSession.SignInAsync(_factory);
        var second = await AdminSession.SignInAsync(_factory);
        var id = await DresdenAsync();
        var path = $"/admin/veranstaltungen/{id}/bearbeiten";
        var (_, pageOfFirst) = await first.Client.GetPageAsync(path);
        var (_, pageOfSecond) = await second.Client.GetPageAsync(path);

        var saved = await first.PostAsync(path, pageOfFirst, new() { ["Title"] = "Vernetzungstreffen Dresden (neuer Titel)" }, pageOfFirst.QuerySelector("#veranstaltung-formular"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var conflict = await second.PostAsync(path, pageOfSecond, new() { ["VenueName"] = "Rathaus Dresden, Festsaal" }, pageOfSecond.QuerySelector("#veranstaltung-formular"));
        var conflictPage = Html.Parse(await conflict.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("Jemand anderes hat die Veranstaltung inzwischen geändert", conflictPage.Text("h1"));
        Assert.Contains("Rathaus Dresden, Festsaal", conflictPage.Texts(".conflict td.conflict__mine"));
        Assert.Contains("Vernetzungstreffen Dresden (neuer Titel)", conflictPage.Texts(".conflict td.conflict__theirs"));

        var resolved = await second.PostAsync(path, conflictPage, [], conflictPage.QuerySelector("main form"));
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);
        await using var check = _factory.CreateDbScope();
        var stored = await check.Db.Events.SingleAsync(e => e.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal("Rathaus Dresden, Festsaal", stored.VenueName);
    }

    [Fact]
    public async Task SavingAnEvent_ChangedByAnotherEditorBetweenCheckAndWrite_ShowsTheConflictPageAndSavesNothing()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var id = await DresdenAsync();
        string original;
        await using (var scope = _factory.CreateDbScope())
        {
            original = await scope.Db.Events.Where(e => e.Id == id).Select(e => e.Title).SingleAsync(TestContext.Current.CancellationToken);
        }

        // The other editor's save lands after this one's version check, just before its UPDATE.
        _hook.BeforeCommand(c => c.CommandText.StartsWith("UPDATE \"Events\" SET", StringComparison.Ordinal), async (c, ct) =>
        {
            await using var other = c.Connection!.CreateCommand();
            other.Transaction = c.Transaction;
            other.CommandText = $"UPDATE \"Events\" SET \"Version\" = '{Guid.NewGuid().ToString().ToUpperInvariant()}' WHERE \"Id\" = {id}";
            await other.ExecuteNonQueryAsync(ct);
        });
        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{id}/bearbeiten", new() { ["Title"] = "Vernetzungstreffen Dresden (verloren?)" }, "#veranstaltung-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.True(_hook.Fired);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Jemand anderes hat die Veranstaltung inzwischen geändert", page.Text("h1"));
        Assert.Equal("Vernetzungstreffen Dresden (verloren?)", page.QuerySelector("main form input[name=Title]")?.GetAttribute("value"));
        await using var check = _factory.CreateDbScope();
        Assert.Equal(original, await check.Db.Events.Where(e => e.Id == id).Select(e => e.Title).SingleAsync(TestContext.Current.CancellationToken));
    }

    private async Task<int> DresdenAsync()
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.Events.Where(e => e.Title.StartsWith("Vernetzungstreffen Dresden")).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
    }
}
