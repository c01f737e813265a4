using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Events;

/// <param name="Region">The region the list is limited to (<c>?region=</c>), or null for all of Saxony.</param>
public sealed record EventListViewModel(IReadOnlyList<EventCard> Upcoming, IReadOnlyList<EventCard> Past, PageNavigation PastPaging, RegionLink? Region = null);
