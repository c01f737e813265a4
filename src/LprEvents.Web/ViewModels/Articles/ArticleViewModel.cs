using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Articles;

/// <param name="Description">The teaser, or the body's first sentences without one: meta description, OpenGraph, JSON-LD.</param>
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
    EventCard? Event,
    string Description);
