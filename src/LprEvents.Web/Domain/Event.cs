namespace LprEvents.Web.Domain;

/// <summary>
/// A meeting, conference day or workshop. Times are stored as UTC <see cref="DateTime"/> because EF Core's
/// SQLite provider cannot order or compare <see cref="DateTimeOffset"/>; they are shown in Europe/Berlin time.
/// </summary>
public class Event
{
    public int Id { get; set; }

    public required string Title { get; set; }

    public required string Slug { get; set; }

    public EventKind Kind { get; set; }

    public DateTime StartsAtUtc { get; set; }

    public DateTime EndsAtUtc { get; set; }

    public required string VenueName { get; set; }

    public string VenueStreet { get; set; } = "";

    public string VenuePostcode { get; set; } = "";

    public string VenueCity { get; set; } = "";

    public string? OnlineUrl { get; set; }

    public string Organisers { get; set; } = "";

    public string TargetAudience { get; set; } = "";

    public string Summary { get; set; } = "";

    public string Description { get; set; } = "";

    public EventStatus Status { get; set; }

    public DateTime? RegistrationOpensAtUtc { get; set; }

    public DateTime? RegistrationClosesAtUtc { get; set; }

    /// <summary>Seats for confirmed participants; null means no registration through the portal.</summary>
    public int? Capacity { get; set; }

    public bool WaitingListEnabled { get; set; }

    public bool AskAccessibilityNeeds { get; set; } = true;

    public bool AskDietaryNeeds { get; set; } = true;

    public int? LeadImageId { get; set; }

    public MediaAsset? LeadImage { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>When the event first became public (left draft); the e-mail digest announces events by it. Null for drafts.</summary>
    public DateTime? PublishedAtUtc { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>
    /// Bumped by every operation that takes or frees a seat. Writing it first in the transaction locks the
    /// event row, so concurrent confirmations for one event run one after another (docs/decisions/0010).
    /// </summary>
    public long SeatLock { get; set; }

    public ICollection<Region> Regions { get; } = [];

    public ICollection<Session> Sessions { get; } = [];

    public ICollection<Participant> Participants { get; } = [];

    public ICollection<Article> Articles { get; } = [];

    public bool HasRegistration => Capacity is not null;
}
