using System.Net;
using System.Text;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>What the staff running a networking meeting sees: small groups everywhere, waiting list, printouts.</summary>
public sealed class MeetingDeskTests : IDisposable
{
    private const string GroupA = "Gruppe A (13:00 bis 14:00 Uhr)";

    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public MeetingDeskTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    private async Task<(Event Event, string GroupA, string GroupB)> GroupsEventAsync(string slug, int capacity, int groupCapacity = 5)
    {
        var e = await _driver.AddEventAsync(slug, capacity, waitingList: true, ("Gruppe A", groupCapacity), ("Gruppe B", groupCapacity));
        var form = await _driver.FormAsync(e.Slug);
        var radios = form.QuerySelectorAll("input[name='Sessions[0]']");
        return (e, radios[0].GetAttribute("value")!, radios[1].GetAttribute("value")!);
    }

    private static string Unfolded(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    [Fact]
    public async Task ConfirmationMail_NamesTheChosenSmallGroup_InTextHtmlAndCalendarFile()
    {
        var (e, groupA, _) = await GroupsEventAsync("desk-bestaetigt", 10);

        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });

        var mail = Mailbox.To(_factory.MailFolder, "a@example.org").Single(m => (m.Subject ?? "").StartsWith("Anmeldung bestätigt", StringComparison.Ordinal));
        Assert.Contains($"Ihre Kleingruppe: {GroupA}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ihre Kleingruppe</th>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Ihre Kleingruppe: {GroupA}", Unfolded(Mailbox.Text(Mailbox.Calendar(mail)!)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MovedUpAndReminderMails_NameTheChosenSmallGroup()
    {
        var (e, groupA, groupB) = await GroupsEventAsync("desk-nachgerueckt", 1);
        var first = await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupB });
        Assert.Equal(ParticipantStatus.WaitingList, (await _driver.ParticipantAsync("b@example.org")).Status);

        await _driver.PostPrivateAsync(first, "abmelden");
        await _driver.DeliverMailAsync();
        _factory.Time.Advance(TimeSpan.FromDays(19.5));
        await _driver.RunMaintenanceAsync();
        await _driver.DeliverMailAsync();

        var mails = Mailbox.To(_factory.MailFolder, "b@example.org");
        var movedUp = mails.Single(m => (m.Subject ?? "").StartsWith("Sie sind nachgerückt", StringComparison.Ordinal));
        var reminder = mails.Single(m => (m.Subject ?? "").StartsWith("Erinnerung", StringComparison.Ordinal));
        Assert.Contains("Ihre Kleingruppe: Gruppe B (13:00 bis 14:00 Uhr)", movedUp.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ihre Kleingruppe: Gruppe B (13:00 bis 14:00 Uhr)", Unfolded(Mailbox.Text(Mailbox.Calendar(movedUp)!)), StringComparison.Ordinal);
        Assert.Contains("Ihre Kleingruppe: Gruppe B (13:00 bis 14:00 Uhr)", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ihre Kleingruppe: Gruppe B (13:00 bis 14:00 Uhr)", Unfolded(Mailbox.Text(Mailbox.Calendar(reminder)!)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarDownloadOfThePrivatePage_NamesTheSmallGroup()
    {
        var (e, groupA, _) = await GroupsEventAsync("desk-kalender", 10);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });

        var (_, page) = await _driver.Client.GetPageAsync(path);
        var ics = await _driver.Client.GetStringAsync(new Uri($"{path}/kalender.ics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("Gruppe A", page.BodyText(), StringComparison.Ordinal);
        Assert.Contains($"Ihre Kleingruppe: {GroupA}", Unfolded(ics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadgesAndAttendanceList_ShowTheSmallGroup_AndTheListCanBeSplitPerGroup()
    {
        var (e, groupA, groupB) = await GroupsEventAsync("desk-druck", 10);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupB });
        await _driver.RegisterAndConfirmAsync(e.Slug, "c@example.org", new() { ["Sessions[0]"] = groupB });
        var editor = await AdminSession.SignInAsync(_factory);

        var (_, badges) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/namensschilder");
        var (_, list) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/anwesenheitsliste");
        var (_, split) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/anwesenheitsliste?nach=kleingruppen");

        var (_, door) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/einlass");

        Assert.Equal(["Kleingruppe: Gruppe A", "Kleingruppe: Gruppe B", "Kleingruppe: Gruppe B"], badges.Texts(".badge-card__group").Order(StringComparer.Ordinal));
        Assert.Equal(["Kleingruppe: Gruppe A", "Kleingruppe: Gruppe B", "Kleingruppe: Gruppe B"], door.Texts(".checkin-group").Order(StringComparer.Ordinal));
        Assert.Equal(["Nr.", "Name", "Organisation", "Kleingruppe", "Fotos erlaubt", "Unterschrift"], list.Texts("table thead th"));
        Assert.Equal("Nach Kleingruppen getrennt", list.Text("a[href$='?nach=kleingruppen']"));
        Assert.Equal(["Kleingruppe: Gruppe A (1)", "Kleingruppe: Gruppe B (2)"], split.Texts(".attendance-group h2"));
        Assert.Equal([1, 2], split.QuerySelectorAll(".attendance-group table").Select(t => t.QuerySelectorAll("tbody tr").Length));
    }

    [Fact]
    public async Task WhenTheEventIsFull_EveryGroupIsShownAsBookedUp_OnTheFormAndToThoseWaiting()
    {
        var (e, groupA, groupB) = await GroupsEventAsync("desk-voll", 1);
        var seatHolder = await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        var waiting = await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupB });

        var form = await _driver.FormAsync(e.Slug);
        var (_, waitingPage) = await _driver.Client.GetPageAsync(waiting);
        var (_, seatHolderPage) = await _driver.Client.GetPageAsync(seatHolder);

        Assert.Equal(
            ["ausgebucht – Sie kommen für diese Gruppe auf die Warteliste", "ausgebucht – Sie kommen für diese Gruppe auf die Warteliste"],
            form.Texts("[id$='-plaetze']"));
        Assert.Equal(["ausgebucht", "ausgebucht"], waitingPage.Texts("[id$='-plaetze']"));
        var (_, detail) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}");
        Assert.Equal(["Wählbar bei der Anmeldung, ausgebucht", "Wählbar bei der Anmeldung, ausgebucht"], detail.Texts(".program__places"));
        // Whoever already holds a seat may still switch into a group with places left.
        Assert.Equal("noch 5 von 5 Plätzen frei", seatHolderPage.Texts("[id$='-plaetze']")[1]);
    }

    [Fact]
    public async Task Promote_WhenTheEventIsFull_SaysSo()
    {
        var (e, groupA, groupB) = await GroupsEventAsync("desk-voll-nachruecken", 1);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupB });
        var waiting = await _driver.ParticipantAsync("b@example.org");
        var editor = await AdminSession.SignInAsync(_factory);

        await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende", [], $"form[action$='/{waiting.Id}/nachruecken']");
        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende");

        Assert.Contains("Die Veranstaltung ist voll: Alle 1 Plätze sind vergeben.", page.BodyText(), StringComparison.Ordinal);
        Assert.Equal(ParticipantStatus.WaitingList, (await _driver.ParticipantAsync("b@example.org")).Status);
    }

    [Fact]
    public async Task Promote_WhenOnlyTheChosenGroupIsFull_NamesTheGroup()
    {
        var (e, groupA, _) = await GroupsEventAsync("desk-gruppe-voll", 10, groupCapacity: 1);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupA });
        var waiting = await _driver.ParticipantAsync("b@example.org");
        Assert.Equal(ParticipantStatus.WaitingList, waiting.Status);
        var editor = await AdminSession.SignInAsync(_factory);

        await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende", [], $"form[action$='/{waiting.Id}/nachruecken']");
        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende");

        Assert.Contains("Die gewählte Kleingruppe „Gruppe A“ ist voll", page.BodyText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Die Veranstaltung ist voll", page.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitingListPosition_IsShownInTheListAndInBothExports()
    {
        var (e, groupA, _) = await GroupsEventAsync("desk-warteliste", 1);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "zz@example.org", new() { ["LastName"] = "Zander" });
        _factory.Time.Advance(TimeSpan.FromMinutes(5));
        await _driver.RegisterAndConfirmAsync(e.Slug, "aa@example.org", new() { ["LastName"] = "Albrecht" });
        var editor = await AdminSession.SignInAsync(_factory);

        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/teilnehmende?status=warteliste");
        var csv = Encoding.UTF8.GetString(await editor.Client.GetByteArrayAsync(new Uri($"/admin/veranstaltungen/{e.Id}/export.csv", UriKind.Relative), TestContext.Current.CancellationToken));
        using var xlsx = new MemoryStream(await editor.Client.GetByteArrayAsync(new Uri($"/admin/veranstaltungen/{e.Id}/export.xlsx", UriKind.Relative), TestContext.Current.CancellationToken));
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();

        Assert.Equal(["Warteliste · Platz 1", "Warteliste · Platz 2"], page.Texts("tbody tr td:nth-child(7)"));
        Assert.StartsWith("Zander", page.Text("tbody tr td"), StringComparison.Ordinal);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("Status;Platz auf der Warteliste;Angemeldet am", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Zander;", StringComparison.Ordinal) && l.Contains(";Warteliste;1;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Albrecht;", StringComparison.Ordinal) && l.Contains(";Warteliste;2;", StringComparison.Ordinal));
        Assert.Equal(2d, Convert.ToDouble(rows.Single(r => (string)r["Nachname"] == "Albrecht")["Platz auf der Warteliste"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task XlsxExport_HasRealGermanDateCellsAndColumnWidths()
    {
        var (e, groupA, _) = await GroupsEventAsync("desk-xlsx", 10);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        var editor = await AdminSession.SignInAsync(_factory);

        var bytes = await editor.Client.GetByteArrayAsync(new Uri($"/admin/veranstaltungen/{e.Id}/export.xlsx", UriKind.Relative), TestContext.Current.CancellationToken);
        using var stream = new MemoryStream(bytes);
        var row = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().Single();

        // The registration was made at the test clock's start: 10 March 2026, 09:00 UTC = 10:00 in Berlin.
        Assert.Equal(new DateTime(2026, 3, 10, 10, 0, 0), Assert.IsType<DateTime>(row["Angemeldet am"]));
        Assert.IsType<DateTime>(row["Bestätigt am"]);
        Assert.Equal("Gruppe A", row["Kleingruppen"]);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        string Part(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }

        Assert.Contains("formatCode=\"dd.MM.yyyy HH:mm\"", Part("xl/styles.xml"), StringComparison.Ordinal);
        var sheet = System.Xml.Linq.XDocument.Parse(Part("xl/worksheets/sheet1.xml"));
        System.Xml.Linq.XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var widths = sheet.Descendants(x + "col").Select(c => double.Parse(c.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(16, widths.Count);
        Assert.InRange(widths[2], 30, 31);
        var createdCell = sheet.Descendants(x + "row").ElementAt(1).Elements(x + "c").ElementAt(13);
        Assert.Null(createdCell.Attribute("t"));
        Assert.NotEqual("0", createdCell.Attribute("s")?.Value ?? "0");
    }

    [Fact]
    public async Task ParticipantsAndCheckInSearch_IgnoreCaseAndUmlautSpelling()
    {
        var e = await _driver.AddEventAsync("desk-suche", 10, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "s@example.org", new() { ["LastName"] = "Schäfer", ["Organisation"] = "ASSKomm Dresden" });
        await _driver.RegisterAndConfirmAsync(e.Slug, "w@example.org", new() { ["LastName"] = "Weiß" });
        await _driver.RegisterAndConfirmAsync(e.Slug, "k@example.org", new() { ["LastName"] = "Krause" });
        var editor = await AdminSession.SignInAsync(_factory);

        async Task<IReadOnlyList<string>> Found(string page, string search)
        {
            var (_, document) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/{page}?suche={Uri.EscapeDataString(search)}");
            return page == "einlass" ? document.Texts(".checkin-list li strong") : document.Texts("tbody tr td:first-child").Select(t => t.Split(',')[0]).ToList();
        }

        Assert.Equal(["Schäfer"], await Found("teilnehmende", "schaefer"));
        Assert.Equal(["Schäfer"], await Found("teilnehmende", "schafer"));
        Assert.Equal(["Schäfer"], await Found("teilnehmende", "asskomm"));
        Assert.Equal(["Weiß"], await Found("teilnehmende", "WEISS"));
        Assert.Equal(["Weiß, Anna"], await Found("einlass", "weiß"));
        Assert.Equal(["Schäfer, Anna"], await Found("einlass", "schafer"));
    }

    [Fact]
    public async Task AuditLog_ShowsGermanActionsAndAreas_AndFiltersByTheStoredKey()
    {
        var e = await _driver.AddEventAsync("desk-protokoll", 10, waitingList: true);
        var admin = await AdminSession.SignInAsync(_factory, LprEvents.Web.Configuration.IdentitySetup.AdminRole);
        await admin.Client.GetByteArrayAsync(new Uri($"/admin/veranstaltungen/{e.Id}/export.csv", UriKind.Relative), TestContext.Current.CancellationToken);

        var (_, page) = await admin.Client.GetPageAsync("/admin/protokoll?aktion=exported");

        var cells = page.Texts("tbody tr:first-child td");
        Assert.Equal("exportiert", cells[2]);
        Assert.Equal($"Veranstaltung {e.Id}", cells[3]);
        Assert.Equal("exportiert", page.Text("#aktion option[value=exported]"));
        Assert.Equal("exported", page.QuerySelector("#aktion option[selected]")?.GetAttribute("value"));
        await using var scope = _factory.CreateDbScope();
        Assert.True(await scope.Db.AuditLog.AnyAsync(a => a.Action == "exported" && a.EntityType == "Event", TestContext.Current.CancellationToken));
    }

    private static Dictionary<string, string> WalkInFields(string lastName) => new()
    {
        ["FirstName"] = "Jana",
        ["LastName"] = lastName,
        ["Organisation"] = "Polizeirevier Chemnitz-Süd",
        ["OrganisationType"] = "Polizei",
        ["PhotoConsent"] = "true",
    };

    [Fact]
    public async Task WalkIn_WithoutEmail_IsCheckedInAtOnceAndListed()
    {
        var e = await _driver.AddEventAsync("desk-vor-ort", 10, waitingList: true);
        var editor = await AdminSession.SignInAsync(_factory);
        var (_, door) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/einlass");
        Assert.Equal($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", door.QuerySelector("a[href$='/vor-ort']")?.GetAttribute("href"));

        var first = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", WalkInFields("Köhler"), "main form");
        var second = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", WalkInFields("Lange"), "main form");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var people = await _driver.ParticipantsAsync(e.Id);
        Assert.Equal(2, people.Count);
        Assert.All(people, p => Assert.Equal(ParticipantStatus.Attended, p.Status));
        Assert.All(people, p => Assert.Equal("", p.Email));
        var koehler = people.Single(p => p.LastName == "Köhler");
        Assert.Equal($"/admin/veranstaltungen/{e.Id}/einlass#p{koehler.Id}", first.Headers.Location?.OriginalString);
        var (_, after) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/einlass");
        Assert.Contains("Jana Lange ist aufgenommen und eingecheckt.", after.BodyText(), StringComparison.Ordinal);
        Assert.StartsWith("✓", after.Text($"#p{koehler.Id} button"), StringComparison.Ordinal);
        Assert.Contains("2 von 2 anwesend", after.BodyText(), StringComparison.Ordinal);
        await using var scope = _factory.CreateDbScope();
        Assert.Equal(2, await scope.Db.AuditLog.CountAsync(a => a.Action == "walk-in", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WalkIn_WhenTheEventIsFull_IsAddedOnlyAfterTheOrganiserConfirms()
    {
        var e = await _driver.AddEventAsync("desk-vor-ort-voll", 1, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org");
        var editor = await AdminSession.SignInAsync(_factory);
        var (_, form) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort");
        Assert.Contains("Achtung: Alle 1 Plätze sind vergeben (1 Personen mit Platz).", form.BodyText(), StringComparison.Ordinal);

        var refused = await editor.PostAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", form, WalkInFields("Köhler"), form.QuerySelector("main form"));
        var refusedPage = Html.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Alle Plätze sind vergeben. Bestätigen Sie, dass die Person trotzdem teilnimmt.", refusedPage.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Single(await _driver.ParticipantsAsync(e.Id));

        var fields = WalkInFields("Köhler");
        fields["BeyondCapacity"] = "true";
        var accepted = await editor.PostAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", form, fields, form.QuerySelector("main form"));

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(2, (await _driver.ParticipantsAsync(e.Id)).Count(p => p.HoldsSeat));
    }

    [Fact]
    public async Task WalkIn_WithoutName_ShowsTheErrorsAndSavesNothing()
    {
        var e = await _driver.AddEventAsync("desk-vor-ort-fehler", 10, waitingList: true);
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", new() { ["LastName"] = "", ["OrganisationType"] = "" }, "main form");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["Bitte geben Sie den Vornamen an.", "Bitte geben Sie den Nachnamen an.", "Bitte wählen Sie die Art der Organisation."], page.Texts(".error-summary li"));
        Assert.Empty(await _driver.ParticipantsAsync(e.Id));
    }

    [Fact]
    public async Task CancellingTheEvent_EmailsTheRegisteredButNotTheWalkIns()
    {
        var e = await _driver.AddEventAsync("desk-vor-ort-absage", 10, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org");
        var editor = await AdminSession.SignInAsync(_factory);
        await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass/vor-ort", WalkInFields("Köhler"), "main form");

        await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/absagen", [], "main form");

        await using var scope = _factory.CreateDbScope();
        var cancelled = await scope.Db.OutboxMessages.Where(m => m.Kind == "event-cancelled").Select(m => m.ToAddress).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["a@example.org"], cancelled);
    }

    [Fact]
    public async Task CheckIn_CanBeUndoneAtTheDoor()
    {
        var e = await _driver.AddEventAsync("desk-zuruecknehmen", 10, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org");
        var person = await _driver.ParticipantAsync("a@example.org");
        var editor = await AdminSession.SignInAsync(_factory);
        await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass", [], $"#p{person.Id} form");
        Assert.Equal(ParticipantStatus.Attended, (await _driver.ParticipantAsync("a@example.org")).Status);

        await editor.PostFormAsync($"/admin/veranstaltungen/{e.Id}/einlass", [], $"#p{person.Id} form");

        var stored = await _driver.ParticipantAsync("a@example.org");
        Assert.Equal(ParticipantStatus.Confirmed, stored.Status);
        Assert.Null(stored.CheckedInAtUtc);
        var (_, page) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{e.Id}/einlass");
        Assert.Equal("Einchecken", page.Text($"#p{person.Id} button"));
    }
}
