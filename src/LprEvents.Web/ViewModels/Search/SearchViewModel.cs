using LprEvents.Web.Services.Search;
using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Search;

/// <summary>The search page: the form as typed, and (when something was searched) one page of hits.</summary>
public sealed record SearchViewModel(
    string Query,
    string? Type,
    string? Region,
    IReadOnlyList<RegionLink> Regions,
    IReadOnlyList<SearchHit> Hits,
    IReadOnlySet<string> Terms,
    PageNavigation? Paging,
    bool MoreThanMax,
    string? Problem,
    IReadOnlyList<string> IgnoredWords)
{
    /// <summary>Whether a search ran (the empty form shows no results and no count).</summary>
    public bool Searched => Paging is not null;

    public bool Filtered => Type is not null || Region is not null;

    public string? RegionName => Regions.FirstOrDefault(r => r.Slug == Region)?.Name;
}
