using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Media;

namespace LprEvents.Web.Areas.Admin.ViewModels;

public sealed class MediaUploadForm
{
    public string? AltText { get; set; }

    public string? Caption { get; set; }

    public string? Credit { get; set; }
}

public sealed record MediaRow(int Id, MediaKind Kind, string FileName, string OriginalFileName, string AltText, string Caption, string Credit, int? Width, int? Height, string VariantWidths, long SizeBytes)
{
    public string Url => Kind == MediaKind.Pdf
        ? MediaStorage.Url(FileName)
        : MediaStorage.VariantUrl(FileName, VariantWidths.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(480).Min());

    /// <summary>The path used in article bodies (the public address is this on the site's host).</summary>
    public string BodyPath => MediaLibrary.BodyUrl(Kind, FileName, VariantWidths);

    public string Snippet => MediaLibrary.MarkdownSnippet(Kind, FileName, VariantWidths, AltText, Caption, OriginalFileName);

    public bool AltTextRepeatsCaption => Kind == MediaKind.Image && MediaLibrary.AltTextRepeatsCaption(AltText, Caption);
}

public sealed record MediaListViewModel(IReadOnlyList<MediaRow> Items, MediaUploadForm Form, string? Error);
