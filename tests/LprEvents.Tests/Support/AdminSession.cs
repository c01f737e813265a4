using System.Net;
using AngleSharp.Dom;
using LprEvents.Web.Configuration;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Support;

/// <summary>An editor or administrator signed in through the real login page.</summary>
public sealed class AdminSession
{
    private AdminSession(HttpClient client, string email, string password)
    {
        Client = client;
        Email = email;
        Password = password;
    }

    public HttpClient Client { get; }

    public string Email { get; }

    public string Password { get; }

    /// <summary>The session's cookies, for sessions opened with their own jar (<see cref="SignInAgainAsync"/>).</summary>
    public CookieContainer? Cookies { get; private init; }

    public static async Task<(string Email, string Password)> CreateAccountAsync(LprWebFactory factory, string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@lpr.example";
        await using var scope = factory.Services.CreateAsyncScope();
        var (password, errors) = await scope.ServiceProvider.GetRequiredService<AdminAccounts>().CreateAsync(email, role, role);
        Assert.True(password is not null, string.Join(" ", errors));
        return (email, password!);
    }

    public static async Task<AdminSession> SignInAsync(LprWebFactory factory, string role = IdentitySetup.EditorRole)
    {
        var (email, password) = await CreateAccountAsync(factory, role);
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var response = await PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
        return new AdminSession(client, email, password);
    }

    /// <summary>A second session of the same account with its own cookie jar, as from another device.</summary>
    public async Task<AdminSession> SignInAgainAsync(LprWebFactory factory)
    {
        var jar = new CookieContainer();
        var client = factory.CreateDefaultClient(new Uri(factory.PublicBaseUrl), new CookieContainerHandler(jar));
        var response = await PostLoginAsync(client, Email, Password);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
        return new AdminSession(client, Email, Password) { Cookies = jar };
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var (_, page) = await client.GetPageAsync("/admin/anmelden");
        return await client.PostAsync(
            new Uri("/admin/anmelden", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email,
                ["Password"] = password,
                ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
            }),
            TestContext.Current.CancellationToken);
    }

    /// <summary>Opens <paramref name="pagePath"/>, then posts its form (the first, or the one matching the selector) with these fields.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, Dictionary<string, string> fields, string formSelector = "main form")
    {
        var (_, page) = await Client.GetPageAsync(pagePath);
        var form = page.QuerySelector(formSelector) ?? throw new Xunit.Sdk.XunitException($"no form '{formSelector}' on {pagePath}");
        return await PostAsync(form.GetAttribute("action") ?? pagePath, page, fields, form);
    }

    public async Task<HttpResponseMessage> PostAsync(string action, IDocument page, Dictionary<string, string> fields, IElement? form = null) =>
        await Client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(FormValues(page, fields, form)), TestContext.Current.CancellationToken);

    /// <summary>What a browser posts from <paramref name="form"/> (or the page): its current values, with <paramref name="fields"/> set.</summary>
    public static List<KeyValuePair<string, string>> FormValues(IDocument page, Dictionary<string, string> fields, IElement? form = null)
    {
        var values = new List<KeyValuePair<string, string>>();
        // Start from what the form already holds (hidden fields, current values), like a browser does.
        foreach (var input in (form ?? page.DocumentElement).QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = input.GetAttribute("name")!;
            if (fields.ContainsKey(name))
            {
                continue;
            }

            switch (input.LocalName)
            {
                case "textarea":
                    values.Add(new(name, input.TextContent));
                    break;
                case "select":
                    foreach (var option in input.QuerySelectorAll("option[selected]"))
                    {
                        values.Add(new(name, option.GetAttribute("value") ?? ""));
                    }

                    break;
                default:
                    var type = input.GetAttribute("type");
                    if (type is "checkbox" or "radio" && !input.HasAttribute("checked"))
                    {
                        break;
                    }

                    if (type is "submit" or "file")
                    {
                        break;
                    }

                    values.Add(new(name, input.GetAttribute("value") ?? (type is "checkbox" ? "on" : "")));
                    break;
            }
        }

        values.AddRange(fields);
        return values;
    }
}
