using System.Globalization;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Publishing;

public enum ArticleAction
{
    Save,
    Publish,
    Schedule,
    Unpublish,

    /// <summary>Drops the pending version of a live article; the published text stays.</summary>
    Discard,
}

public sealed record ArticleInput(
    string Title,
    string? Slug,
    string Teaser,
    string Body,
    int? LeadImageId,
    IReadOnlyCollection<int> RegionIds,
    int? EventId,
    DateOnly Date,
    DateTime? PublishAtUtc,
    Guid Version);

public abstract record ArticleSaveResult
{
    public sealed record Saved(int Id, string Message) : ArticleSaveResult;

    /// <summary>Refused: the reasons, in German, for the editor to fix.</summary>
    public sealed record Refused(IReadOnlyList<string> Problems) : ArticleSaveResult;

    /// <summary>Someone else saved in between: their version, so that nothing is lost.</summary>
    public sealed record Conflict(string Title, string Teaser, string Body, DateTime UpdatedAtUtc, Guid Version) : ArticleSaveResult;

    public sealed record NotFound : ArticleSaveResult;
}

/// <summary>
/// Saving and publishing articles: slugs, revisions of the previous text, optimistic concurrency, the
/// accessibility gate before anything becomes public, and the audit log.
/// </summary>
public sealed class ArticleEditor(LprEventsDbContext db, AuditLog audit, TimeProvider time, IOptions<SiteOptions> site, SearchIndexer search)
{
    /// <summary>How long a deleted article can be restored before maintenance deletes it for good.</summary>
    public static readonly TimeSpan TrashRetention = TimeSpan.FromDays(30);

    /// <summary>Into the Papierkorb: off the website at once, restorable for <see cref="TrashRetention"/>; preview links stop.</summary>
    public async Task<string?> MoveToTrashAsync(int id, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == id && a.DeletedAtUtc == null, ct);
        if (article is null)
        {
            return null;
        }

        article.DeletedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.ArticlePreviewLinks.Where(l => l.ArticleId == id).ExecuteDeleteAsync(ct);
        audit.Record("trashed", "Article", id, $"Beitrag „{article.Title}“ in den Papierkorb gelegt");
        await db.SaveChangesAsync(ct);
        await search.IndexArticleAsync(id, ct);
        return article.Title;
    }

    /// <summary>Back from the Papierkorb as it was: a published article is public again.</summary>
    public async Task<string?> RestoreFromTrashAsync(int id, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == id && a.DeletedAtUtc != null, ct);
        if (article is null)
        {
            return null;
        }

        article.DeletedAtUtc = null;
        audit.Record("untrashed", "Article", id, $"Beitrag „{article.Title}“ aus dem Papierkorb wiederhergestellt");
        await db.SaveChangesAsync(ct);
        await search.IndexArticleAsync(id, ct);
        return article.Title;
    }

    /// <summary>Deletes for good what lay in the Papierkorb longer than <see cref="TrashRetention"/>; returns how many.</summary>
    public static Task<int> EmptyTrashAsync(LprEventsDbContext db, DateTime nowUtc, CancellationToken ct)
    {
        var cutoff = nowUtc - TrashRetention;
        return db.Articles.Where(a => a.DeletedAtUtc != null && a.DeletedAtUtc < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>Autosaves within this time after the last save replace the text without writing another revision.</summary>
    public static readonly TimeSpan AutosaveRevisionInterval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Autosave from the editor: a plain <see cref="ArticleAction.Save"/> (a live article's text goes into its pending
    /// version, never to readers), writing a revision only when the last save is older than <see cref="AutosaveRevisionInterval"/>.
    /// </summary>
    public Task<ArticleSaveResult> AutosaveAsync(int id, ArticleInput input, string userName, CancellationToken ct) =>
        SaveAsync(id, input, ArticleAction.Save, userName, ct, autosave: true);

    public async Task<ArticleSaveResult> SaveAsync(int? id, ArticleInput input, ArticleAction action, string userName, CancellationToken ct, bool autosave = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Article article;
        var staged = false;
        if (id is { } existingId)
        {
            var found = await db.Articles.Include(a => a.Regions).SingleOrDefaultAsync(a => a.Id == existingId, ct);
            if (found is null)
            {
                return new ArticleSaveResult.NotFound();
            }

            article = found;
            if (article.Version != input.Version)
            {
                return ConflictWith(article);
            }

            if (action == ArticleAction.Discard)
            {
                return await DiscardPendingAsync(article, userName, ct);
            }

            // Saving a live article only stages the text (the pending version): readers keep the published one.
            staged = action == ArticleAction.Save && article.IsVisibleAt(now);
            var lastSave = staged ? article.PendingSavedAtUtc ?? article.UpdatedAtUtc : article.UpdatedAtUtc;
            var keepRevision = !autosave || now - lastSave >= AutosaveRevisionInterval;
            if (keepRevision && staged && article.HasPendingVersion && (article.PendingTitle != input.Title || article.PendingTeaser != input.Teaser || article.PendingBody != input.Body))
            {
                // Overwriting a pending version keeps the earlier one as a revision, like any saved text.
                db.ArticleRevisions.Add(new ArticleRevision
                {
                    ArticleId = article.Id,
                    SavedAtUtc = article.PendingSavedAtUtc!.Value,
                    SavedBy = article.PendingSavedBy ?? "",
                    Title = article.PendingTitle ?? "",
                    Teaser = article.PendingTeaser ?? "",
                    Body = article.PendingBody ?? "",
                });
            }

            if (keepRevision && !staged && (article.Title != input.Title || article.Teaser != input.Teaser || article.Body != input.Body))
            {
                db.ArticleRevisions.Add(new ArticleRevision
                {
                    ArticleId = article.Id,
                    SavedAtUtc = article.UpdatedAtUtc,
                    SavedBy = article.Author,
                    Title = article.Title,
                    Teaser = article.Teaser,
                    Body = article.Body,
                });
            }

            db.Entry(article).Property(a => a.Version).OriginalValue = input.Version;
        }
        else
        {
            // Readers see the creator's public name (or "Redaktion"), never the login saved in Author.
            var authorId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).FirstOrDefaultAsync(ct);
            article = new Article { Title = input.Title, Slug = "", CreatedAtUtc = now, Status = ArticleStatus.Draft, AuthorId = authorId };
            db.Articles.Add(article);
        }

        var problems = new List<string>();
        var slug = Slugs.From(string.IsNullOrWhiteSpace(input.Slug) ? input.Title : input.Slug);
        if (await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != article.Id, ct))
        {
            if (string.IsNullOrWhiteSpace(input.Slug) && id is null)
            {
                slug = await FreeSlugAsync(slug, ct);
            }
            else
            {
                problems.Add($"Die Adresse „{slug}“ ist schon vergeben. Bitte wählen Sie eine andere.");
            }
        }

        var image = input.LeadImageId is { } imageId ? await db.MediaAssets.SingleOrDefaultAsync(m => m.Id == imageId && m.Kind == MediaKind.Image, ct) : null;
        var targetStatus = action switch
        {
            ArticleAction.Publish => ArticleStatus.Published,
            ArticleAction.Schedule => ArticleStatus.Scheduled,
            ArticleAction.Unpublish => ArticleStatus.Draft,
            _ => article.Status,
        };
        if (action == ArticleAction.Schedule && (input.PublishAtUtc is not { } at || at <= now))
        {
            problems.Add("Bitte geben Sie für die Planung einen Zeitpunkt in der Zukunft an.");
        }

        // A pending version is not public yet: the gate runs when it is published, so unfinished work can be saved.
        if (targetStatus != ArticleStatus.Draft && !staged)
        {
            problems.AddRange(PublishingGate.Check(input.Title, input.Body, image?.AltText, image?.Credit, image is not null, site.Value.PublicBaseUrl));
        }

        if (problems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new ArticleSaveResult.Refused(problems);
        }

        if (staged)
        {
            article.PendingTitle = input.Title;
            article.PendingTeaser = input.Teaser;
            article.PendingBody = input.Body;
            article.PendingSavedAtUtc = now;
            article.PendingSavedBy = userName;
        }
        else
        {
            // Publishing, planning or unpublishing takes the text from the form, so a pending version is used up.
            article.Title = input.Title;
            article.Teaser = input.Teaser;
            article.Body = input.Body;
            ClearPending(article);
        }

        article.Slug = slug;
        // The article's own date: set by the editor, never by publishing (a report keeps its meeting's day).
        article.Date = input.Date;
        article.LeadImageId = image?.Id;
        article.EventId = input.EventId is { } eventId && await db.Events.AnyAsync(e => e.Id == eventId, ct) ? eventId : null;
        // Author names who saved the live text; a pending version carries its own (PendingSavedBy).
        article.Author = staged ? article.Author : userName;
        article.UpdatedAtUtc = now;
        article.Version = Guid.NewGuid();
        article.Regions.Clear();
        foreach (var region in await db.Regions.Where(r => input.RegionIds.Contains(r.Id)).ToListAsync(ct))
        {
            article.Regions.Add(region);
        }

        string message;
        switch (action)
        {
            case ArticleAction.Publish:
                // Re-publishing an article that is already live keeps its original date.
                var alreadyLive = article.Status == ArticleStatus.Published && article.PublishedAtUtc is { } earlier && earlier <= now;
                article.Status = ArticleStatus.Published;
                article.PublishedAtUtc = alreadyLive ? article.PublishedAtUtc : now;
                message = "Der Beitrag ist veröffentlicht.";
                break;
            case ArticleAction.Schedule:
                article.Status = ArticleStatus.Scheduled;
                article.PublishedAtUtc = input.PublishAtUtc;
                message = $"Der Beitrag erscheint am {BerlinTime.LongDateTime(input.PublishAtUtc!.Value)}.";
                break;
            case ArticleAction.Unpublish:
                article.Status = ArticleStatus.Draft;
                message = "Der Beitrag ist zurückgezogen und nur noch in der Redaktion sichtbar.";
                break;
            default:
                message = staged ? PendingSavedMessage : "Gespeichert.";
                break;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ConflictWith(await db.Articles.AsNoTracking().SingleAsync(a => a.Id == article.Id, ct));
        }

        if (id is null)
        {
            audit.Record("created", "Article", article.Id, $"Beitrag „{article.Title}“ angelegt");
        }

        var auditAction = action switch
        {
            ArticleAction.Publish => "published",
            _ when staged => "staged",
            ArticleAction.Schedule => "scheduled",
            ArticleAction.Unpublish => "unpublished",
            _ => id is null ? null : "changed",
        };
        if (auditAction is not null)
        {
            audit.Record(auditAction, "Article", article.Id, $"Beitrag „{article.Title}“: {message}");
        }

        await db.SaveChangesAsync(ct);

        // Every save may change what readers see (publishing, unpublishing, planning; regions and date apply at once).
        await search.IndexArticleAsync(article.Id, ct);
        return new ArticleSaveResult.Saved(article.Id, id is null && action == ArticleAction.Save ? "Der Entwurf ist angelegt." : message);
    }

    public const string PendingSavedMessage = "Gespeichert als geänderte Fassung – auf der Website gilt weiter die veröffentlichte. „Änderungen veröffentlichen“ schaltet sie frei.";

    /// <summary>
    /// Brings an older text back; the current one becomes a revision itself. For a live article the old text
    /// becomes the pending version instead, so it goes public only with "Änderungen veröffentlichen".
    /// Returns the message for the editor, or null when it could not be restored.
    /// </summary>
    public async Task<string?> RestoreAsync(int articleId, long revisionId, string userName, CancellationToken ct)
    {
        var article = await db.Articles.Include(a => a.Regions).SingleOrDefaultAsync(a => a.Id == articleId, ct);
        var revision = await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == revisionId && r.ArticleId == articleId, ct);
        if (article is null || revision is null)
        {
            return null;
        }

        var input = new ArticleInput(revision.Title, article.Slug, revision.Teaser, revision.Body, article.LeadImageId, article.Regions.Select(r => r.Id).ToList(), article.EventId, article.Date, article.PublishedAtUtc, article.Version);
        db.ChangeTracker.Clear();
        var result = await SaveAsync(articleId, input, ArticleAction.Save, userName, ct);
        if (result is ArticleSaveResult.Saved saved)
        {
            audit.Record("restored", "Article", articleId, $"Beitrag „{revision.Title}“: Fassung vom {BerlinTime.Date(revision.SavedAtUtc)} {BerlinTime.Time(revision.SavedAtUtc)} wiederhergestellt");
            await db.SaveChangesAsync(ct);
            return saved.Message == PendingSavedMessage
                ? "Die ältere Fassung steht jetzt als geänderte Fassung bereit – auf der Website gilt weiter die veröffentlichte. „Änderungen veröffentlichen“ schaltet sie frei."
                : "Die ältere Fassung ist wiederhergestellt; der bisherige Text steht jetzt in den Versionen.";
        }

        return null;
    }

    public static DateTime? ParseLocal(string? value) =>
        BerlinTime.ParseLocal(value) is { } local ? BerlinTime.ToUtc(local) : null;

    public static string FormatLocal(DateTime? utc) =>
        utc is { } value ? BerlinTime.ToLocal(value).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : "";

    private static ArticleSaveResult.Conflict ConflictWith(Article theirs) =>
        new(theirs.PendingTitle ?? theirs.Title, theirs.PendingTeaser ?? theirs.Teaser, theirs.PendingBody ?? theirs.Body, theirs.UpdatedAtUtc, theirs.Version);

    private static void ClearPending(Article article)
    {
        article.PendingTitle = null;
        article.PendingTeaser = null;
        article.PendingBody = null;
        article.PendingSavedAtUtc = null;
        article.PendingSavedBy = null;
    }

    private async Task<ArticleSaveResult> DiscardPendingAsync(Article article, string userName, CancellationToken ct)
    {
        if (!article.HasPendingVersion)
        {
            return new ArticleSaveResult.Saved(article.Id, "Es gibt keine geänderte Fassung zu verwerfen.");
        }

        // The discarded text is kept as a revision, so that "verwerfen" cannot lose work for good.
        db.ArticleRevisions.Add(new ArticleRevision
        {
            ArticleId = article.Id,
            SavedAtUtc = article.PendingSavedAtUtc!.Value,
            SavedBy = article.PendingSavedBy ?? "",
            Title = article.PendingTitle ?? "",
            Teaser = article.PendingTeaser ?? "",
            Body = article.PendingBody ?? "",
        });
        ClearPending(article);
        article.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        article.Version = Guid.NewGuid();
        audit.Record("discarded", "Article", article.Id, $"Beitrag „{article.Title}“: geänderte Fassung verworfen von {userName}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ConflictWith(await db.Articles.AsNoTracking().SingleAsync(a => a.Id == article.Id, ct));
        }

        return new ArticleSaveResult.Saved(article.Id, "Die geänderte Fassung ist verworfen; im Formular steht wieder der veröffentlichte Text.");
    }

    private Task<string> FreeSlugAsync(string slug, CancellationToken ct) =>
        Slugs.UniqueAsync(slug, candidate => db.Articles.AnyAsync(x => x.Slug == candidate, ct));
}
