using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HostFiltering;
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
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.SectionName)
            .Validate(o => SiteOptions.Problem(o.PublicBaseUrl, builder.Environment.IsDevelopment()) is null, "Site:PublicBaseUrl is invalid (docs/operations.md).")
            .ValidateOnStart();
        if (!builder.Environment.IsDevelopment())
        {
            // A request for any other host gets 400: links and cookies are only ever for the public name.
            // An operator's own AllowedHosts list (other than "*") wins.
            services.AddOptions<HostFilteringOptions>().PostConfigure<IOptions<SiteOptions>>((o, site) =>
            {
                if (SiteOptions.Problem(site.Value.PublicBaseUrl, isDevelopment: false) is null
                    && (o.AllowedHosts is null || o.AllowedHosts.Count == 0 || o.AllowedHosts.SequenceEqual(["*"])))
                {
                    o.AllowedHosts = [new Uri(SiteOptions.Normalise(site.Value.PublicBaseUrl)).IdnHost];
                }
            });
        }

        services.AddSingleton<MediaStorage>();
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<MarkdownRenderer>();

        services.AddLocalization(o => o.ResourcesPath = "Resources");

        // Behind a reverse proxy the client's address comes from X-Forwarded-For, but only from proxies named here
        // (ReverseProxy:KnownProxies: addresses; ReverseProxy:KnownNetworks: CIDR ranges): every rate limit is per client
        // address (RateLimitKeys). The framework trusts loopback by default, and any sender when the connection has no
        // address at all (Unix socket, test server); so the defaults go, and without a configured proxy the headers
        // are not read at all: a client must not choose its own rate-limit partition.
        var proxies = builder.Configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection("ReverseProxy:KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            o.ForwardedHeaders = proxies.Length + networks.Length == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
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

    /// <summary>
    /// Settings without which the site must not serve (a missing or http public base URL in Production would
    /// put wrong or hijackable links into e-mails). Logs one clear line and returns false; Program exits 1.
    /// </summary>
    public static bool HasValidSiteSettings(this WebApplication app)
    {
        var site = app.Configuration.GetSection(SiteOptions.SectionName).Get<SiteOptions>() ?? new SiteOptions();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MvcSetup).FullName!);
        if (SiteOptions.Problem(site.PublicBaseUrl, app.Environment.IsDevelopment()) is { } problem)
        {
            logger.LogCritical("{Problem} The application stops (docs/operations.md).", problem);
            return false;
        }

        var proxies = app.Configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [];
        var networks = app.Configuration.GetSection("ReverseProxy:KnownNetworks").Get<string[]>() ?? [];
        if (!app.Environment.IsDevelopment() && proxies.Length == 0 && networks.Length == 0)
        {
            // Behind a TLS-terminating proxy that is not listed, every request looks like plain http: Secure
            // cookies are refused and forms fail. Not fatal, since Kestrel may serve https itself.
            logger.LogWarning(
                "No ReverseProxy:KnownProxies or ReverseProxy:KnownNetworks configured: X-Forwarded-For and X-Forwarded-Proto are ignored. Behind a reverse proxy that terminates TLS, list its address, or forms will fail (docs/operations.md).");
        }

        return true;
    }

    public static WebApplication UseLprSite(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseLprMetricsAccess();
        app.UseHttpsOnly();
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
        app.UseLprMedia();
        app.UseLprRequestLogging();
        app.UseRouting();
        app.UseLprRequestSizeCheck();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        // Cache outside compression: a cached page is kept compressed, once per accepted encoding (ADR 0023).
        app.UseOutputCache();
        app.UseResponseCompression();
        // After routing (it serves only where no endpoint matched) so that CSS and JS are compressed too. Pages link
        // them with asp-append-version: an address with ?v=<content hash> never changes its content (ADR 0023).
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx =>
                ctx.Context.Response.Headers.CacheControl = ctx.Context.Request.Query.ContainsKey("v")
                    ? "public, max-age=31536000, immutable"
                    : ctx.File.Name.EndsWith(".css", StringComparison.Ordinal) || ctx.File.Name.EndsWith(".js", StringComparison.Ordinal)
                        ? "public, max-age=3600"
                        : "public, max-age=86400",
        });
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapLprMetrics();
        app.MapControllers();
        return app;
    }
}
