using LprEvents.Web.Domain;
using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Events;

public sealed record EventViewModel(
    EventCard Card,
    string VenueStreet,
    string VenuePostcode,
    string Organisers,
    string TargetAudience,
    string DescriptionHtml,
    bool WaitingListEnabled,
    ImageView? Image,
    IReadOnlyList<RegionLink> Regions,
    IReadOnlyList<SessionView> Program,
    IReadOnlyList<ArticleCard> Reports);

public sealed record SessionView(
    DateTime StartsAtUtc,
    DateTime EndsAtUtc,
    string Title,
    SessionKind Kind,
    string Speakers,
    string Room,
    string DescriptionHtml,
    int? Capacity,
    int Taken,
    string? MaterialsUrl = null,
    string? MaterialsName = null)
{
    public int? FreePlaces => Capacity is { } c ? Math.Max(0, c - Taken) : null;
}
