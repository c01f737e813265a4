using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using LprEvents.Web.Configuration;
using LprEvents.Web.Services;

namespace LprEvents.Web.Services.Registration;

/// <summary>What one maintenance run did; <paramref name="Skipped"/>: another instance holds the lease; <paramref name="FailedSteps"/>: steps that failed (logged).</summary>
public sealed record MaintenanceReport(int Expired, int Reminded, int Anonymised, int OutboxPurged, int TrashEmptied, int AlertsExpired = 0, int FailedSteps = 0, bool Skipped = false);

/// <summary>
/// The clock-driven rules of registration, run every few minutes: unconfirmed registrations expire,
/// (and so do unconfirmed e-mail alert subscriptions), reminders go out one day before, participants' personal data is anonymised after the retention period,
/// and sent e-mails (which hold addresses) are purged. Each deletion writes a log entry without personal data.
/// With several instances one at a time runs it, under the lease "maintenance" in the database (ADR 0026); each
/// step runs and fails on its own, and the time is read afresh for every item.
/// </summary>
public sealed class RegistrationMaintenance(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<RegistrationOptions> options,
    IOptions<AlertOptions> alertOptions,
    PublicUrls urls,
    ILogger<RegistrationMaintenance> logger) : PeriodicJob<MaintenanceReport>(time, logger)
{
    /// <summary>Sent e-mails are kept this long for questions, then deleted with the addresses in them.</summary>
    public static readonly TimeSpan SentMailRetention = TimeSpan.FromDays(30);

    public const string LeaseName = "maintenance";

    private readonly JobLeaseHolder _lease = new(LeaseName, scopes);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.MaintenanceIntervalSeconds);

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    protected override async Task<MaintenanceReport> RunAsync(CancellationToken ct)
    {
        if (!await _lease.TryRenewAsync(Now, Interval, ct))
        {
            Logger.LogDebug("Maintenance skipped: another instance holds the lease");
            return new MaintenanceReport(0, 0, 0, 0, 0, Skipped: true);
        }

        var failed = 0;
        async Task<int> Step(string name, Func<LprEventsDbContext, IServiceProvider, Task<int>> step)
        {
            // Each step in its own scope (a fresh DbContext), so that one step's failure leaves nothing behind for the next.
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                return await step(scope.ServiceProvider.GetRequiredService<LprEventsDbContext>(), scope.ServiceProvider);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++;
                Logger.LogError(ex, "Maintenance step {Step} failed; the other steps ran, it is tried again in {Interval}", name, Interval);
                return 0;
            }
        }

        var alerts = alertOptions.Value;
        var report = new MaintenanceReport(
            await Step("expire unconfirmed", (db, _) => ExpireUnconfirmedAsync(db, ct)),
            await Step("reminders", (db, sp) => QueueRemindersAsync(db, sp.GetRequiredService<EmailComposer>(), ct)),
            await Step("anonymise", (db, _) => AnonymiseAfterRetentionAsync(db, ct)),
            await Step("purge e-mails", (db, _) => PurgeSentMailAsync(db, Now, ct)),
            await Step("empty Papierkorb", (db, _) => EmptyTrashAsync(db, Now, ct)),
            await Step("expire alert subscriptions", (db, _) => Alerts.AlertSubscriptions.ExpireUnconfirmedAsync(db, Now, alerts.ConfirmationHours, ct)));
        await Step("prune alert links", (db, _) => Alerts.AlertSubscriptions.PruneLinksAsync(db, Now, alerts.LinkDays, ct));
        report = report with { FailedSteps = failed };
        if (report != new MaintenanceReport(0, 0, 0, 0, 0))
        {
            Logger.LogInformation(
                "Maintenance: {Expired} expired, {Reminded} reminders, {Anonymised} anonymised, {Purged} e-mails purged, {Trashed} articles deleted from the Papierkorb, {AlertsExpired} unconfirmed alert subscriptions removed, {FailedSteps} steps failed",
                report.Expired,
                report.Reminded,
                report.Anonymised,
                report.OutboxPurged,
                report.TrashEmptied,
                report.AlertsExpired,
                report.FailedSteps);
        }

        return report;
    }

    /// <summary>On shutdown the lease is given up, so that another instance runs maintenance without waiting for it to expire.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _lease.ReleaseAsync(Now, Logger, cancellationToken);
    }

    private async Task<int> ExpireUnconfirmedAsync(LprEventsDbContext db, CancellationToken ct)
    {
        var cutoff = Now.AddHours(-options.Value.ConfirmationHours);
        var expired = await db.Participants
            .Where(p => p.Status == ParticipantStatus.AwaitingConfirmation && p.CreatedAtUtc < cutoff)
            .Select(p => new { p.Id, p.EventId })
            .ToListAsync(ct);
        foreach (var group in expired.GroupBy(p => p.EventId))
        {
            var ids = group.Select(p => p.Id).ToList();
            await db.WithRetriesAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.OutboxMessages.Where(m => m.ParticipantId != null && ids.Contains(m.ParticipantId.Value)).ExecuteDeleteAsync(ct);
                var deleted = await db.Participants.Where(p => ids.Contains(p.Id) && p.Status == ParticipantStatus.AwaitingConfirmation).ExecuteDeleteAsync(ct);
                db.DeletionLog.Add(new DeletionLogEntry { Kind = "expired-unconfirmed", EventId = group.Key, Count = deleted, RunAtUtc = Now });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            });
        }

        return expired.Count;
    }

    private async Task<int> QueueRemindersAsync(LprEventsDbContext db, EmailComposer emails, CancellationToken ct)
    {
        var start = Now;
        var horizon = start.AddHours(options.Value.ReminderHoursBefore);
        var eventIds = await db.Events
            .Where(e => e.Status == EventStatus.Published && e.StartsAtUtc > start && e.StartsAtUtc <= horizon)
            .Select(e => e.Id)
            .ToListAsync(ct);
        var count = 0;
        foreach (var eventId in eventIds)
        {
            try
            {
                count += await db.WithRetriesAsync(() => QueueRemindersAsync(db, emails, eventId, ct));
            }
            catch (DbUpdateException ex)
            {
                // Another instance queued the same reminders at the same moment (their dedupe keys collide): they go
                // out once; this event's others wait for the next run, and the other events go on.
                Logger.LogWarning(ex, "Reminders for event {EventId} collided with another run; tried again next time", eventId);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return count;
    }

    private async Task<int> QueueRemindersAsync(LprEventsDbContext db, EmailComposer emails, int eventId, CancellationToken ct)
    {
        var now = Now;
        var e = await db.Events.SingleAsync(x => x.Id == eventId, ct);
        var participants = await db.Participants.Include(p => p.Sessions)
            .Where(p => p.EventId == e.Id && p.Status == ParticipantStatus.Confirmed && p.RemindedAtUtc == null)
            .ToListAsync(ct);
        foreach (var p in participants)
        {
            p.RemindedAtUtc = now;
            var ics = IcsBuilder.ForEvent(e, urls.Event(e.Slug), now, onlineAccess: true, EmailComposer.SmallGroups(p.Sessions));
            // A link of its own: the reminder is the e-mail people look for on the day.
            var message = emails.Reminder(p, e, urls.PrivateLink(RegistrationService.MintLink(p, now)), ics);
            message.DedupeKey = $"reminder:{p.Id}";
            db.OutboxMessages.Add(message);
        }

        if (participants.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return participants.Count;
    }

    private async Task<int> AnonymiseAfterRetentionAsync(LprEventsDbContext db, CancellationToken ct)
    {
        var cutoff = Now.AddDays(-options.Value.RetentionDays);
        var eventIds = await db.Events
            .Where(e => e.EndsAtUtc < cutoff && e.Participants.Any(p => p.AnonymisedAtUtc == null))
            .Select(e => e.Id)
            .ToListAsync(ct);
        var count = 0;
        foreach (var eventId in eventIds)
        {
            count += await db.WithRetriesAsync(async () =>
            {
                var now = Now;
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var participants = await db.Participants.Where(p => p.EventId == eventId && p.AnonymisedAtUtc == null).ToListAsync(ct);
                foreach (var p in participants)
                {
                    RegistrationService.Anonymise(p, now);
                }

                var ids = participants.Select(p => p.Id).ToList();
                await RegistrationService.DeleteLinksAsync(db, ids, ct);
                await db.OutboxMessages.Where(m => m.ParticipantId != null && ids.Contains(m.ParticipantId.Value)).ExecuteDeleteAsync(ct);
                db.DeletionLog.Add(new DeletionLogEntry { Kind = "anonymised-after-event", EventId = eventId, Count = participants.Count, RunAtUtc = now });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                db.ChangeTracker.Clear();
                return participants.Count;
            });
        }

        return count;
    }

    private static Task<int> EmptyTrashAsync(LprEventsDbContext db, DateTime now, CancellationToken ct) =>
        Publishing.ArticleEditor.EmptyTrashAsync(db, now, ct);

    private static Task<int> PurgeSentMailAsync(LprEventsDbContext db, DateTime now, CancellationToken ct)
    {
        var cutoff = now - SentMailRetention;
        // Failed ones too: they hold an address (and, never delivered, a working link) no one will send any more.
        return db.OutboxMessages
            .Where(m => (m.Status == OutboxStatus.Sent && m.SentAtUtc < cutoff) || (m.Status == OutboxStatus.Failed && m.CreatedAtUtc < cutoff))
            .ExecuteDeleteAsync(ct);
    }
}
