using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Admin;

public sealed class AdminAccessTests(LprWebFactory factory) : IClassFixture<LprWebFactory>
{
    /// <summary>Every admin endpoint the app knows, from its own routing data.</summary>
    private List<(string Method, string Path, bool Anonymous, bool AdminOnly)> AdminEndpoints()
    {
        _ = factory.Server;
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("admin", StringComparison.Ordinal) == true)
            .SelectMany(e =>
            {
                var path = "/" + string.Join('/', e.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "1",
                    _ => "",
                }))));
                var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var adminOnly = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == IdentitySetup.AdminPolicy);
                return methods.Select(m => (m, path, anonymous, adminOnly));
            })
            .Distinct()
            .ToList();
    }

    [Fact]
    public async Task EveryAdminEndpoint_SendsAnonymousVisitorsToTheLoginPage()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var endpoints = AdminEndpoints().Where(e => !e.Anonymous).ToList();
        Assert.True(endpoints.Count >= 5, $"only {endpoints.Count} admin endpoints found");

        foreach (var (method, path, _, _) in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = new FormUrlEncodedContent([]);
            }

            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.StartsWith("/admin/anmelden?ReturnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminOnlyPages_AreForbiddenForEditors()
    {
        var editor = await AdminSession.SignInAsync(factory);
        var adminOnly = AdminEndpoints().Where(e => e.AdminOnly && e.Method == "GET").ToList();
        Assert.NotEmpty(adminOnly);

        foreach (var (_, path, _, _) in adminOnly)
        {
            var response = await editor.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/kein-zugriff", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        var denied = await editor.Client.GetAsync(new Uri("/admin/kein-zugriff", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Login_WithRightPassword_OpensTheDashboard_AndTheCookieStaysUnderAdmin()
    {
        var (email, password) = await AdminSession.CreateAccountAsync(factory, IdentitySetup.EditorRole);
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await AdminSession.PostLoginAsync(client, email, password);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lpr-admin=", StringComparison.Ordinal));
        var (dashboard, page) = await client.GetPageAsync("/admin");

        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("Übersicht", page.Text("h1"));
        Assert.Contains("Vernetzungstreffen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge", page.Text("#naechste ~ .table-wrap"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_AfterFiveWrongPasswords_IsLockedEvenWithTheRightOne()
    {
        var (email, password) = await AdminSession.CreateAccountAsync(factory, IdentitySetup.EditorRole);
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        for (var i = 0; i < 5; i++)
        {
            var wrong = await AdminSession.PostLoginAsync(client, email, "falsches-passwort-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await AdminSession.PostLoginAsync(client, email, password);
        var page = Html.Parse(await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("das Konto ist gesperrt", page.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/admin", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Login_WithWrongPassword_SaysSoInGerman()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await AdminSession.PostLoginAsync(client, "niemand@lpr.example", "falsch-falsch-falsch");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("E-Mail-Adresse oder Passwort sind nicht richtig", page.Text(".error-summary li"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPages_SetNoCookieEvenForSignedInEditors()
    {
        var editor = await AdminSession.SignInAsync(factory);

        var response = await editor.Client.GetAsync(new Uri("/aktuelles", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(response.Headers, h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase));
    }
}
