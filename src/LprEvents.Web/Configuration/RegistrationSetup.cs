using LprEvents.Web.Services.Alerts;
using LprEvents.Web.Services.Email;
using LprEvents.Web.Services.Registration;

namespace LprEvents.Web.Configuration;

public static class RegistrationSetup
{
    public const string RateLimitPolicy = "registration";

    public static WebApplicationBuilder AddLprRegistration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Mode != EmailMode.Smtp || !string.IsNullOrWhiteSpace(o.Smtp.Host), "Email:Mode is Smtp but Email:Smtp:Host is empty.")
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.From, out _), "Email:From is not a valid address.")
            .Validate(o => o.Smtp.Connections is >= 1 and <= 16, "Email:Smtp:Connections must be between 1 and 16.")
            .Validate(o => o.Smtp.ConnectTimeoutSeconds is >= 1 and <= 300 && o.Smtp.CommandTimeoutSeconds is >= 1 and <= 600, "Email:Smtp:ConnectTimeoutSeconds (1-300) or Email:Smtp:CommandTimeoutSeconds (1-600) is out of range.")
            .ValidateOnStart();
        services.AddOptions<BackgroundJobOptions>().BindConfiguration(BackgroundJobOptions.SectionName);
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<EmailComposer>();
        services.AddScoped<RegistrationService>();
        services.AddScoped<EventNotifications>();
        services.AddSingleton<AlertEmails>();
        services.AddScoped<AlertSubscriptions>();

        var mode = builder.Configuration.GetValue(EmailOptions.SectionName + ":Mode", EmailMode.Pickup);
        if (mode == EmailMode.Smtp)
        {
            services.AddSingleton<IEmailTransport, SmtpTransport>();
        }
        else
        {
            services.AddSingleton<IEmailTransport, PickupDirectoryTransport>();
        }

        // Oldest waiting e-mail's age on /health/ready (Degraded beyond Email:OutboxMaxAgeMinutes).
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, tags: ["ready"]);

        // Singletons, so that tests and the admin area can trigger a run; hosted only where jobs are enabled.
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<RegistrationMaintenance>();
        services.AddSingleton<AlertDigest>();
        if (builder.Configuration.GetValue(BackgroundJobOptions.SectionName + ":Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
            services.AddHostedService(sp => sp.GetRequiredService<RegistrationMaintenance>());
            services.AddHostedService(sp => sp.GetRequiredService<AlertDigest>());
        }

        var registration = builder.Configuration.GetSection(RegistrationOptions.SectionName).Get<RegistrationOptions>() ?? new RegistrationOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Counted in Redis when configured, so that all instances share one count per client (ADR 0026).
            o.AddPolicy(RateLimitPolicy, context => RedisSetup.FixedWindow(
                context,
                RateLimitPolicy,
                RateLimitKeys.Client(context),
                registration.RateLimitPermits,
                TimeSpan.FromMinutes(registration.RateLimitWindowMinutes)));
        });
        return builder;
    }
}

/// <summary>Section <c>BackgroundJobs</c>: whether this instance sends e-mail and runs maintenance.</summary>
public sealed class BackgroundJobOptions
{
    public const string SectionName = "BackgroundJobs";

    /// <summary>Several instances may all run them (they coordinate through the database); tests switch them off.</summary>
    public bool Enabled { get; set; } = true;
}
