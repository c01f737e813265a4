using System.Globalization;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;

namespace LprEvents.Web.ViewModels.Shared;

/// <summary>An image with what the law and the reader need: alt text, caption, credit, and sizes for srcset.</summary>
public sealed record ImageView(string FileName, string AltText, string Caption, string Credit, int Width, int Height, string VariantWidths)
{
    public IReadOnlyList<int> Widths =>
        VariantWidths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => int.Parse(w, CultureInfo.InvariantCulture))
            .Order()
            .ToList();

    /// <summary>The variant a browser without srcset gets: the middle one.</summary>
    public string Src => Widths.Count == 0 ? MediaStorage.Url(FileName) : MediaStorage.VariantUrl(FileName, Widths[Widths.Count / 2]);

    public string SrcSet => string.Join(", ", Widths.Select(w => $"{MediaStorage.VariantUrl(FileName, w)} {w}w"));

    public string LargestUrl => Widths.Count == 0 ? MediaStorage.Url(FileName) : MediaStorage.VariantUrl(FileName, Widths[^1]);

    /// <summary>The credit as typed, with "Bild:" only in front of a bare name.</summary>
    public string CreditLine => LprEvents.Web.Services.Media.MediaLibrary.CreditLine(Credit);

    public static ImageView? From(MediaAsset? asset) =>
        asset is null || asset.Kind != MediaKind.Image
            ? null
            : new ImageView(asset.FileName, asset.AltText, asset.Caption, asset.Credit, asset.Width ?? 0, asset.Height ?? 0, asset.VariantWidths);
}
