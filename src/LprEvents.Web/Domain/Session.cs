namespace LprEvents.Web.Domain;

/// <summary>A program item of an event: a talk, a small group, a break.</summary>
public class Session
{
    public int Id { get; set; }

    public int EventId { get; set; }

    public Event Event { get; set; } = null!;

    public DateTime StartsAtUtc { get; set; }

    public DateTime EndsAtUtc { get; set; }

    public required string Title { get; set; }

    public SessionKind Kind { get; set; }

    public string Speakers { get; set; } = "";

    public string Room { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Set for parallel small groups that participants choose when they register.</summary>
    public int? Capacity { get; set; }

    /// <summary>Order among items that start at the same time (parallel small groups); otherwise the time decides.</summary>
    public int SortOrder { get; set; }

    public int? MaterialsId { get; set; }

    public MediaAsset? Materials { get; set; }

    public ICollection<Participant> Participants { get; } = [];

    public bool IsChoosable => Capacity is not null;
}
