using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Home;

public sealed record HomeViewModel(IReadOnlyList<ArticleCard> Articles, IReadOnlyList<EventCard> Events, IReadOnlyList<RegionSummary> Regions);

public sealed record RegionSummary(string Name, string Slug, string Description, int UpcomingEvents);
