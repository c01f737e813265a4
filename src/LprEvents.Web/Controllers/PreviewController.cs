using LprEvents.Web.Data;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>
/// An unpublished article shown through a secret preview link, exactly as the public page will show it. A wrong,
/// expired or revoked link is a plain 404. The page is never indexed, cached or referred on.
/// </summary>
[Route("vorschau/{token}")]
public sealed class PreviewController(LprEventsDbContext db, ArticlePreviews previews, MarkdownRenderer markdown, TimeProvider time) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Show(string token, CancellationToken ct)
    {
        if (await previews.FindAsync(token, ct) is not { } id || await ArticlesController.ArticleForPreview(db, id).FirstOrDefaultAsync(ct) is not { } article)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        ViewData["Preview"] = true;
        return View("~/Views/Articles/Detail.cshtml", await ArticlesController.ViewModelAsync(db, markdown, article, time.GetUtcNow().UtcDateTime, ct));
    }
}
