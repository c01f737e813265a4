using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>
/// Private links: every e-mail about a registration carries one that works, several can be valid at once,
/// the participant can revoke them all, and an online meeting's access link reaches only people with a seat.
/// </summary>
public sealed class PrivateLinkTests : IDisposable
{
    private const string OnlineAccess = "https://konferenz.example/raum-4711?pwd=Geheim123";

    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public PrivateLinkTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task RevokeAllLinks_KillsEveryOldLinkAndMailsOneNewWorkingLinkToTheOwner()
    {
        var e = await _driver.AddEventAsync("test-widerruf", capacity: 5, waitingList: true);
        var first = await _driver.RegisterAndConfirmAsync(e.Slug, "inhaberin@example.org");
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("inhaberin@example.org"));
        await _driver.DeliverMailAsync();
        var second = Mailbox.PrivatePath(Mailbox.To(_factory.MailFolder, "inhaberin@example.org")[^1]);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, (await _driver.Client.GetPageAsync(first)).Response.StatusCode);

        var (_, page) = await _driver.Client.GetPageAsync(second);
        Assert.Contains("Alle Links ungültig machen", page.Text("section[aria-labelledby=links]"), StringComparison.Ordinal);
        var revoked = await _driver.PostPrivateAsync(second, "links-ungueltig");
        await _driver.DeliverMailAsync();

        Assert.Equal("/anmeldung-neuer-link", revoked.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await _driver.Client.GetPageAsync(first)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _driver.Client.GetPageAsync(second)).Response.StatusCode);
        var mail = Mailbox.To(_factory.MailFolder, "inhaberin@example.org")[^1];
        Assert.StartsWith("Ihr neuer Link", mail.Subject, StringComparison.Ordinal);
        var (fresh, freshPage) = await _driver.Client.GetPageAsync(Mailbox.PrivatePath(mail));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("Teilnahme bestätigt", freshPage.Text(".state__label"));
        Assert.Equal(ParticipantStatus.Confirmed, (await _driver.ParticipantAsync("inhaberin@example.org")).Status);
    }

    [Fact]
    public async Task MovedUpChangedAndReminderEmails_EachCarryAWorkingPrivateLinkOnThePublicAddress()
    {
        var e = await _driver.AddEventAsync("test-links", capacity: 1, waitingList: true);
        var seat = await _driver.RegisterAndConfirmAsync(e.Slug, "sitz@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "warte@example.org");

        await _driver.PostPrivateAsync(seat, "abmelden");
        await _driver.DeliverMailAsync();
        var movedUp = Mailbox.To(_factory.MailFolder, "warte@example.org").Single(m => (m.Subject ?? "").StartsWith("Sie sind nachgerückt", StringComparison.Ordinal));

        await using (var scope = _factory.CreateDbScope())
        {
            await scope.Db.Events.Where(x => x.Id == e.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.VenueName, "Stadthalle Chemnitz"), TestContext.Current.CancellationToken);
        }

        using (var scope = _factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<EventNotifications>().NotifyChangedAsync(e.Id, "Der Ort ist jetzt die Stadthalle Chemnitz.", TestContext.Current.CancellationToken);
        }

        _factory.Time.SetUtcNow(new DateTimeOffset(e.StartsAtUtc.AddHours(-23), TimeSpan.Zero));
        Assert.Equal(1, (await _driver.RunMaintenanceAsync()).Reminded);
        await _driver.DeliverMailAsync();
        var changed = Mailbox.To(_factory.MailFolder, "warte@example.org").Single(m => (m.Subject ?? "").StartsWith("Geändert", StringComparison.Ordinal));
        var reminder = Mailbox.To(_factory.MailFolder, "warte@example.org").Single(m => (m.Subject ?? "").StartsWith("Erinnerung", StringComparison.Ordinal));

        foreach (var mail in new[] { movedUp, changed, reminder })
        {
            Assert.Contains($"{LprWebFactory.DefaultPublicBaseUrl}/anmeldung/", mail.TextBody, StringComparison.Ordinal);
            var (response, page) = await _driver.Client.GetPageAsync(Mailbox.PrivatePath(mail));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Teilnahme bestätigt", page.Text(".state__label"));
        }
    }

    [Fact]
    public async Task OnlineAccessLink_IsNeverPublicAndReachesOnlyPeopleHoldingASeat()
    {
        var e = await _driver.AddEventAsync("test-online", capacity: 1, waitingList: true);
        await using (var scope = _factory.CreateDbScope())
        {
            await scope.Db.Events.Where(x => x.Id == e.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.OnlineUrl, OnlineAccess).SetProperty(x => x.Kind, EventKind.OnlineSeminar).SetProperty(x => x.VenueStreet, ""),
                TestContext.Current.CancellationToken);
        }

        var seat = await _driver.RegisterAndConfirmAsync(e.Slug, "sitz@example.org");
        var waiting = await _driver.RegisterAndConfirmAsync(e.Slug, "warte@example.org");

        var publicPage = await _driver.Client.GetStringAsync(new Uri($"/veranstaltungen/{e.Slug}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("konferenz.example", publicPage, StringComparison.Ordinal);
        Assert.Contains("VirtualLocation", publicPage, StringComparison.Ordinal);

        var confirmed = Mailbox.To(_factory.MailFolder, "sitz@example.org").Single(m => (m.Subject ?? "").StartsWith("Anmeldung bestätigt", StringComparison.Ordinal));
        Assert.Contains(OnlineAccess, confirmed.TextBody, StringComparison.Ordinal);
        Assert.Contains(OnlineAccess, Unfold(Mailbox.Text(Mailbox.Calendar(confirmed)!)), StringComparison.Ordinal);
        Assert.Contains(OnlineAccess, (await _driver.Client.GetPageAsync(seat)).Document.Text("section[aria-labelledby=status]"), StringComparison.Ordinal);
        var ics = await _driver.Client.GetStringAsync(new Uri(seat + "/kalender.ics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains(OnlineAccess, Unfold(ics), StringComparison.Ordinal);

        Assert.All(Mailbox.To(_factory.MailFolder, "warte@example.org"), m => Assert.DoesNotContain("konferenz.example", m.TextBody + m.HtmlBody, StringComparison.Ordinal));
        Assert.DoesNotContain("konferenz.example", (await _driver.Client.GetPageAsync(waiting)).Document.Body!.InnerHtml, StringComparison.Ordinal);

        await _driver.PostPrivateAsync(seat, "abmelden");
        await _driver.DeliverMailAsync();
        var movedUp = Mailbox.To(_factory.MailFolder, "warte@example.org").Single(m => (m.Subject ?? "").StartsWith("Sie sind nachgerückt", StringComparison.Ordinal));
        Assert.Contains(OnlineAccess, movedUp.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("konferenz.example", (await _driver.Client.GetPageAsync(seat)).Document.Body!.InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FillingInTheFormAgainAndAgain_MailsTheOwnerAtMostThreeTimesADay()
    {
        var e = await _driver.AddEventAsync("test-flut", capacity: 5, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "ziel@example.org");
        var before = Mailbox.To(_factory.MailFolder, "ziel@example.org").Count;

        for (var i = 0; i < 6; i++)
        {
            var response = await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("ziel@example.org"));
            Assert.Equal($"/veranstaltungen/{e.Slug}/anmeldung/eingegangen", response.Headers.Location?.OriginalString);
        }

        await _driver.DeliverMailAsync();
        Assert.Equal(before + 3, Mailbox.To(_factory.MailFolder, "ziel@example.org").Count);
        _factory.Time.Advance(TimeSpan.FromHours(25));
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("ziel@example.org"));
        await _driver.DeliverMailAsync();
        Assert.Equal(before + 4, Mailbox.To(_factory.MailFolder, "ziel@example.org").Count);
    }

    [Fact]
    public async Task DeliveredEmails_KeepNoWorkingLinkInTheDatabase()
    {
        var e = await _driver.AddEventAsync("test-kopie", capacity: 5, waitingList: true);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "kopie@example.org");
        var token = path.Split('/')[^1];

        await using var scope = _factory.CreateDbScope();
        var stored = await scope.Db.OutboxMessages.Where(m => m.ToAddress == "kopie@example.org").ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.All(stored, m => Assert.DoesNotContain(token, m.TextBody + m.HtmlBody, StringComparison.Ordinal));
        Assert.All(stored, m => Assert.Contains("/anmeldung/***", m.TextBody, StringComparison.Ordinal));
        Assert.All(stored, m => Assert.DoesNotMatch("[0-9a-f]{64}", m.TextBody + m.HtmlBody));
        Assert.Equal(HttpStatusCode.OK, (await _driver.Client.GetPageAsync(path)).Response.StatusCode);
    }

    [Fact]
    public async Task CalendarUid_IsTheSameWhicheverHostTheFileCameFrom()
    {
        using var factory = new LprWebFactory();
        factory.ExtraSettings["AllowedHosts"] = "veranstaltungen.test;alias.example";
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-uid", capacity: 5, waitingList: true);
        var path = await driver.RegisterAndConfirmAsync(e.Slug, "kalender@example.org");
        var mailed = Mailbox.Text(Mailbox.Calendar(Mailbox.To(factory.MailFolder, "kalender@example.org")[^1])!);

        var viaAlias = factory.CreateClient(new() { BaseAddress = new Uri("https://alias.example") });
        var downloaded = await viaAlias.GetStringAsync(new Uri(path + "/kalender.ics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(Uid(mailed), Uid(downloaded));
        Assert.Equal($"lprevents-event-{e.Id}@lpr.sachsen.de", Uid(downloaded));
        Assert.DoesNotContain("alias.example", downloaded, StringComparison.Ordinal);
    }

    /// <summary>RFC 5545 folds long lines; a calendar program reads them joined.</summary>
    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal);

    private static string Uid(string ics) =>
        ics.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith("UID:", StringComparison.Ordinal))["UID:".Length..];
}
