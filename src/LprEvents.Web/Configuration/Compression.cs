using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Brotli and gzip for text responses (ADR 0023). Not for responses that carry a secret next to reflected input
/// (BREACH): the admin area, private pages (their address is the secret) and every response that says no-store,
/// which is what antiforgery sets on each page with a form token.
/// </summary>
public static class Compression
{
    private static readonly string[] NeverCompressed = ["/admin", "/anmeldung", "/vorschau"];

    public static WebApplicationBuilder AddLprCompression(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.AddResponseCompression(o =>
        {
            // Safe for https because of the exclusions in ShouldCompressResponse.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(
                ["application/atom+xml", "application/rss+xml", "text/calendar", "image/svg+xml", "application/manifest+json"]);
        });
        services.AddSingleton<IResponseCompressionProvider, SafeCompressionProvider>();
        return builder;
    }

    /// <summary>
    /// Which of our encodings the client accepts ("br,gzip", "gzip", "" …): the output cache keeps one compressed copy
    /// per value, so every client sharing a copy can read it.
    /// </summary>
    public static string EncodingFor(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var values))
        {
            return "";
        }

        var br = false;
        var gzip = false;
        foreach (var value in values)
        {
            if (value.Quality is 0)
            {
                continue;
            }

            br |= value.Value.Equals("br", StringComparison.OrdinalIgnoreCase) || value.Value.Equals("*", StringComparison.Ordinal);
            gzip |= value.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || value.Value.Equals("*", StringComparison.Ordinal);
        }

        return (br, gzip) switch
        {
            (true, true) => "br,gzip",
            (true, false) => "br",
            (false, true) => "gzip",
            _ => "",
        };
    }

    private sealed class SafeCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context)
        {
            var path = context.Request.Path;
            if (NeverCompressed.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
                || context.Response.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return base.ShouldCompressResponse(context);
        }
    }
}
