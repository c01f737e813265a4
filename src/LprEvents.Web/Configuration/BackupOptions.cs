using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Backup</c>: copies of the SQLite database and the media folder (docs/decisions/0029).</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>Where backups go. Absolute, or relative to the content root; empty means <c>backups</c> next to the database file.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Times of day in Europe/Berlin (<c>HH:mm</c>, several separated by commas, e.g. <c>03:30</c> or <c>03:30,13:00</c>) at which
    /// the running site makes a backup. Empty: no scheduled backups (the <c>backup</c> command still works).
    /// </summary>
    [RegularExpression(@"^\s*(([01][0-9]|2[0-3]):[0-5][0-9]\s*(,\s*([01][0-9]|2[0-3]):[0-5][0-9]\s*)*)?$", ErrorMessage = "Backup:Schedule must be empty or times of day HH:mm separated by commas, e.g. 03:30.")]
    public string? Schedule { get; set; }

    /// <summary>How many backups are kept; older ones are deleted after a successful new one. 0 keeps all.</summary>
    [Range(0, 10000)]
    public int Keep { get; set; } = 7;

    /// <summary>
    /// <c>/health/ready</c> is Degraded and the admin dashboard warns when the newest backup is older than this (hours).
    /// 0 switches the check off.
    /// </summary>
    [Range(0, 87600)]
    public int MaxAgeHours { get; set; } = 26;

    /// <summary>How often the running site looks whether a scheduled backup is due.</summary>
    [Range(5, 3600)]
    public int CheckIntervalSeconds { get; set; } = 60;

    /// <summary>The scheduled times of day, in order.</summary>
    public IReadOnlyList<TimeOnly> Times =>
        string.IsNullOrWhiteSpace(Schedule)
            ? []
            : [.. Schedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture))
                .Order()];

    public bool IsScheduled => !string.IsNullOrWhiteSpace(Schedule);
}
