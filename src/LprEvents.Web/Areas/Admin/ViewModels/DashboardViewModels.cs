using LprEvents.Web.Domain;

namespace LprEvents.Web.Areas.Admin.ViewModels;

public sealed record DashboardViewModel(IReadOnlyList<DashboardEvent> Events, IReadOnlyList<DashboardArticle> Drafts, IReadOnlyList<AuditRow> Changes);

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
