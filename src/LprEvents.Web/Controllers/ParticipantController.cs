using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Email;
using LprEvents.Web.Services.Registration;
using LprEvents.Web.ViewModels.Registration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>
/// A participant's private page, reached only through the link in their e-mail. A wrong or unknown token
/// is a plain 404, the same as a page that does not exist.
/// </summary>
[Route("anmeldung/{token}")]
public sealed class ParticipantController(
    LprEventsDbContext db,
    RegistrationService registrations,
    TimeProvider time,
    PublicUrls urls) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string token, string? hinweis, CancellationToken ct)
    {
        var page = await LoadAsync(token, hinweis, ct);
        if (page is null)
        {
            return NotFound();
        }

        // The token is in the address: it must not travel on in a Referer header. (The antiforgery token in
        // the page makes the response no-store already.)
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return View(page);
    }

    [HttpPost("bestaetigen")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Confirm(string token, CancellationToken ct)
    {
        var outcome = await registrations.ConfirmAsync(token, ct);
        return outcome switch
        {
            null => NotFound(),
            // The registration is deleted at once, and with it the link: the answer is a page of its own.
            ConfirmOutcome.Full => RedirectToAction(nameof(Full)),
            _ => RedirectToAction(nameof(Index), new { token, hinweis = outcome.Value.ToString().ToLowerInvariant() }),
        };
    }

    /// <summary>Asks before cancelling: the private page links here, and only the form on this page cancels.</summary>
    [HttpGet("absagen")]
    public Task<IActionResult> ConfirmCancel(string token, CancellationToken ct) => ConfirmPageAsync(token, ParticipantConfirmKind.Cancel, ct);

    /// <summary>Cancels only when the confirmation page's <c>bestaetigt=ja</c> comes with it; a bare post just asks.</summary>
    [HttpPost("abmelden")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Cancel(string token, [FromForm] string? bestaetigt, CancellationToken ct)
    {
        if (bestaetigt != Confirmed)
        {
            return RedirectToAction(nameof(ConfirmCancel), new { token });
        }

        return await registrations.CancelAsync(token, ct)
            ? RedirectToAction(nameof(Index), new { token, hinweis = "abgemeldet" })
            : NotFound();
    }

    [HttpPost("programm")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> ChangeSessions(string token, [FromForm] Dictionary<int, int>? sessions, CancellationToken ct)
    {
        sessions ??= [];
        var ids = await IdsAsync(token, ct);
        if (ids is null)
        {
            return NotFound();
        }

        var slots = await SessionSlots.LoadAsync(db, ids.Value.EventId, ct);
        // Only sessions of this event, one per slot: anything else is a forged request.
        var valid = sessions.Count == slots.Count
            && sessions.All(kv => slots.Any(s => s.Index == kv.Key && s.Choices.Any(c => c.Id == kv.Value)));
        if (!valid)
        {
            return RedirectToAction(nameof(Index), new { token, hinweis = "ungueltig" });
        }

        var outcome = await registrations.ChangeSessionsAsync(token, sessions.Values.ToList(), ct);
        return outcome switch
        {
            null => NotFound(),
            ChangeOutcome.Changed => RedirectToAction(nameof(Index), new { token, hinweis = "geaendert" }),
            ChangeOutcome.SessionFull => RedirectToAction(nameof(Index), new { token, hinweis = "gruppe-voll" }),
            _ => RedirectToAction(nameof(Index), new { token, hinweis = "nicht-moeglich" }),
        };
    }

    /// <summary>Asks before deleting the data: the private page links here, and only the form on this page deletes.</summary>
    [HttpGet("daten-loeschen")]
    public Task<IActionResult> ConfirmDelete(string token, CancellationToken ct) => ConfirmPageAsync(token, ParticipantConfirmKind.DeleteData, ct);

    /// <summary>Deletes only when the confirmation page's <c>bestaetigt=ja</c> comes with it; a bare post just asks.</summary>
    [HttpPost("loeschen")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Delete(string token, [FromForm] string? bestaetigt, CancellationToken ct)
    {
        if (bestaetigt != Confirmed)
        {
            return RedirectToAction(nameof(ConfirmDelete), new { token });
        }

        return await registrations.DeleteDataAsync(token, ct)
            ? RedirectToAction(nameof(Deleted))
            : NotFound();
    }

    [HttpGet("/anmeldung-geloescht")]
    public IActionResult Deleted() => View();

    [HttpGet("/anmeldung-ausgebucht")]
    public IActionResult Full() => View();

    [HttpPost("links-ungueltig")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> RevokeLinks(string token, CancellationToken ct) =>
        await registrations.RevokeLinksAsync(token, ct)
            ? RedirectToAction(nameof(LinksRevoked))
            : NotFound();

    [HttpGet("/anmeldung-neuer-link")]
    public IActionResult LinksRevoked() => View();

    [HttpGet("kalender.ics")]
    public async Task<IActionResult> Calendar(string token, CancellationToken ct)
    {
        var ids = await IdsAsync(token, ct);
        if (ids is null)
        {
            return NotFound();
        }

        var e = await db.Events.AsNoTracking().SingleAsync(x => x.Id == ids.Value.EventId, ct);
        var p = await db.Participants.AsNoTracking().Include(x => x.Sessions).SingleAsync(x => x.Id == ids.Value.ParticipantId, ct);
        var holdsSeat = p.Status is ParticipantStatus.Confirmed or ParticipantStatus.Attended;
        var ics = IcsBuilder.ForEvent(e, urls.Event(e.Slug), time.GetUtcNow().UtcDateTime, onlineAccess: holdsSeat, holdsSeat ? EmailComposer.SmallGroups(p.Sessions) : null);
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", IcsBuilder.FileName(e));
    }

    private const string Confirmed = "ja";

    private async Task<IActionResult> ConfirmPageAsync(string token, ParticipantConfirmKind kind, CancellationToken ct)
    {
        var page = await LoadAsync(token, null, ct);
        if (page is null)
        {
            return NotFound();
        }

        if (kind == ParticipantConfirmKind.Cancel && !(page.IsActive && page.CanChange))
        {
            return RedirectToAction(nameof(Index), new { token, hinweis = "nicht-moeglich" });
        }

        // Same rule as the private page itself: the token in the address must not leave in a Referer header.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return View("Confirm", new ParticipantConfirmViewModel(token, kind, page.Event.Title, page.Status));
    }

    private Task<(int ParticipantId, int EventId)?> IdsAsync(string token, CancellationToken ct) => RegistrationService.FindAsync(db, token, ct);

    private async Task<ParticipantPageViewModel?> LoadAsync(string token, string? notice, CancellationToken ct)
    {
        var ids = await IdsAsync(token, ct);
        if (ids is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var p = await db.Participants.AsNoTracking()
            .Where(x => x.Id == ids.Value.ParticipantId)
            .Select(x => new
            {
                x.FirstName,
                x.LastName,
                x.Email,
                x.Organisation,
                x.OrganisationType,
                x.Function,
                Region = x.Region == null ? null : x.Region.Name,
                x.Status,
                x.ConfirmedAtUtc,
                x.PhotoConsent,
                SessionIds = x.Sessions.Select(s => s.Id).ToList(),
            })
            .SingleAsync(ct);
        var e = await db.Events.AsNoTracking().SingleAsync(x => x.Id == ids.Value.EventId, ct);
        var card = (await EventsController.CardRows(db).Where(x => x.Id == e.Id).FirstCardAsync(now, ct))!;
        var slots = await SessionSlots.LoadAsync(db, e.Id, ct, holdsEventSeat: p.Status is ParticipantStatus.Confirmed or ParticipantStatus.Attended);
        var chosen = slots
            .Select(s => (s.Index, Choice: s.Choices.FirstOrDefault(c => p.SessionIds.Contains(c.Id))))
            .Where(x => x.Choice is not null)
            .ToDictionary(x => x.Index, x => x.Choice!.Id);
        int? position = p.Status == ParticipantStatus.WaitingList
            ? await db.Participants.CountAsync(
                x => x.EventId == e.Id && x.Status == ParticipantStatus.WaitingList && (x.ConfirmedAtUtc < p.ConfirmedAtUtc || (x.ConfirmedAtUtc == p.ConfirmedAtUtc && x.Id < ids.Value.ParticipantId)), ct) + 1
            : null;
        var canChange = p.Status != ParticipantStatus.Cancelled && e.Status != EventStatus.Cancelled && e.StartsAtUtc > now;

        return new ParticipantPageViewModel(
            token,
            card,
            IcsBuilder.Location(e),
            p.FirstName,
            p.LastName,
            p.Email,
            p.Organisation,
            p.OrganisationType,
            p.Function,
            p.Region,
            p.Status,
            position,
            p.PhotoConsent,
            slots,
            chosen,
            canChange,
            notice,
            p.Status is ParticipantStatus.Confirmed or ParticipantStatus.Attended && e.Status != EventStatus.Cancelled ? e.OnlineUrl : null);
    }
}
