using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Identity;

namespace LprEvents.Web.Configuration;

public static class IdentitySetup
{
    public const string EditorPolicy = "Editor";
    public const string AdminPolicy = "Admin";
    public const string AdminRole = "Admin";
    public const string EditorRole = "Editor";
    public const string LoginRateLimitPolicy = "login";

    /// <summary>Forms on the account page that check the current password: per account, whichever client sends them.</summary>
    public const string AccountRateLimitPolicy = "account";

    /// <summary>The admin cookie only travels to /admin: readers of the public site never get a cookie.</summary>
    public const string CookiePath = "/admin";

    /// <summary>The sign-in cookie; a request that carries it is never answered from the output cache.</summary>
    public const string CookieName = "lpr-admin";

    /// <summary>Posts per account and 15 minutes to the forms that check the current password (the lockout comes first for wrong ones).</summary>
    public const int AccountFormPermits = 10;

    public static WebApplicationBuilder AddLprIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddScoped<AdminAccounts>();
        services.AddScoped<AdminSignIn>();

        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Password.RequiredUniqueChars = 5;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                // User names are e-mail addresses; Identity's default alphabet refuses "jürgen@…" or "o'brien@…".
                o.User.AllowedUserNameCharacters = "";
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<LprEventsDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<GermanIdentityErrors>();

        // A locked or demoted account loses access at its next request, not after the default 30 minutes.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        // Invitation and set-password links are valid for three days, as the invitation e-mail says.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(3));
        var secure = TransportSecurity.CookiePolicy(builder.Environment);
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = CookiePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.LoginPath = "/admin/anmelden";
            o.LogoutPath = "/admin/abmelden";
            o.AccessDeniedPath = "/admin/kein-zugriff";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // The framework builds these redirects from the request's scheme and Host (port included, and a
            // proxy's X-Forwarded-Proto): send only the path, which the browser resolves against the page it has.
            o.Events.OnRedirectToLogin = context => RedirectRelative(context);
            o.Events.OnRedirectToAccessDenied = context => RedirectRelative(context);
        });
        services.ConfigureExternalCookie(o =>
        {
            o.Cookie.Path = CookiePath;
            o.Cookie.SecurePolicy = secure;
        });
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Path = CookiePath;
            o.Cookie.SecurePolicy = secure;
        });
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme, o =>
        {
            o.Cookie.Path = CookiePath;
            o.Cookie.SecurePolicy = secure;
        });

        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Path = CookiePath;
            o.Cookie.SecurePolicy = secure;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, p => p.RequireRole(EditorRole, AdminRole))
            .AddPolicy(AdminPolicy, p => p.RequireRole(AdminRole));

        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o =>
        {
            o.AddPolicy(LoginRateLimitPolicy, context => RedisSetup.FixedWindow(
                context, LoginRateLimitPolicy, RateLimitKeys.Client(context), 20, TimeSpan.FromMinutes(5)));
            o.AddPolicy(AccountRateLimitPolicy, context => RedisSetup.FixedWindow(
                context, AccountRateLimitPolicy, RateLimitKeys.Account(context), AccountFormPermits, TimeSpan.FromMinutes(15)));
        });
        return builder;
    }


    private static Task RedirectRelative(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }
}

/// <summary>Identity's messages in German, for the admin pages.</summary>
public sealed class GermanIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Das Passwort muss mindestens {length} Zeichen lang sein." };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"Das Passwort muss mindestens {uniqueChars} verschiedene Zeichen enthalten." };

    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = "Für diese E-Mail-Adresse gibt es schon ein Konto." };

    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = "Für diese E-Mail-Adresse gibt es schon ein Konto." };

    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = "Die E-Mail-Adresse ist ungültig." };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = "Die E-Mail-Adresse kann nicht als Benutzername verwendet werden." };

    public override IdentityError InvalidToken() => new() { Code = nameof(InvalidToken), Description = "Der Link ist ungültig oder abgelaufen." };

    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "Das bisherige Passwort stimmt nicht." };
}
