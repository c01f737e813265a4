using LprEvents.Web.ViewModels.Home;
using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Regions;

public sealed record RegionListViewModel(IReadOnlyList<RegionSummary> Regions);

/// <param name="MoreEvents">More upcoming events than <see cref="Events"/> holds: the page links to the region's event list.</param>
public sealed record RegionViewModel(string Name, string Slug, string Description, IReadOnlyList<EventCard> Events, IReadOnlyList<ArticleCard> Articles, bool MoreEvents = false);
