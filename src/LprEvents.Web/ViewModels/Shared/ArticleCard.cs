namespace LprEvents.Web.ViewModels.Shared;

public sealed record ArticleCard(string Title, string Slug, string Teaser, DateTime PublishedAtUtc, ImageView? Image, IReadOnlyList<string> Regions);
