using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Media;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

[Route("admin/medien")]
public sealed class MediaController(LprEventsDbContext db, MediaLibrary library, AuditLog audit) : AdminController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ListAsync(new MediaUploadForm(), null, ct));

    [HttpPost("")]
    [RequestSizeLimit(MediaLibrary.MaxPdfBytes + 1024 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = MediaLibrary.MaxPdfBytes + 1024 * 1024)]
    public async Task<IActionResult> Upload(MediaUploadForm form, IFormFile? datei, CancellationToken ct)
    {
        string? error = null;
        if (datei is null || datei.Length == 0)
        {
            error = "Bitte wählen Sie eine Datei aus.";
        }
        else if (string.IsNullOrWhiteSpace(form.Credit))
        {
            error = "Bitte geben Sie den Bildnachweis an (zum Beispiel „© LPR Sachsen“).";
        }
        else if ((form.AltText?.Length ?? 0) > 500 || (form.Caption?.Length ?? 0) > 1000 || form.Credit.Length > 200)
        {
            error = "Alternativtext (500), Bildunterschrift (1000) oder Bildnachweis (200 Zeichen) sind zu lang.";
        }

        if (error is null)
        {
            await using var stream = datei!.OpenReadStream();
            var result = await library.UploadAsync(stream, datei.Length, datei.FileName, form.AltText ?? "", form.Caption ?? "", form.Credit!, ct);
            if (result.Asset is { } asset)
            {
                Flash($"„{asset.OriginalFileName}“ ist hochgeladen.");
                return RedirectToAction(nameof(Index));
            }

            error = result.Error;
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Index", await ListAsync(form, error, ct));
    }

    [HttpPost("{id:int}")]
    public async Task<IActionResult> Update(int id, MediaUploadForm form, CancellationToken ct)
    {
        var asset = await db.MediaAssets.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (asset is null)
        {
            return NotFound();
        }

        if (asset.Kind == MediaKind.Image && string.IsNullOrWhiteSpace(form.AltText) || string.IsNullOrWhiteSpace(form.Credit))
        {
            Flash("Alternativtext und Bildnachweis dürfen nicht leer sein; nichts wurde geändert.");
            return RedirectToAction(nameof(Index));
        }

        asset.AltText = (form.AltText ?? "").Trim()[..Math.Min(500, (form.AltText ?? "").Trim().Length)];
        asset.Caption = (form.Caption ?? "").Trim()[..Math.Min(1000, (form.Caption ?? "").Trim().Length)];
        asset.Credit = form.Credit!.Trim()[..Math.Min(200, form.Credit.Trim().Length)];
        audit.Record("changed", "MediaAsset", id, $"Angaben zu „{asset.OriginalFileName}“ geändert");
        await db.SaveChangesAsync(ct);
        Flash("Die Angaben sind gespeichert.");
        return RedirectToAction(nameof(Index));
    }

    private async Task<MediaListViewModel> ListAsync(MediaUploadForm form, string? error, CancellationToken ct)
    {
        var items = await db.MediaAssets.AsNoTracking().OrderByDescending(m => m.Id).Take(200)
            .Select(m => new MediaRow(m.Id, m.Kind, m.FileName, m.OriginalFileName, m.AltText, m.Caption, m.Credit, m.Width, m.Height, m.VariantWidths, m.SizeBytes))
            .ToListAsync(ct);
        return new MediaListViewModel(items, form, error);
    }
}
