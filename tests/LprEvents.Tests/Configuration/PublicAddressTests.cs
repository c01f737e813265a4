using System.Net;
using LprEvents.Tests.Support;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// Absolute links come from Site:PublicBaseUrl only: a forged Host header neither reaches the app nor, where an
/// operator allows several names, ends up in e-mails or page metadata. Outside Development the setting is required.
/// </summary>
public sealed class PublicAddressTests
{
    [Fact]
    public async Task RequestForAnotherHost_Is400()
    {
        using var factory = new LprWebFactory();
        var forged = factory.CreateClient(new() { BaseAddress = new Uri("https://evil.example"), AllowAutoRedirect = false });
        var genuine = factory.CreateClient();

        var response = await forged.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await genuine.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task PlainHttp_RedirectsPagesToThePublicHttpsAddress_RefusesFormsAndKeepsHealthChecks()
    {
        using var factory = new LprWebFactory();
        var http = factory.CreateClient(new() { BaseAddress = new Uri("http://veranstaltungen.test"), AllowAutoRedirect = false });

        var page = await http.GetAsync(new Uri("/veranstaltungen?seite=1", UriKind.Relative), TestContext.Current.CancellationToken);
        var post = await http.PostAsync(new Uri("/veranstaltungen/x/anmeldung", UriKind.Relative), new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        var health = await http.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PermanentRedirect, page.StatusCode);
        Assert.Equal("https://veranstaltungen.test/veranstaltungen?seite=1", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal("Diese Website ist nur über HTTPS erreichbar.", await post.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task SignInRedirect_WithAnotherPortInTheHostHeader_StaysOnThePage()
    {
        using var factory = new LprWebFactory();
        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://veranstaltungen.test:8443"), AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/admin", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/anmelden?ReturnUrl=%2Fadmin", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RegistrationUnderAnotherAllowedHost_EmailsLinksToThePublicAddress_AndPagesNameOnlyIt()
    {
        using var factory = new LprWebFactory();
        factory.ExtraSettings["AllowedHosts"] = "veranstaltungen.test;evil.example";
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-host", capacity: 5, waitingList: true);
        var evil = factory.CreateClient(new() { BaseAddress = new Uri("https://evil.example"), AllowAutoRedirect = false });
        var form = (await evil.GetPageAsync($"/veranstaltungen/{e.Slug}/anmeldung")).Document;
        var fields = RegistrationDriver.ValidFields("opfer@example.org");
        fields["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(form);
        fields["RegionId"] = form.QuerySelector("#RegionId option[selected]")!.GetAttribute("value")!;

        var posted = await evil.PostAsync(new Uri($"/veranstaltungen/{e.Slug}/anmeldung", UriKind.Relative), new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        await driver.DeliverMailAsync();

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var mail = Assert.Single(Mailbox.To(factory.MailFolder, "opfer@example.org"));
        Assert.Contains($"{LprWebFactory.DefaultPublicBaseUrl}/anmeldung/", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", mail.TextBody + mail.HtmlBody, StringComparison.Ordinal);
        foreach (var url in new[] { "/", $"/veranstaltungen/{e.Slug}", "/aktuelles/bericht-vernetzungstreffen-freiberg-2023" })
        {
            var html = await evil.GetStringAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);
            Assert.Contains($"<link rel=\"canonical\" href=\"{LprWebFactory.DefaultPublicBaseUrl}{url}\"", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("", "Site:PublicBaseUrl is not set")]
    [InlineData("http://veranstaltungen.example", "must use https outside Development")]
    [InlineData("veranstaltungen.example", "is not an absolute http(s) URL")]
    public async Task ProductionStart_WithoutAnHttpsPublicBaseUrl_StopsWithOneClearLine(string value, string message)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        var (exitCode, log) = await WebProject.RunAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Site__PublicBaseUrl"] = value,
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(folder, "lprevents.db")}",
            ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(folder, "logs", "lprevents-.log"),
            ["Media__RootPath"] = Path.Combine(folder, "media"),
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, log, StringComparison.Ordinal);
        // Production logs compact JSON ("@l":"Fatal"); text logs write FTL.
        Assert.Single(log.Split('\n'), line => line.Contains("FTL", StringComparison.Ordinal) || line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
        Assert.DoesNotContain("Now listening", log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "lprevents.db")), "no database may be created before the settings are right");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
