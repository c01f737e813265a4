namespace LprEvents.Web.Domain;

/// <summary>The text of an article as it was before a save; editors compare and restore it.</summary>
public class ArticleRevision
{
    public long Id { get; set; }

    public int ArticleId { get; set; }

    public Article Article { get; set; } = null!;

    public DateTime SavedAtUtc { get; set; }

    public string SavedBy { get; set; } = "";

    public required string Title { get; set; }

    public string Teaser { get; set; } = "";

    public string Body { get; set; } = "";
}
