using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Articles;

public sealed record ArticleViewModel(
    string Title,
    string Slug,
    string Teaser,
    string BodyHtml,
    DateTime PublishedAtUtc,
    DateTime UpdatedAtUtc,
    string Author,
    ImageView? Image,
    IReadOnlyList<RegionLink> Regions,
    EventCard? Event);
