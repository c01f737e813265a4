namespace LprEvents.Web.Domain;

/// <summary>
/// What a privacy run removed: kind, how many, when, for which event. Never names or addresses.
/// </summary>
public class DeletionLogEntry
{
    public long Id { get; set; }

    public DateTime RunAtUtc { get; set; }

    /// <summary><c>expired-unconfirmed</c>, <c>anonymised-after-event</c> or <c>deleted-on-request</c>.</summary>
    public required string Kind { get; set; }

    public int? EventId { get; set; }

    public int Count { get; set; }
}
