using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Serving the media folder under <c>/medien</c>: images inline, PDFs as downloads under the name the editor
/// uploaded them with, and nothing that a browser would run.
/// </summary>
public static class MediaFiles
{
    private const string DownloadNameKey = "LprEvents.MediaDownloadName";

    public static WebApplication UseLprMedia(this WebApplication app)
    {
        var media = app.Services.GetRequiredService<MediaStorage>();
        Directory.CreateDirectory(media.RootPath);
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Clear();
        foreach (var (extension, contentType) in MediaStorage.ServedContentTypes)
        {
            types.Mappings[extension] = contentType;
        }

        // The stored name of a PDF is a slug; the download keeps the editor's own name ("Programm Fachtag Görlitz.pdf").
        app.UseWhen(
            context => IsPdf(context.Request.Path),
            branch => branch.Use(async (context, next) =>
            {
                context.Request.Path.StartsWithSegments(MediaOptions.RequestPath, out var rest);
                var stored = rest.Value?.TrimStart('/') ?? "";
                var db = context.RequestServices.GetRequiredService<LprEventsDbContext>();
                context.Items[DownloadNameKey] = await db.MediaAssets.AsNoTracking()
                    .Where(m => m.FileName == stored && m.Kind == MediaKind.Pdf)
                    .Select(m => m.OriginalFileName)
                    .FirstOrDefaultAsync(context.RequestAborted);
                await next(context);
            }));

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(media.RootPath),
            RequestPath = MediaOptions.RequestPath,
            ContentTypeProvider = types,
            OnPrepareResponse = ctx =>
            {
                var headers = ctx.Context.Response.Headers;
                // Media file names never change their content: a new upload gets a new name.
                headers.CacheControl = "public, max-age=31536000, immutable";
                headers.XContentTypeOptions = "nosniff";
                if (ctx.File.Name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
                {
                    headers.ContentDisposition = Attachment(ctx.File.Name, ctx.Context.Items[DownloadNameKey] as string);
                }
            },
        });
        return app;
    }

    /// <summary>
    /// <c>attachment; filename=stored-name.pdf; filename*=UTF-8''Original%20Name.pdf</c> (RFC 6266, RFC 5987): the ASCII
    /// stored name for old clients, the uploaded name with its umlauts for all others.
    /// </summary>
    private static string Attachment(string storedName, string? originalName)
    {
        var name = new string((originalName ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            name = storedName;
        }
        else if (!name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            name += ".pdf";
        }

        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = storedName, FileNameStar = name };
        return disposition.ToString();
    }

    private static bool IsPdf(PathString path) =>
        path.StartsWithSegments(MediaOptions.RequestPath, out var rest)
        && rest.Value is { } file
        && file.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase);
}
