using FluentValidation.AspNetCore;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Registration;
using LprEvents.Web.ViewModels.Registration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>The registration form of an event: <c>/veranstaltungen/{slug}/anmeldung</c>.</summary>
[Route("veranstaltungen/{slug}/anmeldung")]
public sealed class RegistrationController(
    LprEventsDbContext db,
    RegistrationService registrations,
    TimeProvider time,
    ILogger<RegistrationController> logger) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Form(string slug, CancellationToken ct)
    {
        var page = await LoadAsync(slug, new RegistrationForm(), ct);
        if (page is null)
        {
            return NotFound();
        }

        if (!IsOpen(page))
        {
            return View("Closed", page);
        }

        // Preselect the region only where the event has exactly one; with several, guessing would be wrong too often.
        if (page.Event.Regions is [var only])
        {
            page.Form.RegionId = page.Regions.FirstOrDefault(r => r.Name == only)?.Id;
        }
        return View(page);
    }

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    [EnableRateLimiting(RegistrationSetup.RateLimitPolicy)]
    public async Task<IActionResult> Submit(string slug, RegistrationForm form, CancellationToken ct)
    {
        var page = await LoadAsync(slug, form, ct);
        if (page is null)
        {
            return NotFound();
        }

        if (!IsOpen(page))
        {
            return View("Closed", page);
        }

        if (!string.IsNullOrEmpty(form.Website))
        {
            // A bot filled in the hidden field: answer as if all went well, store nothing.
            logger.LogInformation("Honeypot field filled on the registration for event {EventId}; nothing stored", page.EventId);
            return RedirectToAction(nameof(Received), new { slug });
        }

        new RegistrationFormValidator(page.Regions.Select(r => r.Id).ToList(), page.Slots).Validate(form).AddToModelState(ModelState);
        if (!ModelState.IsValid)
        {
            return View("Form", page);
        }

        var request = new RegistrationRequest(
            form.FirstName!,
            form.LastName!,
            form.Email!,
            form.Organisation!,
            form.OrganisationType!.Value,
            form.Function ?? "",
            form.RegionId!.Value,
            form.Sessions.Values.ToList(),
            page.AskAccessibilityNeeds ? form.AccessibilityNeeds : null,
            page.AskDietaryNeeds ? form.DietaryNeeds : null,
            form.PhotoConsent!.Value);
        RegisterOutcome outcome;
        try
        {
            outcome = await registrations.RegisterAsync(page.EventId, request, ct);
        }
        catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex))
        {
            // The transaction was rolled back: nothing is stored. The form comes back with everything typed in.
            logger.LogWarning("Registration for event {EventId} not stored: the database is unavailable ({Error})", page.EventId, ex.GetType().Name);
            DatabaseAvailability.MarkUnavailable(Response);
            ViewData[DatabaseAvailability.UnavailableKey] = true;
            return View("Form", page);
        }

        return outcome == RegisterOutcome.NotOpen ? View("Closed", page) : RedirectToAction(nameof(Received), new { slug });
    }

    [HttpGet("eingegangen")]
    public async Task<IActionResult> Received(string slug, CancellationToken ct)
    {
        var page = await LoadAsync(slug, new RegistrationForm(), ct);
        if (page is null)
        {
            return NotFound();
        }

        return View(page);
    }

    private static bool IsOpen(RegistrationPageViewModel page) => page.Event.Registration.State is RegistrationState.Open or RegistrationState.WaitingList;

    private async Task<RegistrationPageViewModel?> LoadAsync(string slug, RegistrationForm form, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var e = await EventsController.CardRows(db)
            .Where(x => x.Slug == slug)
            .Select(x => new { x.Id, x.VenueStreet, x.VenuePostcode, x.AskAccessibilityNeeds, x.AskDietaryNeeds })
            .FirstOrDefaultAsync(ct);
        if (e is null)
        {
            return null;
        }

        var card = (await EventsController.CardRows(db).Where(x => x.Id == e.Id).FirstCardAsync(now, ct))!;
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new RegionOption(r.Id, r.Name)).ToListAsync(ct);
        var slots = await SessionSlots.LoadAsync(db, e.Id, ct);
        return new RegistrationPageViewModel(e.Id, card, e.VenueStreet, e.VenuePostcode, e.AskAccessibilityNeeds, e.AskDietaryNeeds, regions, slots, form);
    }
}
