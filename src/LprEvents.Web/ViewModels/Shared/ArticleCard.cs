namespace LprEvents.Web.ViewModels.Shared;

public sealed record ArticleCard(string Title, string Slug, string Teaser, DateOnly Date, ImageView? Image, IReadOnlyList<string> Regions);
