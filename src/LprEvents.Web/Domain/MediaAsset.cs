namespace LprEvents.Web.Domain;

/// <summary>An uploaded image or PDF. Images are served in several widths (<see cref="VariantWidths"/>).</summary>
public class MediaAsset
{
    public int Id { get; set; }

    public MediaKind Kind { get; set; }

    /// <summary>Stored file name (generated, no path), e.g. <c>3f2a….jpg</c>.</summary>
    public required string FileName { get; set; }

    public string OriginalFileName { get; set; } = "";

    public required string ContentType { get; set; }

    public long SizeBytes { get; set; }

    public string AltText { get; set; } = "";

    public string Caption { get; set; } = "";

    public required string Credit { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    /// <summary>Comma-separated widths of the generated variants, stored as <c>{name}-{width}.{ext}</c>.</summary>
    public string VariantWidths { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public IReadOnlyList<int> GetVariantWidths() =>
        VariantWidths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse)
            .Order()
            .ToList();
}
