using LprEvents.Web.Data;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Backups;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Areas.Admin.Controllers;

[Route("admin")]
public sealed class DashboardController(LprEventsDbContext db, TimeProvider time, BackupFiles backups, IOptions<BackupOptions> backupOptions) : AdminController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var events = await db.Events.AsNoTracking()
            .Where(e => e.EndsAtUtc >= now && e.Status != EventStatus.Cancelled)
            .OrderBy(e => e.StartsAtUtc)
            .Take(10)
            .Select(e => new ViewModels.DashboardEvent(
                e.Id,
                e.Title,
                e.Status,
                e.StartsAtUtc,
                e.Capacity,
                e.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat),
                e.Participants.Count(p => p.Status == ParticipantStatus.WaitingList),
                e.Participants.Count(p => p.Status == ParticipantStatus.AwaitingConfirmation)))
            .ToListAsync(ct);
        var drafts = await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Draft)
            .OrderByDescending(a => a.UpdatedAtUtc)
            .Take(10)
            .Select(a => new ViewModels.DashboardArticle(a.Id, a.Title, a.UpdatedAtUtc))
            .ToListAsync(ct);
        // The audit log is for Admins; editors see the recent changes to articles and events only.
        var isAdmin = User.IsInRole(Configuration.IdentitySetup.AdminRole);
        var changes = await db.AuditLog.AsNoTracking()
            .Where(a => isAdmin || a.EntityType == "Article" || a.EntityType == "Event")
            .OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Take(10)
            .Select(a => new ViewModels.AuditRow(a.AtUtc, a.UserName, a.Action, a.EntityType, a.EntityId, a.Summary))
            .ToListAsync(ct);
        return View(new ViewModels.DashboardViewModel(events, drafts, changes, Backup(now)));
    }

    /// <summary>The newest backup and whether it needs attention (docs/decisions/0029); null on SQL Server.</summary>
    private ViewModels.DashboardBackup? Backup(DateTime now)
    {
        if (backups.ReadState() is not { } state)
        {
            return null;
        }

        var problem = BackupHealthCheck.ProblemOf(state, now, backupOptions.Value);
        return new ViewModels.DashboardBackup(state.Newest?.CreatedAtUtc, state.NewestBytes, problem, state.LastRunFailed ? state.LastRun!.AtUtc : null, backupOptions.Value.MaxAgeHours);
    }
}
