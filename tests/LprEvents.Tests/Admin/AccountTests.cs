using System.Net;
using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using OtpNet;

namespace LprEvents.Tests.Admin;

public sealed partial class AccountTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task AdminInvitesAnEditor_WhoSetsAPasswordFromTheEmailAndSignsIn()
    {
        var admin = await AdminSession.SignInAsync(_factory, IdentitySetup.AdminRole);

        var invited = await admin.PostFormAsync("/admin/benutzer", new() { ["Email"] = "neue.redakteurin@lpr.example", ["DisplayName"] = "Neue Redakteurin", ["Role"] = "Editor" }, "form[action='/admin/benutzer/einladen']");
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        await new RegistrationDriver(_factory).DeliverMailAsync();

        var mail = Assert.Single(Mailbox.To(_factory.MailFolder, "neue.redakteurin@lpr.example"));
        Assert.Equal("Einladung in die Redaktion des Veranstaltungsportals", mail.Subject);
        var link = InvitationLink().Match(mail.TextBody ?? "").Groups["path"].Value;
        Assert.StartsWith("/admin/passwort-setzen?email=", link, StringComparison.Ordinal);

        var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        var (_, page) = await client.GetPageAsync(link);
        var set = await client.PostAsync(new Uri("/admin/passwort-setzen", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = page.QuerySelector("input[name=Email]")!.GetAttribute("value")!,
            ["Token"] = page.QuerySelector("input[name=Token]")!.GetAttribute("value")!,
            ["Password"] = "ein langer satz als passwort",
            ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
        }), TestContext.Current.CancellationToken);
        Assert.Equal("/admin/anmelden", set.Headers.Location?.OriginalString);

        var login = await AdminSession.PostLoginAsync(client, "neue.redakteurin@lpr.example", "ein langer satz als passwort");
        Assert.Equal("/admin", login.Headers.Location?.OriginalString);
        var forbidden = await client.GetAsync(new Uri("/admin/benutzer", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.StartsWith("/admin/kein-zugriff", forbidden.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetPassword_WithABadToken_AnswersAlikeForAnAccountAndForNoAccount()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        async Task<(HttpStatusCode Status, string Main)> TryAsync(string email)
        {
            var (_, page) = await client.GetPageAsync($"/admin/passwort-setzen?email={Uri.EscapeDataString(email)}&token=bogus");
            var response = await client.PostAsync(new Uri("/admin/passwort-setzen", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email,
                ["Token"] = "bogus",
                ["Password"] = "ein langer satz als passwort",
                ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
            }), TestContext.Current.CancellationToken);
            var html = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            html.QuerySelector("input[name=__RequestVerificationToken]")?.Remove();
            return (response.StatusCode, html.QuerySelector("main")!.InnerHtml.Replace(email, "ADRESSE", StringComparison.Ordinal));
        }

        var known = await TryAsync(editor.Email);
        var unknown = await TryAsync("niemand@lpr.example");

        Assert.Equal(unknown, known);
        Assert.Contains("Der Link ist ungültig oder abgelaufen. Bitten Sie die Administration um eine neue Einladung.", known.Main, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoFactor_OnceEnabled_AsksForTheCodeAtSignIn()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (_, setup) = await editor.Client.GetPageAsync("/admin/konto/zwei-faktor");
        var key = setup.Text("code").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var qr = await editor.Client.GetAsync(new Uri("/admin/konto/zwei-faktor/qr.svg", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);

        var wrong = await editor.PostFormAsync("/admin/konto/zwei-faktor", new() { ["Code"] = "000000" }, "main form");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var enabled = await editor.PostFormAsync("/admin/konto/zwei-faktor", new() { ["Code"] = Code(key) }, "main form");
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        var qrAfterwards = await editor.Client.GetAsync(new Uri("/admin/konto/zwei-faktor/qr.svg", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, qrAfterwards.StatusCode);

        var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await AdminSession.PostLoginAsync(client, editor.Email, editor.Password);
        Assert.StartsWith("/admin/anmelden/zwei-faktor", login.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var (_, codePage) = await client.GetPageAsync(login.Headers.Location!.OriginalString);
        var verified = await client.PostAsync(new Uri("/admin/anmelden/zwei-faktor", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = Code(key),
            ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(codePage),
        }), TestContext.Current.CancellationToken);
        Assert.Equal("/admin", verified.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CreateAdminCommand_PrintsAOneTimePasswordThatWorks()
    {
        var (exitCode, output) = await WebProject.RunAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Default"] = $"Data Source={_factory.DatabasePath}",
                // The first command on a new install: it may create the database (the factory has not started yet).
                ["Database__CreateIfMissing"] = "true",
                ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(_factory.Folder, "cli-logs", "log-.log"),
                ["Media__RootPath"] = Path.Combine(_factory.Folder, "media"),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Site__PublicBaseUrl"] = LprWebFactory.DefaultPublicBaseUrl,
                ["Seed__Demo"] = "false",
            },
            "create-admin",
            "chefin@lpr.example");

        Assert.Equal(0, exitCode);
        var password = OneTimePassword().Match(output).Groups["password"].Value;
        Assert.Equal(20, password.Length);
        var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await AdminSession.PostLoginAsync(client, "chefin@lpr.example", password);
        Assert.Equal("/admin", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin/benutzer", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    /// <summary>Identity checks authenticator codes against the real clock, not the app's TimeProvider.</summary>
    private static string Code(string base32Key) => new Totp(Base32Encoding.ToBytes(base32Key)).ComputeTotp(DateTime.UtcNow);

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/admin/passwort-setzen\?\S+)")]
    private static partial Regex InvitationLink();

    [GeneratedRegex(@"One-time password:\s+(?<password>\S+)")]
    private static partial Regex OneTimePassword();
}
