using System.Globalization;
using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Email;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>
/// "E-Mail-Ausgang": what waits to be sent and what failed, with the reason; failed messages can be sent again.
/// Admins only. Every query runs on the index (Status, CreatedAtUtc), so 100 000 waiting rows cost one page.
/// </summary>
[Route("admin/e-mail-ausgang")]
[Authorize(Policy = IdentitySetup.AdminPolicy)]
public sealed class OutboxController(LprEventsDbContext db, AuditLog audit, TimeProvider time, IOptions<EmailOptions> options) : AdminController
{
    public const int PageSize = 50;

    public const string FailedList = "fehlgeschlagen";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? liste, int seite = 1, CancellationToken ct = default)
    {
        seite = Math.Clamp(seite, 1, 10_000);
        var now = time.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-24);
        var waiting = await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending, ct);
        var failed = await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Failed, ct);
        var sent = await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent && m.CreatedAtUtc >= since, ct);
        var oldest = await OutboxHealthCheck.OldestWaitingAsync(db, ct);

        var showsFailed = liste == FailedList;
        var query = db.OutboxMessages.AsNoTracking().Where(m => m.Status == (showsFailed ? OutboxStatus.Failed : OutboxStatus.Pending));
        // Waiting: oldest first (what is stuck longest); failed: newest first (what just went wrong).
        query = showsFailed
            ? query.OrderByDescending(m => m.CreatedAtUtc).ThenByDescending(m => m.Id)
            : query.OrderBy(m => m.CreatedAtUtc).ThenBy(m => m.Id);
        var rows = await query
            .Skip((seite - 1) * PageSize)
            .Take(PageSize)
            .Select(m => new OutboxRow(m.Id, m.Kind, m.ToAddress, m.Subject, m.CreatedAtUtc, m.Attempts, m.NextAttemptAtUtc, m.LastError))
            .ToListAsync(ct);
        var paging = new PageNavigationModel(seite, PageSize, showsFailed ? failed : waiting);
        return View(new OutboxViewModel(waiting, failed, sent, oldest, now, options.Value.OutboxMaxAgeMinutes, showsFailed, rows, paging));
    }

    /// <summary>One failed message back into the queue, with a fresh set of attempts.</summary>
    [HttpPost("{id:long}/erneut")]
    public async Task<IActionResult> Retry(long id, CancellationToken ct)
    {
        var retried = await RetryAsync(db.OutboxMessages.Where(m => m.Id == id), $"E-Mail {id} erneut versucht", id, ct);
        Flash(retried == 0
            ? "Diese E-Mail ist nicht (mehr) fehlgeschlagen; vielleicht hat sie schon jemand erneut versucht."
            : $"E-Mail {id} wird erneut versucht.");

        return Redirect("/admin/e-mail-ausgang?liste=" + FailedList);
    }

    [HttpPost("erneut")]
    public async Task<IActionResult> RetryAll(CancellationToken ct)
    {
        var retried = await RetryAsync(db.OutboxMessages, null, null, ct);
        Flash(retried == 0 ? "Es gibt keine fehlgeschlagenen E-Mails." : retried == 1 ? "1 E-Mail wird erneut versucht." : $"{retried} E-Mails werden erneut versucht.");
        return Redirect("/admin/e-mail-ausgang");
    }

    /// <summary>
    /// Puts the failed ones among <paramref name="messages"/> back in the queue and records it in the audit log, in one
    /// transaction: either both happen or neither. The summary is built from the count when not given.
    /// </summary>
    private Task<int> RetryAsync(IQueryable<OutboxMessage> messages, string? summary, long? id, CancellationToken ct) =>
        db.WithRetriesAsync(async () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // LastError stays until the next attempt replaces it or the message is sent.
            var retried = await messages
                .Where(m => m.Status == OutboxStatus.Failed)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Status, OutboxStatus.Pending)
                        .SetProperty(m => m.Attempts, 0)
                        .SetProperty(m => m.NextAttemptAtUtc, now)
                        .SetProperty(m => m.LockedUntilUtc, (DateTime?)null),
                    ct);
            if (retried > 0)
            {
                audit.Record("retried", "OutboxMessage", id, summary ?? string.Create(CultureInfo.InvariantCulture, $"{retried} fehlgeschlagene E-Mails erneut versucht"));
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return retried;
        });
}
