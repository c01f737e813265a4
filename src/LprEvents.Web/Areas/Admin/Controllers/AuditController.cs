using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>The audit log: who created, changed, published, deleted or exported what and when. Admins only.</summary>
[Route("admin/protokoll")]
[Authorize(Policy = IdentitySetup.AdminPolicy)]
public sealed class AuditController(LprEventsDbContext db) : AdminController
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? benutzer, string? aktion, string? bereich, DateOnly? von, DateOnly? bis, int seite = 1, CancellationToken ct = default)
    {
        seite = Math.Clamp(seite, 1, 10_000);
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(benutzer))
        {
            query = query.Where(a => a.UserName.Contains(benutzer));
        }

        if (!string.IsNullOrWhiteSpace(aktion))
        {
            query = query.Where(a => a.Action == aktion);
        }

        if (!string.IsNullOrWhiteSpace(bereich))
        {
            query = query.Where(a => a.EntityType == bereich);
        }

        if (von is { } from)
        {
            var fromUtc = BerlinTime.ToUtc(from, 0, 0);
            query = query.Where(a => a.AtUtc >= fromUtc);
        }

        if (bis is { } to)
        {
            var toUtc = BerlinTime.ToUtc(to.AddDays(1), 0, 0);
            query = query.Where(a => a.AtUtc < toUtc);
        }

        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Skip((seite - 1) * PageSize)
            .Take(PageSize)
            .Select(a => new AuditRow(a.AtUtc, a.UserName, a.Action, a.EntityType, a.EntityId, a.Summary))
            .ToListAsync(ct);
        var actions = await db.AuditLog.AsNoTracking().Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        var types = await db.AuditLog.AsNoTracking().Select(a => a.EntityType).Distinct().OrderBy(a => a).ToListAsync(ct);
        return View(new AuditViewModel(rows, new PageNavigationModel(seite, PageSize, total), benutzer, aktion, bereich, von, bis, actions, types));
    }
}
