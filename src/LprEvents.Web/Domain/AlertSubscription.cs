namespace LprEvents.Web.Domain;

/// <summary>
/// One address that asked for the weekly e-mail digest of some regions. Holds only what the digest needs:
/// the address, the regions, when consent was given and confirmed, and when the last digest went out; the
/// links in its e-mails are stored as hashes (<see cref="AlertLink"/>). Unsubscribing deletes the row.
/// </summary>
public class AlertSubscription
{
    public int Id { get; set; }

    public required string Email { get; set; }

    /// <summary>Trimmed and lower-case: one subscription per address.</summary>
    public required string EmailNormalized { get; set; }

    /// <summary>Every region, including any added later; <see cref="Regions"/> is then empty.</summary>
    public bool AllRegions { get; set; }

    /// <summary>When the form with the consent box was sent.</summary>
    public DateTime ConsentedAtUtc { get; set; }

    /// <summary>When the address was confirmed through the e-mailed link; null while unconfirmed (removed after 48 hours).</summary>
    public DateTime? ConfirmedAtUtc { get; set; }

    /// <summary>The digest slot last handled for this subscription (claimed with a conditional update).</summary>
    public DateTime? LastDigestAtUtc { get; set; }

    public ICollection<Region> Regions { get; } = [];

    public ICollection<AlertLink> Links { get; } = [];
}

/// <summary>
/// A link in an alert e-mail (confirm, manage, unsubscribe). Each e-mail mints its own, so an older e-mail's
/// link keeps working; only the SHA-256 of the token is stored, as for registrations (docs/decisions/0012).
/// </summary>
public class AlertLink
{
    public int Id { get; set; }

    public int SubscriptionId { get; set; }

    public AlertSubscription Subscription { get; set; } = null!;

    public required string TokenHash { get; set; }

    public DateTime CreatedAtUtc { get; set; }
}
