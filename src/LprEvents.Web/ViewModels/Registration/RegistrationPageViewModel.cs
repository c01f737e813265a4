using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.ViewModels.Registration;

public sealed record RegistrationPageViewModel(
    int EventId,
    EventCard Event,
    string VenueStreet,
    string VenuePostcode,
    bool AskAccessibilityNeeds,
    bool AskDietaryNeeds,
    IReadOnlyList<RegionOption> Regions,
    IReadOnlyList<SessionSlot> Slots,
    RegistrationForm Form);

public sealed record RegionOption(int Id, string Name);

/// <summary>Parallel choosable sessions at one time: the participant picks one.</summary>
public sealed record SessionSlot(int Index, DateTime StartsAtUtc, DateTime EndsAtUtc, IReadOnlyList<SessionChoice> Choices)
{
    public string Label => $"{BerlinTime.TimeRange(StartsAtUtc, EndsAtUtc)}";
}

/// <param name="EventFull">The event itself has no seat left: the group is "ausgebucht" even with places of its own.</param>
public sealed record SessionChoice(int Id, string Title, string Room, int Capacity, int Taken, bool EventFull = false)
{
    public int Free => EventFull ? 0 : Math.Max(0, Capacity - Taken);
}

public sealed record ParticipantPageViewModel(
    string Token,
    EventCard Event,
    string Location,
    string FirstName,
    string LastName,
    string Email,
    string Organisation,
    OrganisationType OrganisationType,
    string Function,
    string? Region,
    ParticipantStatus Status,
    int? WaitingPosition,
    bool PhotoConsent,
    IReadOnlyList<SessionSlot> Slots,
    IReadOnlyDictionary<int, int> Chosen,
    bool CanChange,
    string? Notice,
    string? OnlineAccessUrl)
{
    public bool IsActive => Status != ParticipantStatus.Cancelled;
}

public enum ParticipantConfirmKind
{
    Cancel,
    DeleteData,
}

/// <summary>The question before a participant cancels or deletes their data, with its consequence.</summary>
public sealed record ParticipantConfirmViewModel(string Token, ParticipantConfirmKind Kind, string EventTitle, ParticipantStatus Status);
