using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using OtpNet;

namespace LprEvents.Tests.Admin;

/// <summary>
/// Sessions of the admin area end when they should: sign-out, new password, new role, too many wrong passwords.
/// Identity checks a session's security stamp at every request whose cookie is older than "now"; the tests'
/// clock stands still, so each step moves it on by a second (<see cref="Later"/>), as real time would.
/// </summary>
public sealed class SessionTests : IDisposable
{
    private static readonly Uri AdminUri = new(LprWebFactory.DefaultPublicBaseUrl + "/admin");

    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task SignOut_ReplayingTheOldCookieAfterwards_GivesNoAccess()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var session = await editor.SignInAgainAsync(_factory);
        var copied = session.Cookies!.GetCookies(AdminUri)["lpr-admin"]!.Value;
        Later();
        Assert.True(await IsSignedInAsync(session.Client));

        var (_, page) = await session.Client.GetPageAsync("/admin/konto");
        var signedOut = await session.PostAsync("/admin/abmelden", page, [], page.QuerySelector("form[action='/admin/abmelden']"));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Later();

        Assert.False(await IsSignedInAsync(ClientWithCookie(copied)));
    }

    [Fact]
    public async Task PasswordChange_EndsTheOtherSessions_AndKeepsTheChangingOneSignedIn()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var otherDevice = await editor.SignInAgainAsync(_factory);
        Later();

        var changed = await editor.PostFormAsync("/admin/konto", new() { ["CurrentPassword"] = editor.Password, ["NewPassword"] = "ein ganz neuer langer satz" }, "form[action='/admin/konto/passwort']");
        Assert.Equal("/admin/konto", changed.Headers.Location?.OriginalString);
        Later();

        Assert.True(await IsSignedInAsync(editor.Client));
        Assert.False(await IsSignedInAsync(otherDevice.Client));
    }

    [Fact]
    public async Task RoleChangeByAnAdmin_EndsTheEditorsSessions()
    {
        var admin = await AdminSession.SignInAsync(_factory, IdentitySetup.AdminRole);
        var editor = await AdminSession.SignInAsync(_factory);
        var otherDevice = await editor.SignInAgainAsync(_factory);
        Later();

        var (_, users) = await admin.Client.GetPageAsync("/admin/benutzer");
        var roleForm = users.QuerySelectorAll("form[action$='/rolle']").Single(f => f.ParentElement!.ParentElement!.TextContent.Contains(editor.Email, StringComparison.Ordinal));
        var changed = await admin.PostAsync(roleForm.GetAttribute("action")!, users, [], roleForm);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Later();

        Assert.False(await IsSignedInAsync(editor.Client));
        Assert.False(await IsSignedInAsync(otherDevice.Client));
        Assert.True(await IsSignedInAsync(admin.Client));
    }

    [Fact]
    public async Task WrongCurrentPasswords_OnTheChangePasswordForm_LockTheAccountLikeTheLoginForm()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        for (var attempt = 1; attempt < 5; attempt++)
        {
            Later();
            var refused = await ChangePasswordAsync(editor, "geraten und falsch", "ein ganz neuer langer satz");
            var page = Html.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal("Fehler: Das bisherige Passwort stimmt nicht.", page.Text("#CurrentPassword-fehler"));
        }

        Later();
        var fifth = await ChangePasswordAsync(editor, "geraten und falsch", "ein ganz neuer langer satz");
        Assert.Equal("/admin/anmelden", fifth.Headers.Location?.OriginalString);
        var (_, loginPage) = await editor.Client.GetPageAsync("/admin/anmelden");
        Assert.StartsWith("Zu viele falsche Passwörter", loginPage.Text("[role=status]"), StringComparison.Ordinal);
        Later();

        Assert.False(await IsSignedInAsync(editor.Client));
        var login = await AdminSession.PostLoginAsync(_factory.CreateClient(new() { AllowAutoRedirect = false }), editor.Email, editor.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task WrongPasswords_OnTheTwoFactorOffForm_LockTheAccount()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        await EnableTwoFactorAsync(editor);

        HttpResponseMessage? last = null;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Later();
            last = await editor.PostFormAsync("/admin/konto/zwei-faktor", new() { ["password"] = "geraten und falsch" }, "form[action='/admin/konto/zwei-faktor/aus']");
        }

        Assert.Equal("/admin/anmelden", last!.Headers.Location?.OriginalString);
        Later();
        Assert.False(await IsSignedInAsync(editor.Client));
        var login = await AdminSession.PostLoginAsync(_factory.CreateClient(new() { AllowAutoRedirect = false }), editor.Email, editor.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task ChangePasswordForm_IsRateLimitedPerAccount_WhicheverSessionPosts()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var otherDevice = await editor.SignInAgainAsync(_factory);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < IdentitySetup.AccountFormPermits; i++)
        {
            statuses.Add((await ChangePasswordAsync(i % 2 == 0 ? editor : otherDevice, editor.Password, "zu kurz")).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var throttled = await ChangePasswordAsync(otherDevice, editor.Password, "zu kurz");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChangePasswordAsync(editor, editor.Password, "zu kurz")).StatusCode);

        var colleague = await AdminSession.SignInAsync(_factory);
        Assert.Equal(HttpStatusCode.OK, (await ChangePasswordAsync(colleague, colleague.Password, "zu kurz")).StatusCode);
    }

    [Fact]
    public async Task SignIn_AnswersAlikeForUnknownAccountWrongPasswordAndLockedAccount()
    {
        // Alike in words here; alike in time by construction (every path verifies one password hash), which a
        // test on a shared two-core machine could not measure without flaking.
        var (email, password) = await AdminSession.CreateAccountAsync(_factory, IdentitySetup.EditorRole);
        var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        var unknown = await RefusalAsync(await AdminSession.PostLoginAsync(client, "niemand-" + email, "irgendein langes passwort"));
        var wrong = await RefusalAsync(await AdminSession.PostLoginAsync(client, email, "irgendein langes passwort"));
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await AdminSession.PostLoginAsync(client, email, "irgendein langes passwort");
        }

        var lockedWithTheRightPassword = await AdminSession.PostLoginAsync(client, email, password);
        var locked = await RefusalAsync(lockedWithTheRightPassword);

        Assert.StartsWith("Anmeldung nicht möglich", unknown, StringComparison.Ordinal);
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, locked);
        Assert.Equal(HttpStatusCode.OK, lockedWithTheRightPassword.StatusCode);
        Assert.False(await IsSignedInAsync(client));
    }

    [Fact]
    public async Task TwoFactorSetup_FirstTime_CompletesInOneGoAndStaysSignedIn()
    {
        var editor = await AdminSession.SignInAsync(_factory);

        await EnableTwoFactorAsync(editor);
        Later();

        var (response, account) = await editor.Client.GetPageAsync("/admin/konto");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Die Zwei-Faktor-Anmeldung ist eingeschaltet.", account.BodyText(), StringComparison.Ordinal);
    }

    /// <summary>Set-up page, QR code, code from the app: each step a moment after the one before, as a person does it.</summary>
    private async Task EnableTwoFactorAsync(AdminSession editor)
    {
        Later();
        var (setupResponse, setup) = await editor.Client.GetPageAsync("/admin/konto/zwei-faktor");
        Assert.Equal(HttpStatusCode.OK, setupResponse.StatusCode);
        var key = setup.Text("code").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Later();
        var qr = await editor.Client.GetAsync(new Uri("/admin/konto/zwei-faktor/qr.svg", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Later();
        var code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow);
        var enabled = await editor.PostFormAsync("/admin/konto/zwei-faktor", new() { ["Code"] = code }, "main form");
        Assert.Equal("/admin/konto", enabled.Headers.Location?.OriginalString);
    }

    private void Later() => _factory.Time.Advance(TimeSpan.FromSeconds(1));

    private static async Task<bool> IsSignedInAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri("/admin/konto", UriKind.Relative), TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/anmelden", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        return false;
    }

    private HttpClient ClientWithCookie(string adminCookie)
    {
        var jar = new CookieContainer();
        jar.Add(AdminUri, new Cookie("lpr-admin", adminCookie, "/admin"));
        return _factory.CreateDefaultClient(new Uri(_factory.PublicBaseUrl), new CookieContainerHandler(jar));
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(AdminSession session, string current, string next) =>
        session.PostFormAsync("/admin/konto", new() { ["CurrentPassword"] = current, ["NewPassword"] = next }, "form[action='/admin/konto/passwort']");

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return page.Text(".error-summary");
    }
}
