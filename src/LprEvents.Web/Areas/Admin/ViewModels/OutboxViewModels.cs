namespace LprEvents.Web.Areas.Admin.ViewModels;

/// <summary>The "E-Mail-Ausgang": counts, then one list (waiting or failed) a page at a time.</summary>
public sealed record OutboxViewModel(
    int Waiting,
    int Failed,
    int SentRecently,
    DateTime? OldestWaitingUtc,
    DateTime NowUtc,
    int MaxAgeMinutes,
    bool ShowsFailed,
    IReadOnlyList<OutboxRow> Rows,
    PageNavigationModel Paging);

/// <summary>One message as the admin sees it: no body, no link, no token.</summary>
public sealed record OutboxRow(long Id, string Kind, string ToAddress, string Subject, DateTime CreatedAtUtc, int Attempts, DateTime NextAttemptAtUtc, string? LastError);
