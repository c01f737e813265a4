namespace LprEvents.Web.Domain;

/// <summary>A news item or an event report.</summary>
public class Article
{
    public int Id { get; set; }

    public required string Title { get; set; }

    public required string Slug { get; set; }

    public string Teaser { get; set; } = "";

    public string Body { get; set; } = "";

    public int? LeadImageId { get; set; }

    public MediaAsset? LeadImage { get; set; }

    public int? EventId { get; set; }

    public Event? Event { get; set; }

    public ArticleStatus Status { get; set; }

    /// <summary>
    /// The article's own date ("Datum", a Berlin calendar day): shown to readers and used for ordering, the year
    /// filter and <c>datePublished</c>. A report of a meeting on 20.04.2023 written today carries 20.04.2023;
    /// publishing does not change it.
    /// </summary>
    public DateOnly Date { get; set; }

    /// <summary>When the article becomes visible; for a scheduled article a date in the future.</summary>
    public DateTime? PublishedAtUtc { get; set; }

    /// <summary>Login of whoever saved last; admin-only, never shown to readers.</summary>
    public string Author { get; set; } = "";

    /// <summary>The editor credited publicly (their <see cref="ApplicationUser.PublicName"/>); null means "Redaktion".</summary>
    public string? AuthorId { get; set; }

    public ApplicationUser? AuthorUser { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Set when an editor deleted the article: it sits in the Papierkorb (restorable) and goes for good after 30 days.</summary>
    public DateTime? DeletedAtUtc { get; set; }

    /// <summary>Optimistic concurrency token: two editors saving the same version conflict.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>
    /// The pending version ("geänderte Fassung") of a live article: saved text that readers do not see until
    /// "Änderungen veröffentlichen". Title, teaser and body only; all other fields apply at once (ADR 0020).
    /// </summary>
    public string? PendingTitle { get; set; }

    public string? PendingTeaser { get; set; }

    public string? PendingBody { get; set; }

    /// <summary>Set while a pending version waits; null when there is none.</summary>
    public DateTime? PendingSavedAtUtc { get; set; }

    public string? PendingSavedBy { get; set; }

    public bool HasPendingVersion => PendingSavedAtUtc is not null;

    public ICollection<Region> Regions { get; } = [];

    public bool IsVisibleAt(DateTime utcNow) =>
        DeletedAtUtc is null && Status != ArticleStatus.Draft && PublishedAtUtc is { } published && published <= utcNow;
}
