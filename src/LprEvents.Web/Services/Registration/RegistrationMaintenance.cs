using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using LprEvents.Web.Configuration;

namespace LprEvents.Web.Services.Registration;

public sealed record MaintenanceReport(int Expired, int Reminded, int Anonymised, int OutboxPurged, int TrashEmptied, int AlertsExpired = 0);

/// <summary>
/// The clock-driven rules of registration, run every few minutes: unconfirmed registrations expire,
/// (and so do unconfirmed e-mail alert subscriptions), reminders go out one day before, participants' personal data is anonymised after the retention period,
/// and sent e-mails (which hold addresses) are purged. Each deletion writes a log entry without personal data.
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

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.MaintenanceIntervalSeconds);

    protected override async Task<MaintenanceReport> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
        var emails = scope.ServiceProvider.GetRequiredService<EmailComposer>();
        var now = Time.GetUtcNow().UtcDateTime;
        var report = new MaintenanceReport(
            await ExpireUnconfirmedAsync(db, now, ct),
            await QueueRemindersAsync(db, emails, now, ct),
            await AnonymiseAfterRetentionAsync(db, now, ct),
            await PurgeSentMailAsync(db, now, ct),
            await EmptyTrashAsync(db, now, ct),
            await Alerts.AlertSubscriptions.ExpireUnconfirmedAsync(db, now, alertOptions.Value.ConfirmationHours, ct));
        await Alerts.AlertSubscriptions.PruneLinksAsync(db, now, alertOptions.Value.LinkDays, ct);
        if (report != new MaintenanceReport(0, 0, 0, 0, 0))
        {
            Logger.LogInformation(
                "Maintenance: {Expired} expired, {Reminded} reminders, {Anonymised} anonymised, {Purged} e-mails purged, {Trashed} articles deleted from the Papierkorb, {AlertsExpired} unconfirmed alert subscriptions removed",
                report.Expired,
                report.Reminded,
                report.Anonymised,
                report.OutboxPurged,
                report.TrashEmptied,
                report.AlertsExpired);
        }

        return report;
    }

    private async Task<int> ExpireUnconfirmedAsync(LprEventsDbContext db, DateTime now, CancellationToken ct)
    {
        var cutoff = now.AddHours(-options.Value.ConfirmationHours);
        var expired = await db.Participants
            .Where(p => p.Status == ParticipantStatus.AwaitingConfirmation && p.CreatedAtUtc < cutoff)
            .Select(p => new { p.Id, p.EventId })
            .ToListAsync(ct);
        foreach (var group in expired.GroupBy(p => p.EventId))
        {
            var ids = group.Select(p => p.Id).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.OutboxMessages.Where(m => m.ParticipantId != null && ids.Contains(m.ParticipantId.Value)).ExecuteDeleteAsync(ct);
            var deleted = await db.Participants.Where(p => ids.Contains(p.Id) && p.Status == ParticipantStatus.AwaitingConfirmation).ExecuteDeleteAsync(ct);
            db.DeletionLog.Add(new DeletionLogEntry { Kind = "expired-unconfirmed", EventId = group.Key, Count = deleted, RunAtUtc = now });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        return expired.Count;
    }

    private async Task<int> QueueRemindersAsync(LprEventsDbContext db, EmailComposer emails, DateTime now, CancellationToken ct)
    {
        var horizon = now.AddHours(options.Value.ReminderHoursBefore);
        var events = await db.Events
            .Where(e => e.Status == EventStatus.Published && e.StartsAtUtc > now && e.StartsAtUtc <= horizon)
            .ToListAsync(ct);
        var count = 0;
        foreach (var e in events)
        {
            var participants = await db.Participants.Include(p => p.Sessions)
                .Where(p => p.EventId == e.Id && p.Status == ParticipantStatus.Confirmed && p.RemindedAtUtc == null)
                .ToListAsync(ct);
            if (participants.Count == 0)
            {
                continue;
            }

            foreach (var p in participants)
            {
                p.RemindedAtUtc = now;
                var ics = IcsBuilder.ForEvent(e, urls.Event(e.Slug), now, onlineAccess: true, EmailComposer.SmallGroups(p.Sessions));
                // A link of its own: the reminder is the e-mail people look for on the day.
                var message = emails.Reminder(p, e, urls.PrivateLink(RegistrationService.MintLink(p, now)), ics);
                message.DedupeKey = $"reminder:{p.Id}";
                db.OutboxMessages.Add(message);
            }

            await db.SaveChangesAsync(ct);
            count += participants.Count;
        }

        return count;
    }

    private async Task<int> AnonymiseAfterRetentionAsync(LprEventsDbContext db, DateTime now, CancellationToken ct)
    {
        var cutoff = now.AddDays(-options.Value.RetentionDays);
        var eventIds = await db.Events
            .Where(e => e.EndsAtUtc < cutoff && e.Participants.Any(p => p.AnonymisedAtUtc == null))
            .Select(e => e.Id)
            .ToListAsync(ct);
        var count = 0;
        foreach (var eventId in eventIds)
        {
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
            count += participants.Count;
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
