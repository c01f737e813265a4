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
            logger.LogWarning("Admin sign-in refused: account locked");
            ModelState.AddModelError(string.Empty, "Das Konto ist gesperrt – nach zu vielen Fehlversuchen für 15 Minuten, sonst bis die Administration es wieder freigibt.");
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

    [AllowAnonymous]
    [HttpGet("passwort-setzen")]
    public IActionResult SetPassword(string? email, string? token) => View(new SetPasswordForm { Email = email, Token = token });

    [AllowAnonymous]
    [HttpPost("passwort-setzen")]
    [EnableRateLimiting(IdentitySetup.LoginRateLimitPolicy)]
    public async Task<IActionResult> SetPassword(SetPasswordForm form)
    {
        var user = string.IsNullOrWhiteSpace(form.Email) ? null : await users.FindByEmailAsync(form.Email.Trim());
        if (user is null || string.IsNullOrEmpty(form.Token))
        {
            ModelState.AddModelError(string.Empty, "Der Link ist ungültig oder abgelaufen. Bitten Sie die Administration um eine neue Einladung.");
            return View(form);
        }

        var result = await users.ResetPasswordAsync(user, form.Token, form.Password ?? "");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "InvalidToken" ? string.Empty : nameof(SetPasswordForm.Password), error.Description);
            }

            form.Password = null;
            return View(form);
        }

        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        Flash("Ihr Passwort ist gespeichert. Bitte melden Sie sich an.");
        return RedirectToAction(nameof(Login));
    }

    [HttpGet("konto/zwei-faktor")]
    public async Task<IActionResult> TwoFactorSetup()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        ViewData["Enabled"] = user.TwoFactorEnabled;
        return View(new TwoFactorSetupViewModel(FormatKey(key!), null));
    }

    /// <summary>The QR code for the authenticator app, as SVG from our own origin (the CSP allows no data: images).</summary>
    [HttpGet("konto/zwei-faktor/qr.svg")]
    public async Task<IActionResult> TwoFactorQr()
    {
        var user = await users.GetUserAsync(User);
        var key = user is null ? null : await users.GetAuthenticatorKeyAsync(user);
        if (user is null || string.IsNullOrEmpty(key))
        {
            return NotFound();
        }

        var issuer = Uri.EscapeDataString("LPR Sachsen Redaktion");
        var uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer={issuer}&digits=6";
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCoder.QRCodeGenerator.ECCLevel.Q);
        var svg = new QRCoder.SvgQRCode(data).GetGraphic(6);
        Response.Headers.CacheControl = "no-store";
        return Content(svg, "image/svg+xml");
    }

    [HttpPost("konto/zwei-faktor")]
    public async Task<IActionResult> TwoFactorEnable(TwoFactorSetupForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var code = (form.Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            ViewData["Enabled"] = false;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(TwoFactorSetup), new TwoFactorSetupViewModel(FormatKey((await users.GetAuthenticatorKeyAsync(user))!), "Der Code stimmt nicht. Bitte geben Sie den aktuellen sechsstelligen Code aus der App ein."));
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await signIn.RefreshSignInAsync(user);
        Flash("Die Zwei-Faktor-Anmeldung ist eingeschaltet. Künftig fragen wir nach dem Passwort auch den Code aus Ihrer App ab.");
        return RedirectToAction(nameof(Account));
    }

    [HttpPost("konto/zwei-faktor/aus")]
    public async Task<IActionResult> TwoFactorDisable(string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!await users.CheckPasswordAsync(user, password ?? ""))
        {
            Flash("Das Passwort stimmt nicht; die Zwei-Faktor-Anmeldung bleibt eingeschaltet.");
            return RedirectToAction(nameof(TwoFactorSetup));
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        Flash("Die Zwei-Faktor-Anmeldung ist ausgeschaltet.");
        return RedirectToAction(nameof(Account));
    }

    private static string FormatKey(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4))))).ToLowerInvariant();

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/admin", StringComparison.Ordinal) ? returnUrl : "/admin";
}
