using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>Sign-in with lockout after failed attempts and optional TOTP; the account page.</summary>
[Route("admin")]
public sealed class AccountController(
    SignInManager<ApplicationUser> signIn,
    UserManager<ApplicationUser> users,
    ILogger<AccountController> logger) : AdminController
{
    [AllowAnonymous]
    [HttpGet("anmelden")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("anmelden")]
    [EnableRateLimiting(IdentitySetup.LoginRateLimitPolicy)]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
        {
            ModelState.AddModelError(string.Empty, "Bitte geben Sie E-Mail-Adresse und Passwort ein.");
            return View(form);
        }

        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToAction(nameof(TwoFactor), new { returnUrl = form.ReturnUrl });
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("Admin sign-in locked out after failed attempts");
            ModelState.AddModelError(string.Empty, "Zu viele Fehlversuche: Das Konto ist für 15 Minuten gesperrt.");
        }
        else
        {
            ModelState.AddModelError(string.Empty, "E-Mail-Adresse oder Passwort sind nicht richtig.");
        }

        form.Password = null;
        return View(form);
    }

    [AllowAnonymous]
    [HttpGet("anmelden/zwei-faktor")]
    public IActionResult TwoFactor(string? returnUrl) => View(new TwoFactorForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("anmelden/zwei-faktor")]
    [EnableRateLimiting(IdentitySetup.LoginRateLimitPolicy)]
    public async Task<IActionResult> TwoFactor(TwoFactorForm form)
    {
        var code = (form.Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }

        ModelState.AddModelError(nameof(TwoFactorForm.Code), result.IsLockedOut
            ? "Zu viele Fehlversuche: Das Konto ist für 15 Minuten gesperrt."
            : "Der Code stimmt nicht. Bitte geben Sie den aktuellen sechsstelligen Code aus Ihrer App ein.");
        return View(form);
    }

    [HttpPost("abmelden")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }

    [AllowAnonymous]
    [HttpGet("kein-zugriff")]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet("konto")]
    public async Task<IActionResult> Account()
    {
        var user = await users.GetUserAsync(User);
        return user is null ? Challenge() : View(new AccountViewModel(user.Email ?? "", user.TwoFactorEnabled, new ChangePasswordForm()));
    }

    [HttpPost("konto/passwort")]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword ?? "", form.NewPassword ?? "");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(ChangePasswordForm.CurrentPassword) : nameof(ChangePasswordForm.NewPassword), error.Description);
            }

            return View(nameof(Account), new AccountViewModel(user.Email ?? "", user.TwoFactorEnabled, new ChangePasswordForm()));
        }

        await signIn.RefreshSignInAsync(user);
        Flash("Ihr Passwort wurde geändert.");
        return RedirectToAction(nameof(Account));
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/admin", StringComparison.Ordinal) ? returnUrl : "/admin";
}
