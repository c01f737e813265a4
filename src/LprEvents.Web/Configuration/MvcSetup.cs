using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Configuration;

public static class MvcSetup
{
    public static WebApplicationBuilder AddLprMvc(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName).ValidateOnStart();
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.SectionName).ValidateOnStart();
        services.AddSingleton<MediaStorage>();
        services.AddSingleton<MarkdownRenderer>();

        services.AddLocalization(o => o.ResourcesPath = "Resources");

        // Behind a reverse proxy the client's address comes from X-Forwarded-For, but only from proxies named here:
        // the registration rate limit is per client address.
        var proxies = builder.Configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddRouting(o =>
        {
            o.LowercaseUrls = true;
            o.AppendTrailingSlash = false;
        });
        services.AddControllersWithViews(o =>
            {
                // Model binding speaks German too: a forged or garbled value gets a message, never a 500.
                var messages = o.ModelBindingMessageProvider;
                messages.SetAttemptedValueIsInvalidAccessor((value, _) => $"Der Wert „{value}“ ist hier nicht gültig.");
                messages.SetValueIsInvalidAccessor(value => $"Der Wert „{value}“ ist ungültig.");
                messages.SetValueMustBeANumberAccessor(_ => "Bitte geben Sie eine Zahl an.");
                messages.SetMissingBindRequiredValueAccessor(_ => "Bitte füllen Sie dieses Feld aus.");
                messages.SetMissingKeyOrValueAccessor(() => "Bitte füllen Sie dieses Feld aus.");
                messages.SetMissingRequestBodyRequiredValueAccessor(() => "Die Anfrage war leer.");
                messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"Der Wert „{value}“ ist ungültig.");
                messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Der Wert ist ungültig.");
                messages.SetNonPropertyValueMustBeANumberAccessor(() => "Bitte geben Sie eine Zahl an.");
                messages.SetUnknownValueIsInvalidAccessor(_ => "Der Wert ist ungültig.");
                messages.SetValueMustNotBeNullAccessor(_ => "Bitte füllen Sie dieses Feld aus.");
                o.AnswerHeadWhereGetIsAnswered();
            })
            .AddViewLocalization(LanguageViewLocationExpanderFormat.Suffix)
            .AddDataAnnotationsLocalization();
        return builder;
    }

    public static WebApplication UseLprSite(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseHeadWithoutBody();
        var german = new CultureInfo("de-DE");
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(german),
            SupportedCultures = [german],
            SupportedUICultures = [german],
        });

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/fehler");
            app.UseHsts();
        }
        else
        {
            app.UseDeveloperExceptionPage();
        }

        app.UseStatusCodePagesWithReExecute("/fehler/{0}");
        app.UseSecurityHeaders();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx =>
                ctx.Context.Response.Headers.CacheControl = ctx.File.Name.EndsWith(".css", StringComparison.Ordinal) || ctx.File.Name.EndsWith(".js", StringComparison.Ordinal)
                    ? "public, max-age=3600"
                    : "public, max-age=86400",
        });

        app.UseLprMedia();
        app.UseLprRequestLogging();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapControllers();
        return app;
    }
}

/// <summary>Section <c>Site</c>: facts about the site itself used in meta tags and legal pages.</summary>
public sealed class SiteOptions
{
    public const string SectionName = "Site";

    /// <summary>Public base URL for canonical links and feeds; empty means the request's own scheme and host.</summary>
    public string PublicBaseUrl { get; set; } = "";

    public string Name { get; set; } = "Veranstaltungen des Landespräventionsrates Sachsen";

    /// <summary>Used for links in e-mails written outside a request when PublicBaseUrl is empty.</summary>
    public const string FallbackBaseUrl = "http://localhost:5080";
}

internal static class SiteOptionsExtensions
{
    public static string BaseUrl(this IOptions<SiteOptions> options, HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
            ? $"{request.Scheme}://{request.Host}"
            : options.Value.PublicBaseUrl.TrimEnd('/');
}
