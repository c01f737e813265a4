namespace LprEvents.Web.Domain;

/// <summary>One registration of one person for one event.</summary>
public class Participant
{
    public int Id { get; set; }

    public int EventId { get; set; }

    public Event Event { get; set; } = null!;

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Email { get; set; }

    /// <summary>Lower-case e-mail; one active registration per address and event is enforced on it.</summary>
    public required string EmailNormalized { get; set; }

    public string Organisation { get; set; } = "";

    public OrganisationType OrganisationType { get; set; }

    public string Function { get; set; } = "";

    public int? RegionId { get; set; }

    public Region? Region { get; set; }

    public string? AccessibilityNeeds { get; set; }

    public string? DietaryNeeds { get; set; }

    public bool PhotoConsent { get; set; }

    public required string PrivacyConsentVersion { get; set; }

    public ParticipantStatus Status { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? ConfirmedAtUtc { get; set; }

    public DateTime? CancelledAtUtc { get; set; }

    public DateTime? CheckedInAtUtc { get; set; }

    public DateTime? AnonymisedAtUtc { get; set; }

    /// <summary>Set when the reminder one day before the event was queued.</summary>
    public DateTime? RemindedAtUtc { get; set; }

    public bool HoldsSeat => ParticipantRules.IsSeatHolding(Status);

    public bool IsActive => Status != ParticipantStatus.Cancelled;

    public ICollection<Session> Sessions { get; } = [];

    /// <summary>The private links that open this registration; none once it is anonymised or revoked.</summary>
    public ICollection<ParticipantLink> Links { get; } = [];
}
