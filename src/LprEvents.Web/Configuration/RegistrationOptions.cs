using System.ComponentModel.DataAnnotations;

namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Registration</c>.</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "Registration";

    /// <summary>Days after an event's end until its participants' personal data is anonymised.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Hours an unconfirmed registration waits for its e-mail confirmation before it is removed.</summary>
    [Range(1, 720)]
    public int ConfirmationHours { get; set; } = 48;

    /// <summary>Hours before the start at which the reminder goes out.</summary>
    [Range(1, 720)]
    public int ReminderHoursBefore { get; set; } = 24;

    /// <summary>Registration form submissions allowed per client address and window.</summary>
    [Range(1, 100000)]
    public int RateLimitPermits { get; set; } = 10;

    [Range(1, 1440)]
    public int RateLimitWindowMinutes { get; set; } = 10;

    /// <summary>How often the maintenance run (expiry, reminders, retention) happens.</summary>
    [Range(10, 86400)]
    public int MaintenanceIntervalSeconds { get; set; } = 300;
}

public enum EmailMode
{
    Pickup,
    Smtp,
}

/// <summary>Section <c>Email</c>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public EmailMode Mode { get; set; } = EmailMode.Pickup;

    /// <summary>Where <c>.eml</c> files go in Pickup mode; relative to the content root.</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail";

    [Required]
    public string From { get; set; } = "Landespräventionsrat Sachsen <veranstaltungen@localhost>";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Seconds between two looks into the outbox.</summary>
    [Range(1, 3600)]
    public int OutboxPollSeconds { get; set; } = 10;

    /// <summary>After this many failed attempts a message is marked failed and left for an operator.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>
    /// <c>/health/ready</c> reports Degraded when the oldest message still waiting was written longer ago than
    /// this (the mail server has been down, or the outbox does not keep up).
    /// </summary>
    [Range(1, 10080)]
    public int OutboxMaxAgeMinutes { get; set; } = 15;

    /// <summary>
    /// The shortest time a sender's claim on a message lasts (at least twice one send's deadline in any case): after
    /// a crash, the messages the dead process had claimed wait this long before another run sends them.
    /// </summary>
    [Range(1, 3600)]
    public int ClaimSeconds { get; set; } = 300;
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public string User { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>true: STARTTLS (or implicit TLS on port 465); false: plain, only for a relay on the same host.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>How many SMTP connections one instance keeps open while the outbox has work: messages in flight at once.</summary>
    [Range(1, 16)]
    public int Connections { get; set; } = 4;

    /// <summary>Seconds for connecting, TLS, greeting and authentication together.</summary>
    [Range(1, 300)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds the server may take to answer one command (or to take the message's data).</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;
}
