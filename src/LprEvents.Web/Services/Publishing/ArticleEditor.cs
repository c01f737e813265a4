using System.Globalization;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Publishing;

public enum ArticleAction
{
    Save,
    Publish,
    Schedule,
    Unpublish,
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
public sealed class ArticleEditor(LprEventsDbContext db, AuditLog audit, TimeProvider time, IOptions<SiteOptions> site)
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
        return article.Title;
    }

    /// <summary>Deletes for good what lay in the Papierkorb longer than <see cref="TrashRetention"/>; returns how many.</summary>
    public static Task<int> EmptyTrashAsync(LprEventsDbContext db, DateTime nowUtc, CancellationToken ct)
    {
        var cutoff = nowUtc - TrashRetention;
        return db.Articles.Where(a => a.DeletedAtUtc != null && a.DeletedAtUtc < cutoff).ExecuteDeleteAsync(ct);
    }

    public async Task<ArticleSaveResult> SaveAsync(int? id, ArticleInput input, ArticleAction action, string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Article article;
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
                return new ArticleSaveResult.Conflict(article.Title, article.Teaser, article.Body, article.UpdatedAtUtc, article.Version);
            }

            if (article.Title != input.Title || article.Teaser != input.Teaser || article.Body != input.Body)
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

        if (targetStatus != ArticleStatus.Draft)
        {
            problems.AddRange(PublishingGate.Check(input.Title, input.Body, image?.AltText, image?.Credit, image is not null, site.Value.PublicBaseUrl));
        }

        if (problems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new ArticleSaveResult.Refused(problems);
        }

        article.Title = input.Title;
        article.Slug = slug;
        article.Teaser = input.Teaser;
        // The article's own date: set by the editor, never by publishing (a report keeps its meeting's day).
        article.Date = input.Date;
        article.Body = input.Body;
        article.LeadImageId = image?.Id;
        article.EventId = input.EventId is { } eventId && await db.Events.AnyAsync(e => e.Id == eventId, ct) ? eventId : null;
        article.Author = userName;
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
                message = "Gespeichert.";
                break;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var theirs = await db.Articles.AsNoTracking().SingleAsync(a => a.Id == article.Id, ct);
            return new ArticleSaveResult.Conflict(theirs.Title, theirs.Teaser, theirs.Body, theirs.UpdatedAtUtc, theirs.Version);
        }

        if (id is null)
        {
            audit.Record("created", "Article", article.Id, $"Beitrag „{article.Title}“ angelegt");
        }

        var auditAction = action switch
        {
            ArticleAction.Publish => "published",
            ArticleAction.Schedule => "scheduled",
            ArticleAction.Unpublish => "unpublished",
            _ => id is null ? null : "changed",
        };
        if (auditAction is not null)
        {
            audit.Record(auditAction, "Article", article.Id, $"Beitrag „{article.Title}“: {message}");
        }

        await db.SaveChangesAsync(ct);
        return new ArticleSaveResult.Saved(article.Id, id is null && action == ArticleAction.Save ? "Der Entwurf ist angelegt." : message);
    }

    /// <summary>Brings an older text back; the current one becomes a revision itself.</summary>
    public async Task<bool> RestoreAsync(int articleId, long revisionId, string userName, CancellationToken ct)
    {
        var article = await db.Articles.Include(a => a.Regions).SingleOrDefaultAsync(a => a.Id == articleId, ct);
        var revision = await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == revisionId && r.ArticleId == articleId, ct);
        if (article is null || revision is null)
        {
            return false;
        }

        var input = new ArticleInput(revision.Title, article.Slug, revision.Teaser, revision.Body, article.LeadImageId, article.Regions.Select(r => r.Id).ToList(), article.EventId, article.Date, article.PublishedAtUtc, article.Version);
        db.ChangeTracker.Clear();
        var result = await SaveAsync(articleId, input, ArticleAction.Save, userName, ct);
        if (result is ArticleSaveResult.Saved)
        {
            audit.Record("restored", "Article", articleId, $"Beitrag „{revision.Title}“: Fassung vom {BerlinTime.Date(revision.SavedAtUtc)} {BerlinTime.Time(revision.SavedAtUtc)} wiederhergestellt");
            await db.SaveChangesAsync(ct);
            return true;
        }

        return false;
    }

    public static DateTime? ParseLocal(string? value) =>
        BerlinTime.ParseLocal(value) is { } local ? BerlinTime.ToUtc(local) : null;

    public static string FormatLocal(DateTime? utc) =>
        utc is { } value ? BerlinTime.ToLocal(value).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : "";

    private Task<string> FreeSlugAsync(string slug, CancellationToken ct) =>
        Slugs.UniqueAsync(slug, candidate => db.Articles.AnyAsync(x => x.Slug == candidate, ct));
}
