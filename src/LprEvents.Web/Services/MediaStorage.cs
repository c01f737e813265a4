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

    /// <summary>
    /// Whether an image address points into this portal's media library: <c>/medien/…</c>, or an absolute address with
    /// that path on the scheme, host and port of <paramref name="publicBaseUrl"/> (Site:PublicBaseUrl). Everything else is
    /// someone else's server or carries its own bytes: <c>https://other.example/…</c>, <c>//other.example/…</c>,
    /// <c>data:</c>, and addresses with whitespace or backslashes, which browsers clean up into something else.
    /// </summary>
    public static bool IsOwnMediaUrl(string? url, string? publicBaseUrl)
    {
        if (string.IsNullOrEmpty(url) || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\'))
        {
            return false;
        }

        if (url.StartsWith('/'))
        {
            return IsMediaFilePath(url);
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var address)
            && Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var site)
            && (address.Scheme == Uri.UriSchemeHttps || address.Scheme == Uri.UriSchemeHttp)
            && address.Scheme == site.Scheme
            && string.IsNullOrEmpty(address.UserInfo)
            && string.Equals(address.IdnHost, site.IdnHost, StringComparison.OrdinalIgnoreCase)
            && address.Port == site.Port
            && IsMediaFilePath(address.AbsolutePath);
    }

    /// <summary>
    /// <c>/medien/</c> and one plain file name (media files live in one flat folder): no further segments, no
    /// dot segments, nothing percent-encoded, so <c>/medien/../admin/…</c> or <c>/medien/%2e%2e/…</c> cannot make a
    /// reader's browser request another page of the site.
    /// </summary>
    private static bool IsMediaFilePath(string path)
    {
        const string prefix = MediaOptions.RequestPath + "/";
        if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var name = path[prefix.Length..];
        var query = name.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            name = name[..query];
        }

        return name.Length > 0
            && char.IsAsciiLetterOrDigit(name[0])
            && !name.Contains("..", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }

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
