using LprEvents.Web.Data;
using LprEvents.Web.Services.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.ViewComponents;

/// <summary>Full-page preview, preview links and the Papierkorb, below the article editor.</summary>
public sealed class ArticleToolsViewComponent(LprEventsDbContext db, ArticlePreviews previews) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int articleId)
    {
        var ct = HttpContext.RequestAborted;
        var deletedAtUtc = await db.Articles.Where(a => a.Id == articleId).Select(a => a.DeletedAtUtc).SingleOrDefaultAsync(ct);
        return View(new ArticleToolsModel(articleId, deletedAtUtc, await previews.ActiveAsync(articleId, ct)));
    }
}

public sealed record ArticleToolsModel(int ArticleId, DateTime? DeletedAtUtc, IReadOnlyList<PreviewLinkRow> Links);
