using LprEvents.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Support;

/// <summary>SQLite's plan for a LINQ query: the detail lines of <c>EXPLAIN QUERY PLAN</c>, in order.</summary>
public static class QueryPlans
{
    public static async Task<List<string>> PlanAsync<T>(LprEventsDbContext db, IQueryable<T> query)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var lines = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                lines.Add(reader.GetString(3));
            }

            return lines;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
