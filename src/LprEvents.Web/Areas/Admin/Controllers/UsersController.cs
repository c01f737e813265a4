using System.Text.Encodings.Web;
using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>Accounts of the editorial team: invite by e-mail, change role, lock. Admins only.</summary>
[Route("admin/benutzer")]
[Authorize(Policy = IdentitySetup.AdminPolicy)]
public sealed class UsersController(UserManager<ApplicationUser> users, LprEventsDbContext db, AuditLog audit, PublicUrls urls, TimeProvider time) : AdminController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ListAsync(new InviteForm(), null, ct));

    [HttpPost("einladen")]
    public async Task<IActionResult> Invite(InviteForm form, CancellationToken ct)
    {
        var email = form.Email?.Trim() ?? "";
        string? error = null;
        if (!MimeKit.MailboxAddress.TryParse(email, out var parsed) || parsed.Address != email || !email.Contains('@', StringComparison.Ordinal))
        {
            error = "Bitte geben Sie eine gültige E-Mail-Adresse an.";
        }
        else if (form.Role is not (IdentitySetup.EditorRole or IdentitySetup.AdminRole))
        {
            error = "Bitte wählen Sie eine Rolle.";
        }
        else if (await users.FindByEmailAsync(email) is { } existing)
        {
            if (existing.PasswordHash is null)
            {
                // Invited before, never finished: a fresh link replaces the expired one.
                return await SendInvitationAsync(existing, "erneut eingeladen", ct);
            }

            error = "Für diese E-Mail-Adresse gibt es schon ein Konto.";
        }

        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await ListAsync(form, error, ct));
        }

        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = form.DisplayName?.Trim() ?? "" };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await ListAsync(form, string.Join(" ", created.Errors.Select(e => e.Description)), ct));
        }

        await users.AddToRoleAsync(user, form.Role!);
        return await SendInvitationAsync(user, $"als {form.Role} eingeladen", ct);
    }

    private async Task<IActionResult> SendInvitationAsync(ApplicationUser user, string what, CancellationToken ct)
    {
        var email = user.Email!;
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = urls.SetPassword(email, token);
        db.OutboxMessages.Add(Invitation(email, user.DisplayName, link, User.Identity?.Name ?? ""));
        audit.Record("created", "User", user.Id, $"{email} {what}");
        await db.SaveChangesAsync(ct);
        Flash($"Die Einladung an {email} ist unterwegs. Der Link gilt drei Tage.");
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("{id}/rolle")]
    public async Task<IActionResult> ChangeRole(string id, string role, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null || role is not (IdentitySetup.EditorRole or IdentitySetup.AdminRole))
        {
            return NotFound();
        }

        if (user.UserName == User.Identity?.Name)
        {
            Flash("Ihre eigene Rolle können Sie nicht ändern.");
            return RedirectToAction(nameof(Index));
        }

        await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        audit.Record("changed", "User", user.Id, $"Rolle von {user.Email}: {role}");
        await db.SaveChangesAsync(ct);
        Flash($"{user.Email} hat jetzt die Rolle {role}.");
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("{id}/sperren")]
    public async Task<IActionResult> Lock(string id, bool sperren, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        if (user.UserName == User.Identity?.Name)
        {
            Flash("Ihr eigenes Konto können Sie nicht sperren.");
            return RedirectToAction(nameof(Index));
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, sperren ? DateTimeOffset.MaxValue : null);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(sperren ? "locked" : "unlocked", "User", user.Id, $"{user.Email} {(sperren ? "gesperrt" : "entsperrt")}");
        await db.SaveChangesAsync(ct);
        Flash($"{user.Email} ist {(sperren ? "gesperrt" : "entsperrt")}.");
        return RedirectToAction(nameof(Index));
    }

    private async Task<UsersViewModel> ListAsync(InviteForm form, string? error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var rows = new List<UserRow>();
        foreach (var user in all)
        {
            rows.Add(new UserRow(
                user.Id,
                user.Email ?? "",
                user.DisplayName,
                string.Join(", ", await users.GetRolesAsync(user)),
                user.TwoFactorEnabled,
                user.LockoutEnd is { } end && end > now,
                user.PasswordHash is null));
        }

        return new UsersViewModel(rows, form, error);
    }

    private OutboxMessage Invitation(string email, string name, string link, string invitedBy)
    {
        var h = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        var now = time.GetUtcNow().UtcDateTime;
        var greeting = string.IsNullOrWhiteSpace(name) ? "Guten Tag," : $"Guten Tag {name},";
        var text = $"{greeting}\n\n{invitedBy} lädt Sie in die Redaktion des Veranstaltungsportals des Landespräventionsrates Sachsen ein.\n\nBitte legen Sie über diesen Link Ihr Passwort fest (gültig drei Tage):\n{link}\n\nMit freundlichen Grüßen\nIhre Geschäftsstelle des Landespräventionsrates Sachsen\n";
        var html = $"<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Einladung in die Redaktion</title></head><body style=\"font-family:Arial,sans-serif;line-height:1.5\"><p>{h.Encode(greeting)}</p><p>{h.Encode(invitedBy)} lädt Sie in die Redaktion des Veranstaltungsportals des Landespräventionsrates Sachsen ein.</p><p><a href=\"{h.Encode(link)}\">Passwort festlegen</a> (gültig drei Tage)</p><p>Mit freundlichen Grüßen<br>Ihre Geschäftsstelle des Landespräventionsrates Sachsen</p></body></html>";
        return new OutboxMessage
        {
            Kind = "invitation",
            ToAddress = email,
            ToName = name,
            Subject = "Einladung in die Redaktion des Veranstaltungsportals",
            TextBody = text,
            HtmlBody = html,
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }
}
