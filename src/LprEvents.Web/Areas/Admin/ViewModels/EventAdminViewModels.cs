using LprEvents.Web.Domain;
using LprEvents.Web.Services.Participants;

namespace LprEvents.Web.Areas.Admin.ViewModels;

public sealed record EventAdminRow(int Id, string Title, EventStatus Status, DateTime StartsAtUtc, string VenueCity, int? Capacity, int Confirmed, int Waiting);

public sealed record EventAdminListViewModel(IReadOnlyList<EventAdminRow> Upcoming, IReadOnlyList<EventAdminRow> Past);

public sealed record EventHeader(int Id, string Title, string Slug, EventStatus Status, DateTime StartsAtUtc, DateTime EndsAtUtc, string Venue, int? Capacity, bool IsPast);

public sealed record SessionCount(string Title, int? Capacity, int Taken);

public sealed record ParticipantsViewModel(
    EventHeader Event,
    IReadOnlyList<ParticipantRow> Rows,
    IReadOnlyDictionary<ParticipantStatus, int> Counts,
    IReadOnlyList<SessionCount> Sessions,
    ParticipantStatus? Filter,
    string? Search,
    bool BySmallGroup = false);

public sealed record ConfirmViewModel(EventHeader Event, string Question, string Consequence, string Action, string Button);

public sealed record StatisticsViewModel(EventHeader Event, IReadOnlyList<StatisticsRow> ByRegion, IReadOnlyList<StatisticsRow> ByType, int Total);
