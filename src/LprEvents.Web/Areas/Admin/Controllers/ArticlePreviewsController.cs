using LprEvents.Web.Data;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>An article as readers will see it: the editor's full-page preview and secret links for colleagues.</summary>
[Route("admin/beitraege/{id:int}")]
public sealed class ArticlePreviewsController(LprEventsDbContext db, ArticlePreviews previews, MarkdownRenderer markdown, TimeProvider time) : AdminController
{
    /// <summary>The saved article in the public page's layout, whatever its status.</summary>
    [HttpGet("ansicht")]
    public async Task<IActionResult> FullPage(int id, CancellationToken ct)
    {
        if (await LprEvents.Web.Controllers.ArticlesController.ArticleForPreview(db, id).FirstOrDefaultAsync(ct) is not { } article)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        ViewData["Preview"] = true;
        return View("~/Views/Articles/Detail.cshtml", await LprEvents.Web.Controllers.ArticlesController.ViewModelAsync(db, markdown, article, time.GetUtcNow().UtcDateTime, ct));
    }

    [HttpPost("vorschau-link")]
    public async Task<IActionResult> CreateLink(int id, CancellationToken ct)
    {
        if (await previews.CreateAsync(id, User.Identity?.Name ?? "", ct) is not { } link)
        {
            return NotFound();
        }

        Flash($"Vorschau-Link (gültig bis {BerlinTime.LongDateTime(time.GetUtcNow().UtcDateTime + ArticlePreviews.Lifetime)}, wird nur jetzt angezeigt): {link}");
        return Redirect($"/admin/beitraege/{id}#vorschau-links");
    }

    [HttpPost("vorschau-links-widerrufen")]
    public async Task<IActionResult> RevokeLinks(int id, CancellationToken ct)
    {
        var revoked = await previews.RevokeAllAsync(id, ct);
        Flash(revoked == 1 ? "Der Vorschau-Link funktioniert nicht mehr." : $"{revoked} Vorschau-Links funktionieren nicht mehr.");
        return Redirect($"/admin/beitraege/{id}#vorschau-links");
    }
}
