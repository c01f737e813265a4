using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Processing;

namespace LprEvents.Web.Services.Media;

public sealed record UploadResult(MediaAsset? Asset, string? Error);

/// <summary>
/// Uploads into the media library: the real content type is read from the bytes (not the file name),
/// images are turned upright, stripped of all metadata (EXIF with GPS position, IPTC, XMP) and stored as
/// resized variants; PDFs are checked for their signature.
/// </summary>
public sealed class MediaLibrary(LprEventsDbContext db, MediaStorage storage, AuditLog audit, TimeProvider time)
{
    public const long MaxImageBytes = 10 * 1024 * 1024;
    public const long MaxPdfBytes = 20 * 1024 * 1024;
    public const int MaxPixels = 40_000_000;
    public static readonly int[] Widths = [480, 960, 1600];

    /// <summary>Labels an editor may type in front of a credit; the site adds none of its own then.</summary>
    private static readonly string[] CreditLabels = ["©", "(c)", "Foto:", "Fotos:", "Bild:", "Bilder:", "Grafik:", "Illustration:", "Quelle:", "Abbildung:"];

    /// <summary>
    /// The credit as the editor typed it ("Foto: Anna Berger", "© LPR Sachsen"); a bare name gets "Bild:" in front,
    /// so a credit never reads "Bild: Foto: …".
    /// </summary>
    public static string CreditLine(string credit)
    {
        var typed = credit.Trim();
        return typed.Length == 0 || CreditLabels.Any(l => typed.StartsWith(l, StringComparison.OrdinalIgnoreCase)) ? typed : $"Bild: {typed}";
    }

    /// <summary>The address of a file as used in an article body: for images the variant closest to the text column (960 px).</summary>
    public static string BodyUrl(MediaKind kind, string fileName, string variantWidths)
    {
        var widths = variantWidths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        if (kind != MediaKind.Image || widths.Count == 0)
        {
            return MediaStorage.Url(fileName);
        }

        return MediaStorage.VariantUrl(fileName, widths.Where(w => w <= 960).DefaultIfEmpty(widths[0]).Max());
    }

    /// <summary>The Markdown that puts the file into an article: an image with its alt text, a PDF as a link.</summary>
    public static string MarkdownSnippet(MediaKind kind, string fileName, string variantWidths, string altText, string caption, string originalFileName)
    {
        var url = BodyUrl(kind, fileName, variantWidths);
        if (kind == MediaKind.Image)
        {
            return $"![{EscapeLinkText(altText)}]({url})";
        }

        var title = string.IsNullOrWhiteSpace(caption) ? Path.GetFileNameWithoutExtension(originalFileName) : caption.Trim();
        return $"[{EscapeLinkText(title)} (PDF)]({url})";
    }

    /// <summary>Alt text that only repeats the caption is read out twice and describes nothing.</summary>
    public static bool AltTextRepeatsCaption(string altText, string caption) =>
        !string.IsNullOrWhiteSpace(altText)
        && string.Equals(altText.Trim().TrimEnd('.'), caption.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static string EscapeLinkText(string text) =>
        text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    public async Task<UploadResult> UploadAsync(Stream content, long length, string originalName, string altText, string caption, string credit, CancellationToken ct)
    {
        if (length <= 0)
        {
            return new(null, "Die Datei ist leer.");
        }

        await using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var header = new byte[5];
        _ = await buffer.ReadAsync(header, ct);
        buffer.Position = 0;

        if (header is [(byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-'])
        {
            return length > MaxPdfBytes
                ? new(null, "Die PDF-Datei ist größer als 20 MB.")
                : await StorePdfAsync(buffer, originalName, caption, credit, ct);
        }

        if (length > MaxImageBytes)
        {
            return new(null, "Das Bild ist größer als 10 MB. Bitte verkleinern Sie es vor dem Hochladen.");
        }

        IImageFormat? format;
        try
        {
            format = await Image.DetectFormatAsync(buffer, ct);
        }
        catch (UnknownImageFormatException)
        {
            format = null;
        }

        buffer.Position = 0;
        if (format is not (JpegFormat or PngFormat or WebpFormat))
        {
            return new(null, "Diese Datei ist kein JPEG-, PNG- oder WebP-Bild und keine PDF-Datei.");
        }

        if (string.IsNullOrWhiteSpace(altText))
        {
            return new(null, "Bitte beschreiben Sie im Alternativtext, was auf dem Bild zu sehen ist.");
        }

        // Read the dimensions from the header before decoding: a small file can claim billions of pixels.
        IImageInfo? info;
        try
        {
            info = await Image.IdentifyAsync(buffer, ct);
        }
        catch (Exception ex) when (ex is ImageFormatException or InvalidImageContentException or UnknownImageFormatException)
        {
            info = null;
        }

        buffer.Position = 0;
        if (info is null || (long)info.Width * info.Height > MaxPixels)
        {
            return new(null, "Das Bild hat zu viele Bildpunkte (höchstens 40 Megapixel) oder ist beschädigt.");
        }

        Image image;
        try
        {
            image = await Image.LoadAsync(buffer, ct);
        }
        catch (Exception ex) when (ex is ImageFormatException or InvalidImageContentException or UnknownImageFormatException)
        {
            return new(null, "Das Bild ist beschädigt und kann nicht gelesen werden.");
        }

        using (image)
        {
            if ((long)image.Width * image.Height > MaxPixels)
            {
                return new(null, "Das Bild hat zu viele Bildpunkte (höchstens 40 Megapixel).");
            }

            image.Mutate(x => x.AutoOrient());
            image.Metadata.ExifProfile = null;
            image.Metadata.IptcProfile = null;
            image.Metadata.XmpProfile = null;
            image.Metadata.IccProfile = null;

            var extension = format switch { PngFormat => ".png", WebpFormat => ".webp", _ => ".jpg" };
            var fileName = $"{Slugs.From(Path.GetFileNameWithoutExtension(originalName))}-{Guid.NewGuid().ToString("N")[..8]}{extension}";
            var widths = Widths.Where(w => w < image.Width).Append(Math.Min(image.Width, Widths[^1])).Distinct().Order().ToList();
            Directory.CreateDirectory(storage.RootPath);
            foreach (var width in widths)
            {
                using var variant = image.Clone(x => x.Resize(width, 0));
                IImageEncoder encoder = format switch
                {
                    PngFormat => new PngEncoder(),
                    WebpFormat => new WebpEncoder { Quality = 80 },
                    _ => new JpegEncoder { Quality = 82 },
                };
                await variant.SaveAsync(Path.Combine(storage.RootPath, MediaStorage.VariantFileName(fileName, width)), encoder, ct);
            }

            var asset = new MediaAsset
            {
                Kind = MediaKind.Image,
                FileName = fileName,
                OriginalFileName = Path.GetFileName(originalName),
                ContentType = format.DefaultMimeType,
                SizeBytes = length,
                AltText = altText.Trim(),
                Caption = caption.Trim(),
                Credit = credit.Trim(),
                Width = image.Width,
                Height = image.Height,
                VariantWidths = string.Join(',', widths),
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            };
            db.MediaAssets.Add(asset);
            await db.SaveChangesAsync(ct);
            audit.Record("created", "MediaAsset", asset.Id, $"Bild „{asset.OriginalFileName}“ hochgeladen");
            await db.SaveChangesAsync(ct);
            return new(asset, null);
        }
    }

    private async Task<UploadResult> StorePdfAsync(MemoryStream buffer, string originalName, string caption, string credit, CancellationToken ct)
    {
        var fileName = $"{Slugs.From(Path.GetFileNameWithoutExtension(originalName))}-{Guid.NewGuid().ToString("N")[..8]}.pdf";
        Directory.CreateDirectory(storage.RootPath);
        await File.WriteAllBytesAsync(Path.Combine(storage.RootPath, fileName), buffer.ToArray(), ct);
        var asset = new MediaAsset
        {
            Kind = MediaKind.Pdf,
            FileName = fileName,
            OriginalFileName = Path.GetFileName(originalName),
            ContentType = "application/pdf",
            SizeBytes = buffer.Length,
            Caption = caption.Trim(),
            Credit = credit.Trim(),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.MediaAssets.Add(asset);
        await db.SaveChangesAsync(ct);
        audit.Record("created", "MediaAsset", asset.Id, $"PDF „{asset.OriginalFileName}“ hochgeladen");
        await db.SaveChangesAsync(ct);
        return new(asset, null);
    }
}
