using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Articles;

/// <param name="AuthorName">The author's public name; null means the article is credited to the editorial team.</param>
public sealed record ArticleViewModel(
    string Title,
    string Slug,
    string Teaser,
    string BodyHtml,
    DateOnly Date,
    DateTime UpdatedAtUtc,
    string? AuthorName,
    ImageView? Image,
    IReadOnlyList<RegionLink> Regions,
    EventCard? Event);
