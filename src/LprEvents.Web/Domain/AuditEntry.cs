namespace LprEvents.Web.Domain;

/// <summary>Who did what to which record, and when. Summaries never hold participants' personal data.</summary>
public class AuditEntry
{
    public long Id { get; set; }

    public DateTime AtUtc { get; set; }

    public string? UserId { get; set; }

    /// <summary>The editor's e-mail address at the time (accounts may be deleted later).</summary>
    public string UserName { get; set; } = "";

    /// <summary>created, changed, published, scheduled, unpublished, deleted, exported, cancelled, checked-in, …</summary>
    public required string Action { get; set; }

    public required string EntityType { get; set; }

    public string? EntityId { get; set; }

    public string Summary { get; set; } = "";
}
