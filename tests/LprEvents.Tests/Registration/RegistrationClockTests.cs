using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>Rules that depend on time, tested by moving the clock, never by sleeping.</summary>
public sealed class RegistrationClockTests : IDisposable
{
    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public RegistrationClockTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task UnconfirmedRegistration_ExpiresAfter48HoursAndIsRemovedWithALogEntry()
    {
        var e = await _driver.AddEventAsync("frist", capacity: 5, waitingList: true);
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("spaet@example.org"));
        await _driver.DeliverMailAsync();
        var path = Mailbox.PrivatePath(Mailbox.Read(_factory.MailFolder).Single());

        _factory.Time.Advance(TimeSpan.FromHours(47));
        Assert.Equal(0, (await _driver.RunMaintenanceAsync()).Expired);
        _factory.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await _driver.RunMaintenanceAsync()).Expired);

        Assert.Empty(await _driver.ParticipantsAsync(e.Id));
        var (page, _) = await _driver.Client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        await using var scope = _factory.CreateDbScope();
        var log = await scope.Db.DeletionLog.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("expired-unconfirmed", 1), (log.Kind, log.Count));
    }

    [Fact]
    public async Task ConfirmingAfter48Hours_SaysTheLinkExpired()
    {
        var e = await _driver.AddEventAsync("frist-bestaetigen", capacity: 5, waitingList: true);
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("spaet@example.org"));
        await _driver.DeliverMailAsync();
        var path = Mailbox.PrivatePath(Mailbox.Read(_factory.MailFolder).Single());

        _factory.Time.Advance(TimeSpan.FromHours(49));
        var response = await _driver.PostPrivateAsync(path, "bestaetigen");

        Assert.EndsWith("hinweis=expired", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(ParticipantStatus.AwaitingConfirmation, (await _driver.ParticipantAsync("spaet@example.org")).Status);
    }

    [Fact]
    public async Task Reminder_GoesOutOneDayBeforeOnceToConfirmedParticipants()
    {
        var e = await _driver.AddEventAsync("erinnerung", capacity: 1, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "dabei@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "warte@example.org");

        _factory.Time.SetUtcNow(new DateTimeOffset(e.StartsAtUtc.AddHours(-25), TimeSpan.Zero));
        Assert.Equal(0, (await _driver.RunMaintenanceAsync()).Reminded);
        _factory.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await _driver.RunMaintenanceAsync()).Reminded);
        Assert.Equal(0, (await _driver.RunMaintenanceAsync()).Reminded);
        await _driver.DeliverMailAsync();

        var reminder = Assert.Single(Mailbox.Read(_factory.MailFolder), m => (m.Subject ?? "").StartsWith("Erinnerung", StringComparison.Ordinal));
        Assert.Equal("dabei@example.org", reminder.To.Mailboxes.Single().Address);
        Assert.NotNull(Mailbox.Calendar(reminder));
    }

    [Fact]
    public async Task Retention_AnonymisesParticipantsAfterTheConfiguredDaysAndKeepsCountsForStatistics()
    {
        var e = await _driver.AddEventAsync("aufbewahrung", capacity: 5, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "a@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "b@example.org");

        _factory.Time.SetUtcNow(new DateTimeOffset(e.EndsAtUtc.AddDays(89), TimeSpan.Zero));
        Assert.Equal(0, (await _driver.RunMaintenanceAsync()).Anonymised);
        _factory.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, (await _driver.RunMaintenanceAsync()).Anonymised);
        Assert.Equal(0, (await _driver.RunMaintenanceAsync()).Anonymised);

        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.All(participants, p =>
        {
            Assert.Equal("", p.FirstName + p.LastName + p.Email + p.Organisation + p.Function);
            Assert.NotNull(p.AnonymisedAtUtc);
            Assert.NotNull(p.RegionId);
            Assert.Equal(OrganisationType.Kommune, p.OrganisationType);
            Assert.Equal(ParticipantStatus.Confirmed, p.Status);
        });
        await using var scope = _factory.CreateDbScope();
        var log = await scope.Db.DeletionLog.SingleAsync(l => l.Kind == "anonymised-after-event", TestContext.Current.CancellationToken);
        Assert.Equal((e.Id, 2), (log.EventId!.Value, log.Count));
        Assert.False(await scope.Db.OutboxMessages.AnyAsync(m => m.ToAddress == "a@example.org", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Retention_UsesTheConfiguredNumberOfDays()
    {
        using var factory = new LprWebFactory();
        factory.ExtraSettings["Registration:RetentionDays"] = "7";
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("aufbewahrung-kurz", capacity: 5, waitingList: true);
        await driver.RegisterAndConfirmAsync(e.Slug, "kurz@example.org");

        factory.Time.SetUtcNow(new DateTimeOffset(e.EndsAtUtc.AddDays(8), TimeSpan.Zero));

        Assert.Equal(1, (await driver.RunMaintenanceAsync()).Anonymised);
    }

    [Fact]
    public async Task CancellingTheEvent_EmailsEveryoneRegisteredAndClosesRegistration()
    {
        var e = await _driver.AddEventAsync("absage", capacity: 1, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "dabei@example.org");
        await _driver.RegisterAndConfirmAsync(e.Slug, "warte@example.org");

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var notified = await scope.ServiceProvider.GetRequiredService<EventNotifications>().CancelEventAsync(e.Id, TestContext.Current.CancellationToken);
            Assert.Equal(2, notified);
        }

        await _driver.DeliverMailAsync();
        var mails = Mailbox.Read(_factory.MailFolder).Where(m => (m.Subject ?? "").StartsWith("Abgesagt", StringComparison.Ordinal)).ToList();
        Assert.Equal(["dabei@example.org", "warte@example.org"], mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.Contains("STATUS:CANCELLED", Mailbox.Text(Mailbox.Calendar(mails[0])!), StringComparison.Ordinal);
        var (_, form) = await _driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}/anmeldung");
        Assert.Contains("abgesagt", form.Text(".notice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingDateOrVenue_EmailsConfirmedAndWaitingParticipantsWithTheNewCalendar()
    {
        var e = await _driver.AddEventAsync("verlegt", capacity: 5, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "dabei@example.org");
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("unbestaetigt@example.org"));

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
            var stored = await db.Events.SingleAsync(x => x.Id == e.Id, TestContext.Current.CancellationToken);
            stored.VenueName = "Stadthalle Chemnitz";
            stored.UpdatedAtUtc = _factory.Time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<EventNotifications>().NotifyChangedAsync(e.Id, "Der Ort ist jetzt die Stadthalle Chemnitz.", TestContext.Current.CancellationToken);
        }

        await _driver.DeliverMailAsync();
        var changed = Assert.Single(Mailbox.Read(_factory.MailFolder), m => (m.Subject ?? "").StartsWith("Geändert", StringComparison.Ordinal));
        Assert.Equal("dabei@example.org", changed.To.Mailboxes.Single().Address);
        Assert.Contains("Stadthalle Chemnitz", changed.TextBody, StringComparison.Ordinal);
        Assert.Contains("LOCATION:Stadthalle Chemnitz", Mailbox.Text(Mailbox.Calendar(changed)!), StringComparison.Ordinal);
    }
}
