using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Publishing;

/// <summary>
/// Secret preview links for colleagues without an account: valid <see cref="Lifetime"/>, revocable, only a hash
/// stored. A link shows the article's saved state, published or not, but never one in the Papierkorb.
/// </summary>
public sealed class ArticlePreviews(LprEventsDbContext db, AuditLog audit, PublicUrls urls, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>A new link for the article; returns its address (shown once) or null when there is no such article.</summary>
    public async Task<string?> CreateAsync(int articleId, string createdBy, CancellationToken ct)
    {
        var title = await db.Articles.Where(a => a.Id == articleId && a.DeletedAtUtc == null).Select(a => a.Title).SingleOrDefaultAsync(ct);
        if (title is null)
        {
            return null;
        }

        var token = PrivateTokens.New();
        db.ArticlePreviewLinks.Add(new ArticlePreviewLink
        {
            ArticleId = articleId,
            TokenHash = PrivateTokens.Hash(token),
            CreatedAtUtc = Now,
            ExpiresAtUtc = Now + Lifetime,
            CreatedBy = createdBy,
        });
        audit.Record("preview-link-created", "Article", articleId, $"Vorschau-Link für „{title}“ erstellt");
        await db.SaveChangesAsync(ct);
        return urls.Absolute($"/vorschau/{token}");
    }

    /// <summary>Every link of the article stops working at once.</summary>
    public async Task<int> RevokeAllAsync(int articleId, CancellationToken ct)
    {
        var revoked = await db.ArticlePreviewLinks.Where(l => l.ArticleId == articleId).ExecuteDeleteAsync(ct);
        audit.Record("preview-links-revoked", "Article", articleId, $"{revoked} Vorschau-Link(s) widerrufen");
        await db.SaveChangesAsync(ct);
        return revoked;
    }

    /// <summary>The article a link opens, or null for a malformed, unknown, expired or revoked one.</summary>
    public async Task<int?> FindAsync(string? token, CancellationToken ct)
    {
        if (!PrivateTokens.IsWellFormed(token))
        {
            return null;
        }

        var hash = PrivateTokens.Hash(token!);
        var now = Now;
        return await db.ArticlePreviewLinks.AsNoTracking()
            .Where(l => l.TokenHash == hash && l.ExpiresAtUtc > now && l.Article.DeletedAtUtc == null)
            .Select(l => (int?)l.ArticleId)
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>The article's links still valid, newest first, for the editor page.</summary>
    public Task<List<PreviewLinkRow>> ActiveAsync(int articleId, CancellationToken ct)
    {
        var now = Now;
        return db.ArticlePreviewLinks.AsNoTracking()
            .Where(l => l.ArticleId == articleId && l.ExpiresAtUtc > now)
            .OrderByDescending(l => l.CreatedAtUtc)
            .Select(l => new PreviewLinkRow(l.CreatedAtUtc, l.ExpiresAtUtc, l.CreatedBy))
            .ToListAsync(ct);
    }
}

public sealed record PreviewLinkRow(DateTime CreatedAtUtc, DateTime ExpiresAtUtc, string CreatedBy);
