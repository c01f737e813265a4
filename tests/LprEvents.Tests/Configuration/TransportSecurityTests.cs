using System.Net;
using LprEvents.Tests.Support;

namespace LprEvents.Tests.Configuration;

/// <summary>Outside Development cookies travel only over https and browsers are told to use https for a year.</summary>
public sealed class TransportSecurityTests
{
    [Fact]
    public async Task OutsideDevelopment_CookiesAreSecure_AndHstsLastsAYear()
    {
        using var factory = new LprWebFactory();
        var (email, password) = await AdminSession.CreateAccountAsync(factory, "Editor");
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal("https", client.BaseAddress!.Scheme);

        var page = await client.GetAsync(new Uri("/admin/anmelden", UriKind.Relative), TestContext.Current.CancellationToken);
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000", string.Join(", ", page.Headers.GetValues("Strict-Transport-Security")));

        var login = await AdminSession.PostLoginAsync(client, email, password);
        Assert.Equal("/admin", login.Headers.Location?.OriginalString);
        var session = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lpr-admin=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin/konto", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task InDevelopment_TheAdminAreaStillWorksOverPlainHttp()
    {
        using var factory = new LprWebFactory { PublicBaseUrl = "http://localhost:5080", EnvironmentName = "Development" };
        var (email, password) = await AdminSession.CreateAccountAsync(factory, "Editor");
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal("http", client.BaseAddress!.Scheme);

        var login = await AdminSession.PostLoginAsync(client, email, password);

        Assert.Equal("/admin", login.Headers.Location?.OriginalString);
        var session = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lpr-admin=", StringComparison.Ordinal));
        Assert.DoesNotContain("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin/konto", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }
}
