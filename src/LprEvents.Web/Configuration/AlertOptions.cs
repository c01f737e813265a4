using System.ComponentModel.DataAnnotations;

namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Alerts</c>: the e-mail alerts per region and their weekly digest.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>The weekday of the digest, in Europe/Berlin.</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    /// <summary>The time of day of the digest, in Europe/Berlin (<c>HH:mm</c>).</summary>
    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    public string DigestTime { get; set; } = "07:00";

    /// <summary>How often an instance looks whether a digest is due.</summary>
    [Range(10, 86400)]
    public int CheckIntervalSeconds { get; set; } = 300;

    /// <summary>Subscriptions read and handled at once; a run handles at most <see cref="MaxBatchesPerRun"/> batches, the next run goes on.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 200;

    [Range(1, 1000)]
    public int MaxBatchesPerRun { get; set; } = 25;

    /// <summary>Hours an unconfirmed subscription waits for its confirmation before it is removed.</summary>
    [Range(1, 720)]
    public int ConfirmationHours { get; set; } = 48;

    /// <summary>Days a link in an alert e-mail keeps working (newer e-mails carry newer links).</summary>
    [Range(7, 3650)]
    public int LinkDays { get; set; } = 365;

    public TimeOnly DigestTimeOfDay => TimeOnly.ParseExact(DigestTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
