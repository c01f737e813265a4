namespace LprEvents.Web.Domain;

/// <summary>What the site search finds: a public article or event.</summary>
public enum SearchKind : byte
{
    Article = 1,
    Event = 2,
}

/// <summary>
/// One public article or event in the site search's own index (docs/decisions/0021): what a result shows
/// (title, address, date, the plain text a snippet is cut from) and when it may be shown. Written only by
/// <c>Services/Search/SearchIndexer</c>; drafts and deleted articles are never here.
/// </summary>
public class SearchDocument
{
    public int Id { get; set; }

    public SearchKind Kind { get; set; }

    /// <summary>The article's or event's id.</summary>
    public int EntityId { get; set; }

    public required string Title { get; set; }

    public required string Slug { get; set; }

    /// <summary>Teaser and body (an event: summary, venue, description and program) as plain text, without the title.</summary>
    public string Text { get; set; } = "";

    /// <summary>The article's own date or the event's first day (Berlin): results of equal rank are newest first by it.</summary>
    public DateOnly SortDate { get; set; }

    /// <summary>When an article becomes public (a scheduled article is indexed ahead and shown from then); null for events.</summary>
    public DateTime? VisibleFromUtc { get; set; }

    public DateTime IndexedAtUtc { get; set; }

    public ICollection<SearchDocumentRegion> Regions { get; } = [];
}

/// <summary>A region of a search document, for the region filter.</summary>
public class SearchDocumentRegion
{
    public int DocumentId { get; set; }

    public int RegionId { get; set; }
}

/// <summary>
/// One posting: the folded and stemmed <see cref="Term"/> occurs in the document. The ranking and visibility
/// columns are copied from the document so that the top hits of a term are one ordered range of one index
/// (Term, InTitle, SortDay, DocumentId, …), read with a limit, whatever the number of matching documents.
/// Kept small on purpose (numbers rather than text): there are a few hundred rows per document.
/// </summary>
public class SearchTerm
{
    /// <summary>At most <c>SearchText.MaxTermLength</c> characters.</summary>
    public required string Term { get; set; }

    public int DocumentId { get; set; }

    /// <summary>The term occurs in the title: such documents rank first.</summary>
    public bool InTitle { get; set; }

    public SearchKind Kind { get; set; }

    /// <summary>The document's <see cref="SearchDocument.SortDate"/> as <see cref="DateOnly.DayNumber"/>.</summary>
    public int SortDay { get; set; }

    /// <summary>Null when the document was already public when indexed; otherwise when it becomes public.</summary>
    public DateTime? VisibleFromUtc { get; set; }
}
