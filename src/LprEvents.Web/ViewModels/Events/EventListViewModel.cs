using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Events;

public sealed record EventListViewModel(IReadOnlyList<EventCard> Upcoming, IReadOnlyList<EventCard> Past, PageNavigation PastPaging);
