using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Alerts;

/// <summary>What the subscriber chose: every region, or some.</summary>
public sealed record AlertRegionChoice(bool AllRegions, IReadOnlyCollection<int> RegionIds);

/// <summary>A subscription as its management page shows it.</summary>
public sealed record AlertSubscriptionView(int Id, string Email, bool Confirmed, bool AllRegions, IReadOnlyList<int> RegionIds);

/// <summary>
/// The rules of the e-mail alerts: double opt-in, nothing revealed to whoever types an address, changes only through a
/// link from the owner's mailbox, deletion on unsubscribe and after 48 hours unconfirmed (docs/decisions/0022).
/// </summary>
public sealed class AlertSubscriptions(
    LprEventsDbContext db,
    TimeProvider time,
    AlertEmails emails,
    PublicUrls urls,
    IOptions<AlertOptions> options,
    ILogger<AlertSubscriptions> logger)
{
    /// <summary>E-mails to one address per day that the form can cause (confirmation or management link), whoever fills it in.</summary>
    public const int MaxFormMailsPerDay = 3;

    public const string UnsubscribedKind = "alert-unsubscribed";
    public const string ExpiredKind = "alert-expired-unconfirmed";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The form's one entry point. A new address gets a subscription awaiting confirmation and a confirmation e-mail;
    /// a known address is not changed at all, its owner is mailed a link instead (a few times a day at most). The
    /// caller shows the same page either way.
    /// </summary>
    public async Task SubscribeAsync(string email, AlertRegionChoice choice, CancellationToken ct)
    {
        var normalized = RegistrationService.NormalizeEmail(email);
        var existing = await db.AlertSubscriptions.Include(s => s.Regions).SingleOrDefaultAsync(s => s.EmailNormalized == normalized, ct);
        if (existing is not null)
        {
            await MailOwnerAsync(existing, ct);
            return;
        }

        var subscription = new AlertSubscription
        {
            Email = email.Trim(),
            EmailNormalized = normalized,
            AllRegions = choice.AllRegions,
            ConsentedAtUtc = Now,
        };
        await SetRegionsAsync(subscription, choice, ct);
        var token = MintLink(subscription);
        db.AlertSubscriptions.Add(subscription);
        db.OutboxMessages.Add(emails.Confirm(subscription.Email, RegionNames(subscription), urls.AlertManage(token), options.Value.ConfirmationHours));
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Alert subscription {SubscriptionId} awaits confirmation", subscription.Id);
        }
        catch (DbUpdateException)
        {
            // The same address sent twice at once: the other request created it; treat this one as a repeat.
            db.ChangeTracker.Clear();
            existing = await db.AlertSubscriptions.Include(s => s.Regions).SingleOrDefaultAsync(s => s.EmailNormalized == normalized, ct);
            if (existing is null)
            {
                throw;
            }

            await MailOwnerAsync(existing, ct);
        }
    }

    private async Task MailOwnerAsync(AlertSubscription existing, CancellationToken ct)
    {
        var since = Now.AddDays(-1);
        var recent = await db.OutboxMessages.CountAsync(
            m => m.ToAddress == existing.Email && (m.Kind == AlertEmails.ConfirmKind || m.Kind == AlertEmails.ManageKind) && m.CreatedAtUtc > since, ct);
        if (recent >= MaxFormMailsPerDay)
        {
            logger.LogInformation("Alert form repeated for subscription {SubscriptionId}: daily limit reached, nothing sent", existing.Id);
            return;
        }

        var url = urls.AlertManage(MintLink(existing));
        // Unconfirmed: the confirmation again (with the regions first chosen); confirmed: a link to manage it.
        db.OutboxMessages.Add(existing.ConfirmedAtUtc is null
            ? emails.Confirm(existing.Email, RegionNames(existing), url, options.Value.ConfirmationHours)
            : emails.Manage(existing.Email, RegionNames(existing), url));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Alert form repeated for subscription {SubscriptionId}: link e-mailed to the owner", existing.Id);
    }

    public async Task<AlertSubscriptionView?> FindAsync(string token, CancellationToken ct)
    {
        if (await IdOfAsync(token, ct) is not { } id)
        {
            return null;
        }

        return await db.AlertSubscriptions.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new AlertSubscriptionView(s.Id, s.Email, s.ConfirmedAtUtc != null, s.AllRegions, s.Regions.Select(r => r.Id).ToList()))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>Confirms the address; false for an unknown token. Confirming twice changes nothing.</summary>
    public async Task<bool> ConfirmAsync(string token, CancellationToken ct)
    {
        if (await IdOfAsync(token, ct) is not { } id)
        {
            return false;
        }

        var now = Now;
        await db.AlertSubscriptions.Where(s => s.Id == id && s.ConfirmedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfirmedAtUtc, now), ct);
        logger.LogInformation("Alert subscription {SubscriptionId} confirmed", id);
        return true;
    }

    /// <summary>Changes the regions; false for an unknown token.</summary>
    public async Task<bool> ChangeRegionsAsync(string token, AlertRegionChoice choice, CancellationToken ct)
    {
        if (await IdOfAsync(token, ct) is not { } id)
        {
            return false;
        }

        var subscription = await db.AlertSubscriptions.Include(s => s.Regions).SingleAsync(s => s.Id == id, ct);
        subscription.AllRegions = choice.AllRegions;
        subscription.Regions.Clear();
        await SetRegionsAsync(subscription, choice, ct);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Alert subscription {SubscriptionId}: regions changed", id);
        return true;
    }

    /// <summary>
    /// Deletes the subscription with its links and every alert e-mail to the address (nothing is kept); a deletion log
    /// entry without personal data remains. False for an unknown token.
    /// </summary>
    public Task<bool> UnsubscribeAsync(string token, CancellationToken ct) =>
        db.WithRetriesAsync(() => UnsubscribeOnceAsync(token, ct));

    private async Task<bool> UnsubscribeOnceAsync(string token, CancellationToken ct)
    {
        if (await IdOfAsync(token, ct) is not { } id)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var email = await db.AlertSubscriptions.Where(s => s.Id == id).Select(s => s.Email).SingleOrDefaultAsync(ct);
        if (email is null)
        {
            return false;
        }

        if (await DeleteAsync(db, [id], [email], ct) == 0)
        {
            return false;
        }

        db.DeletionLog.Add(new DeletionLogEntry { Kind = UnsubscribedKind, Count = 1, RunAtUtc = Now });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Alert subscription {SubscriptionId} deleted on request", id);
        return true;
    }

    /// <summary>Maintenance: subscriptions unconfirmed after the confirmation period go, with their e-mails. Returns how many.</summary>
    public static async Task<int> ExpireUnconfirmedAsync(LprEventsDbContext db, DateTime now, int confirmationHours, CancellationToken ct)
    {
        var cutoff = now.AddHours(-confirmationHours);
        var expired = await db.AlertSubscriptions
            .Where(s => s.ConfirmedAtUtc == null && s.ConsentedAtUtc < cutoff)
            .OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.Email })
            .Take(1000)
            .ToListAsync(ct);
        if (expired.Count == 0)
        {
            return 0;
        }

        return await db.WithRetriesAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var deleted = await DeleteAsync(db, expired.Select(s => s.Id).ToList(), expired.Select(s => s.Email).ToList(), ct, onlyUnconfirmed: true);
            db.DeletionLog.Add(new DeletionLogEntry { Kind = ExpiredKind, Count = deleted, RunAtUtc = now });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return deleted;
        });
    }

    /// <summary>Maintenance: links older than <see cref="AlertOptions.LinkDays"/> stop working (newer e-mails carry newer ones).</summary>
    public static Task<int> PruneLinksAsync(LprEventsDbContext db, DateTime now, int linkDays, CancellationToken ct)
    {
        var cutoff = now.AddDays(-linkDays);
        return db.AlertLinks.Where(l => l.CreatedAtUtc < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>A new link for the subscription; returns the token (only its hash is stored).</summary>
    public static string MintLink(AlertSubscription subscription, DateTime now)
    {
        var token = PrivateTokens.New();
        subscription.Links.Add(new AlertLink { TokenHash = PrivateTokens.Hash(token), CreatedAtUtc = now });
        return token;
    }

    private string MintLink(AlertSubscription subscription) => MintLink(subscription, Now);

    /// <summary>
    /// Deletes the subscriptions (their links and regions go by cascade), then every alert e-mail to an address that no
    /// longer has a subscription. Returns how many subscriptions went.
    /// </summary>
    private static async Task<int> DeleteAsync(LprEventsDbContext db, List<int> ids, List<string> emails, CancellationToken ct, bool onlyUnconfirmed = false)
    {
        var deleted = await db.AlertSubscriptions.Where(s => ids.Contains(s.Id) && (!onlyUnconfirmed || s.ConfirmedAtUtc == null)).ExecuteDeleteAsync(ct);
        await db.OutboxMessages
            .Where(m => emails.Contains(m.ToAddress) && AlertEmails.Kinds.Contains(m.Kind) && !db.AlertSubscriptions.Any(s => s.Email == m.ToAddress))
            .ExecuteDeleteAsync(ct);
        return deleted;
    }

    private async Task<int?> IdOfAsync(string token, CancellationToken ct)
    {
        if (!PrivateTokens.IsWellFormed(token))
        {
            return null;
        }

        var hash = PrivateTokens.Hash(token);
        return await db.AlertLinks.Where(l => l.TokenHash == hash).Select(l => (int?)l.SubscriptionId).SingleOrDefaultAsync(ct);
    }

    private async Task SetRegionsAsync(AlertSubscription subscription, AlertRegionChoice choice, CancellationToken ct)
    {
        if (choice.AllRegions)
        {
            return;
        }

        foreach (var region in await db.Regions.Where(r => choice.RegionIds.Contains(r.Id)).OrderBy(r => r.SortOrder).ToListAsync(ct))
        {
            subscription.Regions.Add(region);
        }
    }

    private static List<string> RegionNames(AlertSubscription subscription) =>
        subscription.AllRegions ? [] : subscription.Regions.OrderBy(r => r.SortOrder).Select(r => r.Name).ToList();
}
