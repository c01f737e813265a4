using Microsoft.AspNetCore.HttpsPolicy;

namespace LprEvents.Web.Configuration;

/// <summary>Cookies only over https and HSTS, outside Development; Development stays usable on http://localhost.</summary>
public static class TransportSecurity
{
    /// <summary>The Secure flag for every cookie the site sets (sign-in, two-factor, temp data, antiforgery).</summary>
    public static CookieSecurePolicy CookiePolicy(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    public static WebApplicationBuilder AddLprTransportSecurity(this WebApplicationBuilder builder)
    {
        var cookies = CookiePolicy(builder.Environment);
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = cookies);
        builder.Services.Configure<HstsOptions>(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            // Not for subdomains: the portal runs on one host name of a domain whose other hosts (intranet, older
            // services of the ministry) this application neither knows nor controls; forcing https on them is the
            // domain owner's decision, made at the parent domain. For the same reason no preload.
            o.IncludeSubDomains = false;
            o.Preload = false;
        });
        return builder;
    }
}
