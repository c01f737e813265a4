using LprEvents.Web.Domain;

namespace LprEvents.Web.Areas.Admin.ViewModels;

public sealed record DashboardViewModel(IReadOnlyList<DashboardEvent> Events, IReadOnlyList<DashboardArticle> Drafts, IReadOnlyList<AuditRow> Changes, DashboardBackup? Backup = null);

/// <summary>The newest backup of the SQLite database (null on SQL Server, whose backups the app does not see).</summary>
public sealed record DashboardBackup(DateTime? NewestAtUtc, long? NewestBytes, Services.Backups.BackupProblem Problem, DateTime? FailedAtUtc, int MaxAgeHours)
{
    /// <summary>"12,3 MB" (German number format).</summary>
    public string? Size => NewestBytes is not { } bytes
        ? null
        : bytes >= 1024 * 1024
            ? (bytes / 1024d / 1024d).ToString("0.0", Services.BerlinTime.Culture) + " MB"
            : Math.Max(1, (bytes + 1023) / 1024).ToString(Services.BerlinTime.Culture) + " KB";
}

public sealed record DashboardEvent(int Id, string Title, EventStatus Status, DateTime StartsAtUtc, int? Capacity, int Confirmed, int Waiting, int Unconfirmed);

public sealed record DashboardArticle(int Id, string Title, DateTime UpdatedAtUtc);

public sealed record AuditRow(DateTime AtUtc, string UserName, string Action, string EntityType, string? EntityId, string Summary);

public sealed record PageNavigationModel(int Page, int PageSize, int TotalCount)
{
    public LprEvents.Web.ViewModels.Shared.PageNavigation Navigation => new(Page, PageSize, TotalCount);
}

public sealed record AuditViewModel(
    IReadOnlyList<AuditRow> Rows,
    PageNavigationModel Paging,
    string? User,
    string? Action,
    string? EntityType,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> EntityTypes);
