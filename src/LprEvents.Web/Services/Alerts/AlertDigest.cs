using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Alerts;

/// <summary>
/// The weekly digest. Every few minutes each instance looks for confirmed subscriptions whose last digest is older
/// than the latest slot (default Monday 07:00 in Berlin); it claims each with a conditional update of
/// <see cref="AlertSubscription.LastDigestAtUtc"/> in the same transaction as its e-mail, so with several instances
/// every subscriber gets one digest per slot. It reads subscriptions in batches and stops after a bounded number;
/// the next run goes on. A subscriber with nothing new in their regions gets no e-mail. One instance at a time runs
/// it, under the lease "alert-digest" (ADR 0026).
/// </summary>
public sealed class AlertDigest(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<AlertOptions> options,
    PublicUrls urls,
    ILogger<AlertDigest> logger) : PeriodicJob<int>(time, logger)
{
    /// <summary>The first digest of a new subscriber (and one after a long pause) looks back this far.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(7);

    /// <summary>Items per section of one digest (the newest); a busier week is left to the website.</summary>
    public const int MaxItemsPerSection = 20;

    public const string LeaseName = "alert-digest";

    private readonly JobLeaseHolder _lease = new(LeaseName, scopes);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);

    /// <summary>On shutdown the lease is given up, so that another instance takes the digest over at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _lease.ReleaseAsync(Time.GetUtcNow().UtcDateTime, Logger, cancellationToken);
    }

    /// <summary>Handles what is due now. Returns how many digests were queued.</summary>
    protected override async Task<int> RunAsync(CancellationToken ct)
    {
        var slot = AlertSchedule.LatestSlot(Time.GetUtcNow().UtcDateTime, options.Value);
        var queued = 0;
        var handled = 0;
        var afterId = 0;
        for (var batch = 0; batch < options.Value.MaxBatchesPerRun; batch++)
        {
            // One instance at a time (ADR 0026); the claim per subscription below still guards each e-mail.
            if (!await _lease.TryRenewAsync(Time.GetUtcNow().UtcDateTime, Interval, ct))
            {
                Logger.LogDebug("Alert digest skipped: another instance holds the lease");
                break;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
            var emails = scope.ServiceProvider.GetRequiredService<AlertEmails>();
            var due = await db.AlertSubscriptions.AsNoTracking()
                .Where(s => s.Id > afterId && s.ConfirmedAtUtc != null && s.ConfirmedAtUtc <= slot && (s.LastDigestAtUtc == null || s.LastDigestAtUtc < slot))
                .OrderBy(s => s.Id)
                .Take(options.Value.BatchSize)
                .Select(s => new DueSubscription(s.Id, s.Email, s.AllRegions, s.LastDigestAtUtc, s.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionRef(r.Id, r.Name)).ToList()))
                .ToListAsync(ct);
            if (due.Count == 0)
            {
                break;
            }

            afterId = due[^1].Id;
            var since = due.Min(d => SinceOf(d, slot));
            var articles = await NewArticlesAsync(db, since, slot, ct);
            var events = await NewEventsAsync(db, since, slot, ct);
            foreach (var subscription in due)
            {
                handled++;
                if (await SendOneAsync(db, emails, subscription, slot, articles, events, ct))
                {
                    queued++;
                }
            }
        }

        if (handled > 0)
        {
            Logger.LogInformation("Alert digest for {Slot}: {Handled} subscriptions handled, {Queued} e-mails queued", slot, handled, queued);
        }

        return queued;
    }

    private static DateTime SinceOf(DueSubscription s, DateTime slot) =>
        s.LastDigestAtUtc is { } last && last > slot - LookBack ? last : slot - LookBack;

    private async Task<bool> SendOneAsync(
        LprEventsDbContext db,
        AlertEmails emails,
        DueSubscription s,
        DateTime slot,
        List<NewItem> articles,
        List<NewItem> events,
        CancellationToken ct)
    {
        var since = SinceOf(s, slot);
        var regionIds = s.Regions.Select(r => r.Id).ToHashSet();
        bool Matches(NewItem item) => item.VisibleSinceUtc > since && (s.AllRegions || item.RegionIds.Any(regionIds.Contains));
        var mine = articles.Where(Matches).Take(MaxItemsPerSection).Select(a => a.Item).ToList();
        var myEvents = events.Where(Matches).Take(MaxItemsPerSection).Select(e => e.Item).ToList();

        return await db.WithRetriesAsync(() => ClaimAndQueueAsync(db, emails, s, slot, since, mine, myEvents, ct));
    }

    private async Task<bool> ClaimAndQueueAsync(
        LprEventsDbContext db,
        AlertEmails emails,
        DueSubscription s,
        DateTime slot,
        DateTime since,
        List<DigestItem> mine,
        List<DigestItem> myEvents,
        CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The claim: whichever instance moves LastDigestAtUtc to this slot first sends; the other one updates no row.
        var claimed = await db.AlertSubscriptions
            .Where(x => x.Id == s.Id && x.ConfirmedAtUtc != null && (x.LastDigestAtUtc == null || x.LastDigestAtUtc < slot))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastDigestAtUtc, slot), ct);
        if (claimed == 0)
        {
            return false;
        }

        if (mine.Count == 0 && myEvents.Count == 0)
        {
            await transaction.CommitAsync(ct);
            return false;
        }

        var now = Time.GetUtcNow().UtcDateTime;
        var token = Registration.PrivateTokens.New();
        db.AlertLinks.Add(new AlertLink { SubscriptionId = s.Id, TokenHash = Registration.PrivateTokens.Hash(token), CreatedAtUtc = now });
        var message = emails.Digest(s.Email, s.AllRegions ? [] : s.Regions.Select(r => r.Name).ToList(), since, mine, myEvents, urls.AlertManage(token), urls.AlertUnsubscribe(token));
        message.DedupeKey = $"alert-digest:{s.Id}:{slot:yyyyMMddHHmm}";
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>Articles that became visible in (since, slot]: no drafts, nothing scheduled after the slot, nothing in the Papierkorb.</summary>
    private async Task<List<NewItem>> NewArticlesAsync(LprEventsDbContext db, DateTime since, DateTime slot, CancellationToken ct)
    {
        var rows = await db.Articles.AsNoTracking().VisibleAt(slot)
            .Where(a => a.PublishedAtUtc > since)
            .OrderByDescending(a => a.PublishedAtUtc).ThenByDescending(a => a.Id)
            .Take(500)
            .Select(a => new
            {
                a.Title,
                a.Slug,
                a.Date,
                PublishedAtUtc = a.PublishedAtUtc!.Value,
                Description = MarkdownRenderer.Describe(a.Teaser, a.Teaser != "" ? null : a.Body.Substring(0, PublicQueries.DescriptionSourceLength), 200),
                Regions = a.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionRef(r.Id, r.Name)).ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(a => new NewItem(
                a.PublishedAtUtc,
                a.Regions.Select(r => r.Id).ToList(),
                new DigestItem(a.Title, Facts(BerlinTime.Date(a.Date), a.Regions), a.Description, urls.Article(a.Slug))))
            .ToList();
    }

    /// <summary>Published, not yet ended events that were first published in (since, slot].</summary>
    private async Task<List<NewItem>> NewEventsAsync(LprEventsDbContext db, DateTime since, DateTime slot, CancellationToken ct)
    {
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Published && e.PublishedAtUtc > since && e.PublishedAtUtc <= slot && e.EndsAtUtc >= slot)
            .OrderBy(e => e.StartsAtUtc).ThenBy(e => e.Id)
            .Take(500)
            .Select(e => new
            {
                e.Title,
                e.Slug,
                e.StartsAtUtc,
                e.EndsAtUtc,
                e.VenueName,
                e.VenueCity,
                e.Summary,
                PublishedAtUtc = e.PublishedAtUtc!.Value,
                Regions = e.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionRef(r.Id, r.Name)).ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(e => new NewItem(
                e.PublishedAtUtc,
                e.Regions.Select(r => r.Id).ToList(),
                new DigestItem(
                    e.Title,
                    Facts(BerlinTime.Range(e.StartsAtUtc, e.EndsAtUtc) + (e.VenueCity.Length > 0 ? ", " + e.VenueCity : ""), e.Regions),
                    e.Summary,
                    urls.Event(e.Slug))))
            .ToList();
    }

    private static string Facts(string when, List<RegionRef> regions) =>
        regions.Count == 0 ? when : $"{when} · {string.Join(", ", regions.Select(r => r.Name))}";

    private sealed record RegionRef(int Id, string Name);

    private sealed record DueSubscription(int Id, string Email, bool AllRegions, DateTime? LastDigestAtUtc, List<RegionRef> Regions);

    private sealed record NewItem(DateTime VisibleSinceUtc, List<int> RegionIds, DigestItem Item);
}
