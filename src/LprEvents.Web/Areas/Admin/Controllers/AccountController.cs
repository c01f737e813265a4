using FluentValidation.AspNetCore;
using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
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
    AdminSignIn passwords,
    ILogger<AccountController> logger) : AdminController
{
    /// <summary>Unknown account, wrong password and locked account get this one answer: the form does not tell which accounts exist.</summary>
    private const string SignInRefused = "E-Mail-Adresse oder Passwort sind nicht richtig – oder das Konto ist gesperrt (nach zu vielen Fehlversuchen für 15 Minuten, sonst bis die Administration es wieder freigibt).";

    private const string LockedAfterWrongPasswords = "Zu viele falsche Passwörter: Das Konto ist für 15 Minuten gesperrt und Sie sind abgemeldet.";

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

        var result = await passwords.PasswordSignInAsync(form.Email.Trim(), form.Password);
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
        }

        ModelState.AddModelError(string.Empty, SignInRefused);
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

    /// <summary>Signing out ends the session on the server too (new security stamp): a copied cookie is worthless afterwards.</summary>
    [HttpPost("abmelden")]
    public async Task<IActionResult> Logout()
    {
        await passwords.SignOutEverywhereAsync(await users.GetUserAsync(User));
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
        return user is null ? Challenge() : View(AccountView(user, new PublicNameForm { PublicName = user.PublicName }));
    }

    [HttpPost("konto/name")]
    public async Task<IActionResult> PublicName(PublicNameForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var validation = new PublicNameFormValidator().Validate(form);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Account), AccountView(user, form));
        }

        user.PublicName = form.PublicName?.Trim() ?? "";
        await users.UpdateAsync(user);
        Flash(user.PublicName.Length == 0
            ? "Unter Ihren Beiträgen steht jetzt „Redaktion“."
            : $"Unter Ihren Beiträgen steht jetzt „{user.PublicName}“.");
        return RedirectToAction(nameof(Account));
    }

    /// <summary>
    /// A new password ends the account's other sessions (Identity gives it a new security stamp); this session
    /// gets a fresh cookie and stays signed in.
    /// </summary>
    [HttpPost("konto/passwort")]
    [EnableRateLimiting(IdentitySetup.AccountRateLimitPolicy)]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var check = await passwords.CheckCurrentPasswordAsync(user, form.CurrentPassword ?? "");
        if (check.IsLockedOut)
        {
            return await SignOutLockedAsync(user);
        }

        var result = check.Succeeded
            ? await users.ChangePasswordAsync(user, form.CurrentPassword ?? "", form.NewPassword ?? "")
            : IdentityResult.Failed(users.ErrorDescriber.PasswordMismatch());
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(ChangePasswordForm.CurrentPassword) : nameof(ChangePasswordForm.NewPassword), error.Description);
            }

            return View(nameof(Account), AccountView(user, new PublicNameForm { PublicName = user.PublicName }));
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
        // One answer, and the same token check, whether or not the address has an account: the form must not
        // tell who works in the editorial office.
        const string invalidLink = "Der Link ist ungültig oder abgelaufen. Bitten Sie die Administration um eine neue Einladung.";
        var user = string.IsNullOrWhiteSpace(form.Email) ? null : await users.FindByEmailAsync(form.Email.Trim());
        if (user is null || string.IsNullOrEmpty(form.Token))
        {
            await users.VerifyUserTokenAsync(new ApplicationUser(), TokenOptions.DefaultProvider, UserManager<ApplicationUser>.ResetPasswordTokenPurpose, form.Token ?? "");
            ModelState.AddModelError(string.Empty, invalidLink);
            form.Password = null;
            return View(form);
        }

        var result = await users.ResetPasswordAsync(user, form.Token, form.Password ?? "");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                if (error.Code == "InvalidToken")
                {
                    ModelState.AddModelError(string.Empty, invalidLink);
                }
                else
                {
                    ModelState.AddModelError(nameof(SetPasswordForm.Password), error.Description);
                }
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
            // A new key comes with a new security stamp, which would end this very session at its next request
            // (the QR code, the code form): the session gets a fresh cookie right away.
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
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
        // Once two-factor sign-in is on, its secret is never shown again: a stolen session must not copy it.
        if (user is null || string.IsNullOrEmpty(key) || await users.GetTwoFactorEnabledAsync(user))
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
    [EnableRateLimiting(IdentitySetup.AccountRateLimitPolicy)]
    public async Task<IActionResult> TwoFactorDisable(string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var check = await passwords.CheckCurrentPasswordAsync(user, password ?? "");
        if (check.IsLockedOut)
        {
            return await SignOutLockedAsync(user);
        }

        if (!check.Succeeded)
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

    /// <summary>Too many wrong current passwords: whoever holds this session is signed out, like a locked sign-in.</summary>
    private async Task<IActionResult> SignOutLockedAsync(ApplicationUser user)
    {
        logger.LogWarning("Account {UserId} locked after wrong current passwords on the account page", user.Id);
        await passwords.SignOutEverywhereAsync(user);
        Flash(LockedAfterWrongPasswords);
        return RedirectToAction(nameof(Login));
    }

    private static AccountViewModel AccountView(ApplicationUser user, PublicNameForm name) =>
        new(user.Email ?? "", user.TwoFactorEnabled, new ChangePasswordForm(), name);

    private static string FormatKey(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4))))).ToLowerInvariant();

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/admin", StringComparison.Ordinal) ? returnUrl : "/admin";
}
