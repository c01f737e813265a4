namespace LprEvents.Web.Domain;

/// <summary>A district (Landkreis) or district-free city of Saxony.</summary>
public class Region
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string Slug { get; set; }

    public string Description { get; set; } = "";

    public int SortOrder { get; set; }

    public ICollection<Event> Events { get; } = [];

    public ICollection<Article> Articles { get; } = [];
}
