using FluentValidation.AspNetCore;
using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Participants;
using LprEvents.Web.Services.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

[Route("admin/beitraege")]
public sealed class ArticlesController(LprEventsDbContext db, ArticleEditor editor, MarkdownRenderer markdown, TimeProvider time) : AdminController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? status, string? q, CancellationToken ct)
    {
        var trash = status == "papierkorb";
        var query = db.Articles.AsNoTracking().Where(a => (a.DeletedAtUtc != null) == trash);
        var filter = status switch
        {
            "entwurf" => ArticleStatus.Draft,
            "geplant" => ArticleStatus.Scheduled,
            "veroeffentlicht" => ArticleStatus.Published,
            _ => (ArticleStatus?)null,
        };
        if (filter is { } wanted)
        {
            query = query.Where(a => a.Status == wanted);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            // Case and umlaut spelling must not matter on either database ("weiß" finds "Weiß", "schaefer" finds
            // "Schäfer"), which no LIKE does on both: titles are compared in memory with the participant search's
            // folding rule. Titles only, a few MB at 100 000 articles; the site search (issue 9) brings an index.
            var titles = await query.OrderByDescending(a => a.UpdatedAtUtc).Select(a => new { a.Id, a.Title, a.PendingTitle }).ToListAsync(ct);
            var ids = titles.Where(t => SearchFolding.Matches(q, t.Title, t.PendingTitle)).Select(t => t.Id).Take(200).ToList();
            query = query.Where(a => ids.Contains(a.Id));
        }

        var rows = await query
            .OrderByDescending(a => a.UpdatedAtUtc)
            .Take(200)
            .Select(a => new ArticleListRow(a.Id, a.Title, a.Status, a.Date, a.PublishedAtUtc, a.UpdatedAtUtc, a.Event == null ? null : a.Event.Title, a.DeletedAtUtc, a.PendingSavedAtUtc != null))
            .ToListAsync(ct);
        return View(new ArticleListViewModel(rows, status, q, time.GetUtcNow().UtcDateTime));
    }

    [HttpGet("neu")]
    public async Task<IActionResult> Create(CancellationToken ct) =>
        View("Edit", await EditorAsync(null, ArticleStatus.Draft, null, new ArticleForm { Date = BerlinTime.Iso(BerlinTime.Today(time)) }, null, [], ct));

    [HttpPost("neu")]
    public Task<IActionResult> Create(ArticleForm form, string? aktion, CancellationToken ct) => SaveAsync(null, form, aktion, ct);

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().Include(a => a.Regions).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
        {
            return NotFound();
        }

        // A waiting pending version is what the editor continues to work on.
        var form = new ArticleForm
        {
            Title = article.PendingTitle ?? article.Title,
            Slug = article.Slug,
            Teaser = article.PendingTeaser ?? article.Teaser,
            Body = article.PendingBody ?? article.Body,
            LeadImageId = article.LeadImageId,
            RegionIds = article.Regions.Select(r => r.Id).ToList(),
            EventId = article.EventId,
            Date = BerlinTime.Iso(article.Date),
            PublishAt = ArticleEditor.FormatLocal(article.PublishedAtUtc),
            Version = article.Version,
        };
        return View(await EditorAsync(id, article.Status, article.PublishedAtUtc, form, null, [], ct));
    }

    [HttpPost("{id:int}")]
    public async Task<IActionResult> Edit(int id, ArticleForm form, string? aktion, string? bestaetigt, CancellationToken ct)
    {
        // Unpublishing takes the article off the site at once: the first press only asks, with the consequence.
        if (aktion == "zurueckziehen" && bestaetigt != "ja")
        {
            var live = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Title, a.Slug, a.Status, a.PublishedAtUtc }).SingleOrDefaultAsync(ct);
            if (live is null)
            {
                return NotFound();
            }

            if (live.Status != ArticleStatus.Draft)
            {
                return View("ConfirmUnpublish", new ArticleUnpublishViewModel(id, live.Title, live.Slug, live.Status, live.PublishedAtUtc, form));
            }
        }

        // Discarding the pending version throws away saved work: the first press only asks.
        if (aktion == "verwerfen" && bestaetigt != "ja")
        {
            var live = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Title, a.PendingSavedAtUtc }).SingleOrDefaultAsync(ct);
            if (live is null)
            {
                return NotFound();
            }

            return View("ConfirmDiscard", new ArticleDiscardViewModel(id, live.Title, live.PendingSavedAtUtc, form));
        }

        return await SaveAsync(id, form, aktion, ct);
    }

    /// <summary>
    /// Autosave (progressive enhancement, wwwroot/js/admin-editor.js): saves a draft, or a live article's pending
    /// version, and answers with the new <c>Version</c> for the form. Never changes what readers see.
    /// </summary>
    [HttpPost("{id:int}/automatisch-speichern")]
    public async Task<IActionResult> Autosave(int id, ArticleForm form, CancellationToken ct)
    {
        new ArticleFormValidator().Validate(form).AddToModelState(ModelState);
        if (string.IsNullOrWhiteSpace(form.Title) || !ModelState.IsValid || (form.Title?.Length ?? 0) > 200 || (form.Teaser?.Length ?? 0) > 1000 || (form.Body?.Length ?? 0) > 100_000 || (form.Slug?.Length ?? 0) > 200)
        {
            return UnprocessableEntity(new AutosaveAnswer(null, "Nicht automatisch gespeichert: Bitte prüfen Sie Titel und Datum."));
        }

        var input = new ArticleInput(form.Title!.Trim(), form.Slug, form.Teaser?.Trim() ?? "", form.Body ?? "", form.LeadImageId, form.RegionIds, form.EventId, form.ParsedDate!.Value, ArticleEditor.ParseLocal(form.PublishAt), form.Version);
        return await editor.AutosaveAsync(id, input, User.Identity?.Name ?? "", ct) switch
        {
            ArticleSaveResult.Saved => Ok(new AutosaveAnswer(
                await db.Articles.Where(a => a.Id == id).Select(a => (Guid?)a.Version).SingleAsync(ct),
                $"Automatisch gespeichert um {BerlinTime.Time(time.GetUtcNow().UtcDateTime)}.")),
            ArticleSaveResult.Refused refused => UnprocessableEntity(new AutosaveAnswer(null, "Nicht automatisch gespeichert: " + string.Join(" ", refused.Problems))),
            ArticleSaveResult.Conflict => Conflict(new AutosaveAnswer(null, "Nicht automatisch gespeichert: Jemand anderes hat den Beitrag inzwischen gespeichert. „Speichern“ zeigt beide Fassungen.")),
            _ => NotFound(),
        };
    }

    /// <summary>The live preview: the same renderer as the public page, returned as an HTML fragment.</summary>
    [HttpPost("vorschau")]
    public ContentResult Preview(ArticleForm form) => Content(markdown.Render(form.Body), "text/html; charset=utf-8");

    /// <summary>Asks first, saying what happens.</summary>
    [HttpGet("{id:int}/loeschen")]
    public async Task<IActionResult> ConfirmDelete(int id, CancellationToken ct)
    {
        var title = await db.Articles.Where(a => a.Id == id && a.DeletedAtUtc == null).Select(a => a.Title).SingleOrDefaultAsync(ct);
        return title is null ? NotFound() : View("ConfirmDelete", new ArticleDeleteViewModel(id, title));
    }

    [HttpPost("{id:int}/loeschen")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        if (await editor.MoveToTrashAsync(id, ct) is not { } title)
        {
            return NotFound();
        }

        Flash($"Der Beitrag „{title}“ liegt im Papierkorb. Er ist auf der Website nicht mehr zu sehen und kann 30 Tage lang wiederhergestellt werden.");
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("{id:int}/wiederherstellen")]
    public async Task<IActionResult> Untrash(int id, CancellationToken ct)
    {
        if (await editor.RestoreFromTrashAsync(id, ct) is not { } title)
        {
            return NotFound();
        }

        Flash($"Der Beitrag „{title}“ ist wiederhergestellt.");
        return RedirectToAction(nameof(Edit), new { id });
    }

    [HttpGet("{id:int}/versionen")]
    public async Task<IActionResult> Revisions(int id, long? version, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
        {
            return NotFound();
        }

        var revisions = await db.ArticleRevisions.AsNoTracking()
            .Where(r => r.ArticleId == id)
            .OrderByDescending(r => r.SavedAtUtc).ThenByDescending(r => r.Id)
            .Select(r => new RevisionRow(r.Id, r.SavedAtUtc, r.SavedBy, r.Title))
            .ToListAsync(ct);
        var selected = revisions.FirstOrDefault(r => r.Id == version) ?? revisions.FirstOrDefault();
        IReadOnlyList<DiffSegment> diff = [];
        if (selected is not null)
        {
            var old = await db.ArticleRevisions.AsNoTracking().SingleAsync(r => r.Id == selected.Id, ct);
            diff = WordDiff.Compare($"{old.Title}\n\n{old.Teaser}\n\n{old.Body}", $"{article.Title}\n\n{article.Teaser}\n\n{article.Body}");
        }

        return View(new RevisionsViewModel(id, article.Title, revisions, selected, diff));
    }

    [HttpPost("{id:int}/versionen/{revision:long}/wiederherstellen")]
    public async Task<IActionResult> Restore(int id, long revision, CancellationToken ct)
    {
        if (await editor.RestoreAsync(id, revision, User.Identity?.Name ?? "", ct) is not { } message)
        {
            Flash("Diese Fassung konnte nicht wiederhergestellt werden. Bitte prüfen Sie den Beitrag.");
            return RedirectToAction(nameof(Revisions), new { id });
        }

        Flash(message);
        return RedirectToAction(nameof(Edit), new { id });
    }

    private async Task<IActionResult> SaveAsync(int? id, ArticleForm form, string? aktion, CancellationToken ct)
    {
        new ArticleFormValidator().Validate(form).AddToModelState(ModelState);
        if (string.IsNullOrWhiteSpace(form.Title))
        {
            ModelState.AddModelError(nameof(ArticleForm.Title), "Bitte geben Sie einen Titel an.");
        }

        if ((form.Title?.Length ?? 0) > 200 || (form.Teaser?.Length ?? 0) > 1000 || (form.Body?.Length ?? 0) > 100_000 || (form.Slug?.Length ?? 0) > 200)
        {
            ModelState.AddModelError(string.Empty, "Titel (200), Vorspann (1000) oder Text (100 000 Zeichen) sind zu lang.");
        }

        var status = id is { } existing ? await db.Articles.Where(a => a.Id == existing).Select(a => (ArticleStatus?)a.Status).SingleOrDefaultAsync(ct) : ArticleStatus.Draft;
        if (status is null)
        {
            return NotFound();
        }

        if (aktion == "vorschau" || !ModelState.IsValid)
        {
            if (!ModelState.IsValid)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }

            return View("Edit", await EditorAsync(id, status.Value, null, form, markdown.Render(form.Body), [], ct));
        }

        var action = aktion switch
        {
            "veroeffentlichen" => ArticleAction.Publish,
            "planen" => ArticleAction.Schedule,
            "zurueckziehen" => ArticleAction.Unpublish,
            "verwerfen" => ArticleAction.Discard,
            _ => ArticleAction.Save,
        };
        var input = new ArticleInput(
            form.Title!.Trim(),
            form.Slug,
            form.Teaser?.Trim() ?? "",
            form.Body ?? "",
            form.LeadImageId,
            form.RegionIds,
            form.EventId,
            form.ParsedDate!.Value,
            ArticleEditor.ParseLocal(form.PublishAt),
            form.Version);
        var result = await editor.SaveAsync(id, input, action, User.Identity?.Name ?? "", ct);
        switch (result)
        {
            case ArticleSaveResult.Saved saved:
                Flash(saved.Message);
                return RedirectToAction(nameof(Edit), new { id = saved.Id });
            case ArticleSaveResult.Refused refused:
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return View("Edit", await EditorAsync(id, status.Value, null, form, markdown.Render(form.Body), refused.Problems, ct));
            case ArticleSaveResult.Conflict conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                return View("Conflict", new ArticleConflictViewModel(
                    id!.Value,
                    form,
                    conflict.Title,
                    conflict.Teaser,
                    conflict.Body,
                    "",
                    conflict.UpdatedAtUtc,
                    conflict.Version,
                    WordDiff.Compare($"{conflict.Title}\n\n{conflict.Teaser}\n\n{conflict.Body}", $"{form.Title}\n\n{form.Teaser}\n\n{form.Body}")));
            default:
                return NotFound();
        }
    }

    private async Task<ArticleEditorViewModel> EditorAsync(int? id, ArticleStatus status, DateTime? publishedAtUtc, ArticleForm form, string? preview, IReadOnlyList<string> problems, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new Option(r.Id, r.Name)).ToListAsync(ct);
        var events = await db.Events.AsNoTracking().OrderByDescending(e => e.StartsAtUtc).Take(100).Select(e => new { e.Id, e.Title, e.StartsAtUtc }).ToListAsync(ct);
        var images = await ImageOption.LatestAsync(db, ct);
        var revisionCount = id is { } articleId ? await db.ArticleRevisions.CountAsync(r => r.ArticleId == articleId, ct) : 0;
        if (id is { } key && publishedAtUtc is null)
        {
            publishedAtUtc = await db.Articles.Where(a => a.Id == key).Select(a => a.PublishedAtUtc).SingleOrDefaultAsync(ct);
        }

        var pending = id is { } pendingKey
            ? await db.Articles.Where(a => a.Id == pendingKey && a.PendingSavedAtUtc != null).Select(a => new PendingVersion(a.PendingSavedAtUtc!.Value, a.PendingSavedBy ?? "")).SingleOrDefaultAsync(ct)
            : null;

        // Not a block: a second report can be right (a series, a follow-up), but usually the first one wants extending.
        var otherReports = form.EventId is { } eventId
            ? await db.Articles.AsNoTracking()
                .Where(a => a.EventId == eventId && a.Id != (id ?? 0) && a.Status != ArticleStatus.Draft)
                .OrderBy(a => a.PublishedAtUtc)
                .Select(a => new OtherReport(a.Id, a.Title, a.Slug, a.Status, a.PublishedAtUtc))
                .ToListAsync(ct)
            : [];

        return new ArticleEditorViewModel(
            id,
            status,
            publishedAtUtc,
            form,
            regions,
            events.Select(e => new Option(e.Id, $"{BerlinTime.Date(e.StartsAtUtc)} · {e.Title}")).ToList(),
            images,
            preview,
            problems,
            revisionCount,
            otherReports,
            pending);
    }
}
