using System.Net;
using Ical.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Registration;

/// <summary>The participant's way, through the pages and the e-mails in the pickup folder.</summary>
public sealed class RegistrationFlowTests : IDisposable
{
    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public RegistrationFlowTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Register_WithValidForm_AwaitsConfirmationAndSendsTheConfirmEmail()
    {
        var e = await _driver.AddEventAsync("test-bestaetigung", capacity: 10, waitingList: true);

        var response = await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("anna.mueller@freiberg.de"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/veranstaltungen/{e.Slug}/anmeldung/eingegangen", response.Headers.Location?.OriginalString);
        var participant = await _driver.ParticipantAsync("anna.mueller@freiberg.de");
        Assert.Equal(ParticipantStatus.AwaitingConfirmation, participant.Status);
        Assert.Equal("Stadtverwaltung Freiberg", participant.Organisation);
        Assert.Equal(OrganisationType.Kommune, participant.OrganisationType);
        await using var scope = _factory.CreateDbScope();
        var link = await scope.Db.ParticipantLinks.SingleAsync(l => l.ParticipantId == participant.Id, TestContext.Current.CancellationToken);
        Assert.Equal(64, link.TokenHash.Trim().Length);

        Assert.Empty(Mailbox.Read(_factory.MailFolder));
        Assert.Equal(1, await _driver.DeliverMailAsync());
        var mail = Assert.Single(Mailbox.Read(_factory.MailFolder));
        Assert.Equal($"Bitte bestätigen Sie Ihre Anmeldung: {e.Title}", mail.Subject);
        Assert.Contains("Guten Tag Anna Müller", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Rathaus Chemnitz", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Rathaus Chemnitz", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(link.TokenHash.Trim(), mail.TextBody, StringComparison.Ordinal);

        var (_, eventPage) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}");
        Assert.Equal("Noch 10 von 10 Plätzen frei", eventPage.Text(".registration-box .state__places"));
    }

    [Fact]
    public async Task Confirm_TakesASeatSendsTheCalendarAndThePrivatePageShowsIt()
    {
        var e = await _driver.AddEventAsync("test-platz", capacity: 10, waitingList: true);

        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "jonas@polizei.sachsen.de");

        Assert.Equal(ParticipantStatus.Confirmed, (await _driver.ParticipantAsync("jonas@polizei.sachsen.de")).Status);
        var confirmed = Mailbox.To(_factory.MailFolder, "jonas@polizei.sachsen.de").Single(m => (m.Subject ?? "").StartsWith("Anmeldung bestätigt", StringComparison.Ordinal));
        Assert.Equal(path, Mailbox.PrivatePath(confirmed));
        var ics = Calendar.Load(Mailbox.Text(Mailbox.Calendar(confirmed)!))!;
        var entry = Assert.Single(ics.Events);
        Assert.Equal(e.Title, entry.Summary);
        Assert.Equal(e.StartsAtUtc, entry.DtStart!.AsUtc);

        var (response, page) = await _driver.Client.GetPageAsync(path + "?hinweis=confirmed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Teilnahme bestätigt", page.Text(".state__label"));
        Assert.StartsWith("Vielen Dank! Ihre E-Mail-Adresse ist bestätigt", page.Text(".notice"), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("jonas@polizei.sachsen.de", page.Text(".details"), StringComparison.Ordinal);

        var download = await _driver.Client.GetAsync(new Uri(path + "/kalender.ics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("text/calendar", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(e.StartsAtUtc, Calendar.Load(await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.Events.Single().DtStart!.AsUtc);

        var (_, eventPage) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}");
        Assert.Equal("Noch 9 von 10 Plätzen frei", eventPage.Text(".registration-box .state__places"));
    }

    [Fact]
    public async Task Cancel_ByTheConfirmedParticipant_MovesTheFirstWaitingPersonUpAndTellsThem()
    {
        var e = await _driver.AddEventAsync("test-warteliste", capacity: 1, waitingList: true);
        var first = await _driver.RegisterAndConfirmAsync(e.Slug, "erste@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "zweite@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "dritte@example.org");

        Assert.Equal(ParticipantStatus.WaitingList, (await _driver.ParticipantAsync("zweite@example.org")).Status);
        var waitingMail = Mailbox.To(_factory.MailFolder, "dritte@example.org").Single(m => (m.Subject ?? "").StartsWith("Warteliste", StringComparison.Ordinal));
        Assert.Contains("Platz 2 der Warteliste", waitingMail.TextBody, StringComparison.Ordinal);
        var (_, thirdPage) = await _driver.Client.GetPageAsync(Mailbox.PrivatePath(waitingMail));
        Assert.Equal("Auf der Warteliste, Platz 2", thirdPage.Text(".state__label"));

        var cancel = await _driver.PostPrivateAsync(first, "abmelden");
        await _driver.DeliverMailAsync();

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.Equal(ParticipantStatus.Cancelled, participants.Single(p => p.Email == "erste@example.org").Status);
        Assert.Equal(ParticipantStatus.Confirmed, participants.Single(p => p.Email == "zweite@example.org").Status);
        Assert.Equal(ParticipantStatus.WaitingList, participants.Single(p => p.Email == "dritte@example.org").Status);
        var movedUp = Mailbox.To(_factory.MailFolder, "zweite@example.org").Single(m => (m.Subject ?? "").StartsWith("Sie sind nachgerückt", StringComparison.Ordinal));
        Assert.NotNull(Mailbox.Calendar(movedUp));
        Assert.Single(Mailbox.To(_factory.MailFolder, "erste@example.org"), m => (m.Subject ?? "").StartsWith("Abmeldung bestätigt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Confirm_WhenTheLastSeatWentMeanwhileAndThereIsNoWaitingList_SaysSoAndDeletesTheRegistrationAtOnce()
    {
        var e = await _driver.AddEventAsync("test-voll", capacity: 1, waitingList: false);
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("schnell@example.org"));
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("zu-spaet@example.org"));
        await _driver.DeliverMailAsync();
        var fast = Mailbox.PrivatePath(Mailbox.To(_factory.MailFolder, "schnell@example.org").Single());
        var late = Mailbox.PrivatePath(Mailbox.To(_factory.MailFolder, "zu-spaet@example.org").Single());

        await _driver.PostPrivateAsync(fast, "bestaetigen");
        var response = await _driver.PostPrivateAsync(late, "bestaetigen");
        await _driver.DeliverMailAsync();

        Assert.Equal("/anmeldung-ausgebucht", response.Headers.Location?.OriginalString);
        var (_, page) = await _driver.Client.GetPageAsync("/anmeldung-ausgebucht");
        Assert.Contains("Ihre Angaben werden nicht weiter gespeichert", page.Text("main"), StringComparison.Ordinal);
        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.Equal(ParticipantStatus.Confirmed, Assert.Single(participants).Status);
        Assert.Equal("schnell@example.org", participants[0].Email);
        var full = Assert.Single(Mailbox.To(_factory.MailFolder, "zu-spaet@example.org"), m => (m.Subject ?? "").StartsWith("Ausgebucht", StringComparison.Ordinal));
        Assert.Contains("Ihre Angaben werden nicht weiter gespeichert", full.TextBody, StringComparison.Ordinal);
        await using (var scope = _factory.CreateDbScope())
        {
            var log = await scope.Db.DeletionLog.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal(("deleted-full-no-waiting-list", e.Id, 1), (log.Kind, log.EventId!.Value, log.Count));
            // Not even the message telling them so is kept once it went out.
            Assert.False(await scope.Db.OutboxMessages.AnyAsync(m => m.ToAddress == "zu-spaet@example.org", TestContext.Current.CancellationToken));
        }

        var (gone, _) = await _driver.Client.GetPageAsync(late);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var (_, closed) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}/anmeldung");
        Assert.Equal("Anmeldung nicht möglich", closed.Text("h1"));
    }

    [Fact]
    public async Task SessionCapacity_FullGroupPutsTheNextOnTheWaitingListAndACancellationMovesThemUp()
    {
        var e = await _driver.AddEventAsync("test-gruppen", capacity: 10, waitingList: true, ("Gruppe A", 1), ("Gruppe B", 5));
        var form = await _driver.FormAsync(e.Slug);
        var groupA = form.QuerySelector("input[name='Sessions[0]']")!.GetAttribute("value")!;
        var groupB = form.QuerySelectorAll("input[name='Sessions[0]']")[1].GetAttribute("value")!;

        var a = await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupA });
        await _driver.RegisterAndConfirmAsync(e.Slug, "c@example.org", new() { ["Sessions[0]"] = groupB });

        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.Equal(ParticipantStatus.Confirmed, participants.Single(p => p.Email == "a@example.org").Status);
        Assert.Equal(ParticipantStatus.WaitingList, participants.Single(p => p.Email == "b@example.org").Status);
        Assert.Equal(ParticipantStatus.Confirmed, participants.Single(p => p.Email == "c@example.org").Status);
        var (_, formAfter) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}/anmeldung");
        Assert.StartsWith("ausgebucht", formAfter.Text("#Sessions-0-0-plaetze"), StringComparison.Ordinal);

        await _driver.PostPrivateAsync(a, "abmelden");

        participants = await _driver.ParticipantsAsync(e.Id);
        var b = participants.Single(p => p.Email == "b@example.org");
        Assert.Equal(ParticipantStatus.Confirmed, b.Status);
        Assert.Equal(int.Parse(groupA, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(b.Sessions).Id);
    }

    [Fact]
    public async Task ChangeSessions_OnThePrivatePage_SwitchesGroupWhenItHasRoomAndRefusesAFullOne()
    {
        var e = await _driver.AddEventAsync("test-wechsel", capacity: 10, waitingList: true, ("Gruppe A", 1), ("Gruppe B", 5));
        var form = await _driver.FormAsync(e.Slug);
        var groupA = form.QuerySelector("input[name='Sessions[0]']")!.GetAttribute("value")!;
        var groupB = form.QuerySelectorAll("input[name='Sessions[0]']")[1].GetAttribute("value")!;
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org", new() { ["Sessions[0]"] = groupA });
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org", new() { ["Sessions[0]"] = groupB });

        var full = await _driver.PostPrivateAsync(path, "programm", new() { ["sessions[0]"] = groupA });
        Assert.EndsWith("hinweis=gruppe-voll", full.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(groupB, (await _driver.ParticipantAsync("b@example.org")).Sessions.Single().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var forged = await _driver.PostPrivateAsync(path, "programm", new() { ["sessions[0]"] = "999999" });
        Assert.EndsWith("hinweis=ungueltig", forged.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var empty = await _driver.PostPrivateAsync(path, "programm");
        Assert.EndsWith("hinweis=ungueltig", empty.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var garbled = await _driver.PostPrivateAsync(path, "programm", new() { ["sessions[99999999999]"] = "1", ["sessions[x]"] = "15" });
        Assert.EndsWith("hinweis=ungueltig", garbled.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondRegistration_WithAnAddressAlreadyRegistered_LooksLikeANewOneAndTheOwnerGetsAFurtherWorkingLink()
    {
        var e = await _driver.AddEventAsync("test-doppelt", capacity: 10, waitingList: true);
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("Katrin.Schmidt@Example.org"));
        await _driver.DeliverMailAsync();
        var firstLink = Mailbox.PrivatePath(Mailbox.Read(_factory.MailFolder).Single());
        await _driver.PostPrivateAsync(firstLink, "bestaetigen");
        var fresh = await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("jemand.neues@example.org"));

        // Someone else types Katrin's address (in other case): they must learn nothing, and break nothing.
        var again = await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("katrin.schmidt@example.org"));
        await _driver.DeliverMailAsync();

        Assert.Equal(fresh.Headers.Location?.OriginalString, again.Headers.Location?.OriginalString);
        var (_, freshPage) = await _driver.Client.GetPageAsync(fresh.Headers.Location!.OriginalString);
        var (_, againPage) = await _driver.Client.GetPageAsync(again.Headers.Location!.OriginalString);
        Assert.Equal(freshPage.QuerySelector("main")!.InnerHtml, againPage.QuerySelector("main")!.InnerHtml);
        Assert.DoesNotContain("bereits", againPage.Text("main"), StringComparison.OrdinalIgnoreCase);

        var katrin = (await _driver.ParticipantsAsync(e.Id)).Single(p => p.EmailNormalized == "katrin.schmidt@example.org");
        Assert.Equal(ParticipantStatus.Confirmed, katrin.Status);
        var second = Mailbox.To(_factory.MailFolder, "Katrin.Schmidt@Example.org").Single(m => (m.Subject ?? "").StartsWith("Ihre Anmeldung", StringComparison.Ordinal));
        Assert.NotEqual(firstLink, Mailbox.PrivatePath(second));
        var (newPage, _) = await _driver.Client.GetPageAsync(Mailbox.PrivatePath(second));
        var (oldPage, _) = await _driver.Client.GetPageAsync(firstLink);
        Assert.Equal(HttpStatusCode.OK, newPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oldPage.StatusCode);
    }

    [Fact]
    public async Task DeleteMyData_AnonymisesAtOnceLogsItMovesTheWaitingListAndKillsTheLink()
    {
        var e = await _driver.AddEventAsync("test-loeschen", capacity: 1, waitingList: true);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "weg@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "warte@example.org");

        var response = await _driver.PostPrivateAsync(path, "loeschen");

        Assert.Equal("/anmeldung-geloescht", response.Headers.Location?.OriginalString);
        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.DoesNotContain(participants, p => p.Email == "weg@example.org");
        var gone = participants.Single(p => p.AnonymisedAtUtc != null);
        Assert.Equal("", gone.FirstName + gone.LastName + gone.Email + gone.Organisation);
        Assert.Equal(OrganisationType.Kommune, gone.OrganisationType);
        Assert.Equal(ParticipantStatus.Confirmed, participants.Single(p => p.Email == "warte@example.org").Status);
        await using (var scope = _factory.CreateDbScope())
        {
            var log = await scope.Db.DeletionLog.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal(("deleted-on-request", e.Id, 1), (log.Kind, log.EventId!.Value, log.Count));
            Assert.False(await scope.Db.OutboxMessages.AnyAsync(m => m.ToAddress == "weg@example.org", TestContext.Current.CancellationToken));
        }

        var (after, _) = await _driver.Client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task EventPage_LinksToTheFormAndTheFormPreselectsTheEventsRegion()
    {
        var e = await _driver.AddEventAsync("test-link", capacity: 10, waitingList: true);

        var (_, page) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}");
        Assert.Equal($"/veranstaltungen/{e.Slug}/anmeldung", page.QuerySelector(".registration-box a.button")?.GetAttribute("href"));
        var form = await _driver.FormAsync(e.Slug);
        Assert.Equal("Chemnitz", form.Text("#RegionId option[selected]"));
        Assert.Equal("Anmeldung", form.Text("h1"));
    }
}
