namespace LprEvents.Web.Domain;

/// <summary>The one order of a program: by start time, then the editor's order of parallel items, then creation.</summary>
public static class ProgramOrder
{
    public static IOrderedQueryable<Session> InProgramOrder(this IQueryable<Session> sessions) =>
        sessions.OrderBy(s => s.StartsAtUtc).ThenBy(s => s.SortOrder).ThenBy(s => s.Id);

    public static IOrderedEnumerable<Session> InProgramOrder(this IEnumerable<Session> sessions) =>
        sessions.OrderBy(s => s.StartsAtUtc).ThenBy(s => s.SortOrder).ThenBy(s => s.Id);
}
