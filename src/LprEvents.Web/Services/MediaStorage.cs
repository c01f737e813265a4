using LprEvents.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services;

/// <summary>
/// Where media files live and how they are addressed. An image is stored only as its variants,
/// <c>{stem}-{width}{ext}</c>; <see cref="Domain.MediaAsset.FileName"/> is the stem with its extension.
/// </summary>
public sealed class MediaStorage(IOptions<MediaOptions> options, IWebHostEnvironment environment)
{
    /// <summary>
    /// The only files served from the media folder, by extension: what <see cref="Media.MediaLibrary"/> stores.
    /// Anything else there (an .html, .svg or .js an operator copied in) is never served: in the portal's origin it could run script.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServedContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".webp"] = "image/webp",
        [".pdf"] = "application/pdf",
    };

    public string RootPath { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.RootPath));

    public static string VariantFileName(string fileName, int width) =>
        $"{Path.GetFileNameWithoutExtension(fileName)}-{width}{Path.GetExtension(fileName)}";

    public static string Url(string storedFileName) => $"{MediaOptions.RequestPath}/{Uri.EscapeDataString(storedFileName)}";

    public static string VariantUrl(string fileName, int width) => Url(VariantFileName(fileName, width));

    /// <summary>Copies a file into the store unless one of that name is there already.</summary>
    public async Task ImportAsync(string sourcePath, CancellationToken ct = default)
    {
        Directory.CreateDirectory(RootPath);
        var target = Path.Combine(RootPath, Path.GetFileName(sourcePath));
        if (!File.Exists(target))
        {
            await using var source = File.OpenRead(sourcePath);
            await using var destination = File.Create(target);
            await source.CopyToAsync(destination, ct);
        }
    }
}
