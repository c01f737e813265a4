using LprEvents.Web.Domain;

namespace LprEvents.Web.ViewModels.Shared;

public sealed record EventCard(
    string Title,
    string Slug,
    EventKind Kind,
    DateTime StartsAtUtc,
    DateTime EndsAtUtc,
    string VenueName,
    string VenueCity,
    string Summary,
    IReadOnlyList<string> Regions,
    RegistrationInfo Registration);

/// <summary>Registration state with the figures a reader sees: "Noch 9 von 40 Plätzen frei".</summary>
public sealed record RegistrationInfo(RegistrationState State, int? Capacity, int Confirmed, DateTime? OpensAtUtc, DateTime? ClosesAtUtc)
{
    public int? FreePlaces => Capacity is { } capacity ? Math.Max(0, capacity - Confirmed) : null;
}

public sealed record RegionLink(string Name, string Slug);
