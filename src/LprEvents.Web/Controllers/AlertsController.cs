using FluentValidation.AspNetCore;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Services.Alerts;
using LprEvents.Web.ViewModels.Alerts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>
/// E-mail alerts per region: the subscription form (<c>/benachrichtigungen</c>), the management page reached only
/// through a link from an alert e-mail, and the one-click unsubscribe address of RFC 8058. A wrong or unknown token
/// is a plain 404.
/// </summary>
[Route("benachrichtigungen")]
public sealed class AlertsController(
    LprEventsDbContext db,
    AlertSubscriptions subscriptions,
    ILogger<AlertsController> logger) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Form(string? region, CancellationToken ct)
    {
        var form = new AlertSubscribeForm();
        // Linked from a region's page (?region=slug): that region is ticked.
        if (region is { Length: > 0 } && await db.Regions.Where(r => r.Slug == region).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct) is { } preselected)
        {
            form.RegionIds.Add(preselected);
        }

        return View(new AlertSubscribePageViewModel(await RegionsAsync(ct), form));
    }

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    [EnableRateLimiting(RegistrationSetup.RateLimitPolicy)]
    public async Task<IActionResult> Subscribe(AlertSubscribeForm form, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(form.Website))
        {
            // A bot filled in the hidden field: answer as if all went well, store nothing.
            logger.LogInformation("Honeypot field filled on the alert subscription form; nothing stored");
            return RedirectToAction(nameof(Received));
        }

        var regions = await RegionsAsync(ct);
        new AlertSubscribeFormValidator(regions.Select(r => r.Id).ToList()).Validate(form).AddToModelState(ModelState);
        if (!ModelState.IsValid)
        {
            return View("Form", new AlertSubscribePageViewModel(regions, form));
        }

        await subscriptions.SubscribeAsync(form.Email!, new AlertRegionChoice(form.AllRegions, form.AllRegions ? [] : form.RegionIds), ct);
        return RedirectToAction(nameof(Received));
    }

    /// <summary>The same page for a new and a known address: whoever typed it learns nothing.</summary>
    [HttpGet("eingegangen")]
    public IActionResult Received() => View();

    [HttpGet("verwalten/{token}")]
    public async Task<IActionResult> Manage(string token, string? hinweis, CancellationToken ct)
    {
        var subscription = await subscriptions.FindAsync(token, ct);
        if (subscription is null)
        {
            return NotFound();
        }

        PrivatePage();
        var form = new AlertRegionsForm { AllRegions = subscription.AllRegions, RegionIds = subscription.RegionIds.ToList() };
        return View(new AlertManagePageViewModel(token, subscription.Email, subscription.Confirmed, hinweis, await RegionsAsync(ct), form));
    }

    [HttpPost("verwalten/{token}/bestaetigen")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Confirm(string token, CancellationToken ct) =>
        await subscriptions.ConfirmAsync(token, ct) ? RedirectToAction(nameof(Manage), new { token, hinweis = "bestaetigt" }) : NotFound();

    [HttpPost("verwalten/{token}/regionen")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> ChangeRegions(string token, AlertRegionsForm form, CancellationToken ct)
    {
        var subscription = await subscriptions.FindAsync(token, ct);
        if (subscription is null)
        {
            return NotFound();
        }

        var regions = await RegionsAsync(ct);
        new AlertRegionsFormValidator(regions.Select(r => r.Id).ToList()).Validate(form).AddToModelState(ModelState);
        if (!ModelState.IsValid)
        {
            PrivatePage();
            return View("Manage", new AlertManagePageViewModel(token, subscription.Email, subscription.Confirmed, null, regions, form));
        }

        await subscriptions.ChangeRegionsAsync(token, new AlertRegionChoice(form.AllRegions, form.AllRegions ? [] : form.RegionIds), ct);
        return RedirectToAction(nameof(Manage), new { token, hinweis = "gespeichert" });
    }

    /// <summary>Asks first: link scanners and previews follow links with GET, and must not unsubscribe anyone.</summary>
    [HttpGet("abmelden/{token}")]
    public async Task<IActionResult> ConfirmUnsubscribe(string token, CancellationToken ct)
    {
        var subscription = await subscriptions.FindAsync(token, ct);
        if (subscription is null)
        {
            return NotFound();
        }

        PrivatePage();
        return View(new AlertUnsubscribePageViewModel(token, subscription.Email));
    }

    /// <summary>
    /// RFC 8058 one-click: the mail program POSTs <c>List-Unsubscribe=One-Click</c> to this address without a form
    /// token or cookie, so there is no antiforgery check; the secret token in the address is the authorisation.
    /// The button on the confirmation page posts here too.
    /// </summary>
    [HttpPost("abmelden/{token}")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Unsubscribe(string token, CancellationToken ct) =>
        await subscriptions.UnsubscribeAsync(token, ct) ? View("Unsubscribed") : NotFound();

    /// <summary>The token is in the address and the page shows the e-mail address: no Referer, no stored copy.</summary>
    private void PrivatePage()
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
    }

    private async Task<List<AlertRegionOption>> RegionsAsync(CancellationToken ct) =>
        await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new AlertRegionOption(r.Id, r.Name)).ToListAsync(ct);
}
