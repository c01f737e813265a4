namespace LprEvents.Web.Domain;

/// <summary>
/// A secret link that shows an unpublished article to colleagues without an account, until it expires or is
/// revoked. Only the SHA-256 of its token is stored, as for participants' private links.
/// </summary>
public class ArticlePreviewLink
{
    public int Id { get; set; }

    public int ArticleId { get; set; }

    public Article Article { get; set; } = null!;

    public required string TokenHash { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    /// <summary>Login of the editor who made it (admin-only).</summary>
    public string CreatedBy { get; set; } = "";
}
