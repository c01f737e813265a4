namespace LprEvents.Web.ViewModels.Shared;

/// <summary>Numbered paging: page 1-based, bounded by the controller so deep pages cannot be requested.</summary>
public sealed record PageNavigation(int Page, int PageSize, int TotalCount)
{
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);

    public bool HasPrevious => Page > 1;

    public bool HasNext => Page < PageCount;
}
