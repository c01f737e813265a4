using LprEvents.Web.ViewModels.Home;
using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Regions;

public sealed record RegionListViewModel(IReadOnlyList<RegionSummary> Regions);

public sealed record RegionViewModel(string Name, string Slug, string Description, IReadOnlyList<EventCard> Events, IReadOnlyList<ArticleCard> Articles);
