using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Articles;

public sealed record ArticleListViewModel(
    IReadOnlyList<ArticleCard> Articles,
    PageNavigation Paging,
    IReadOnlyList<RegionLink> Regions,
    IReadOnlyList<int> Years,
    string? Region,
    int? Year)
{
    public string? RegionName => Regions.FirstOrDefault(r => r.Slug == Region)?.Name;
}
