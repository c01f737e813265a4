using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Data;

/// <summary>
/// Work that begins its own transaction runs through the provider's execution strategy (ADR 0026): on SQL Server
/// (<c>EnableRetryOnFailure</c>) the whole unit is run again after a transient fault, from a clean change tracker;
/// on SQLite it runs once, as before. A retrying strategy refuses a transaction begun outside it, so every
/// <c>BeginTransactionAsync</c> in the app sits inside one of these.
/// </summary>
public static class Retries
{
    public static Task<T> WithRetriesAsync<T>(this LprEventsDbContext db, Func<Task<T>> operation)
    {
        var attempt = 0;
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            if (attempt++ > 0)
            {
                // Entities added or changed by the failed attempt were rolled back in the database; forget them here.
                db.ChangeTracker.Clear();
            }

            return await operation();
        });
    }

    public static Task WithRetriesAsync(this LprEventsDbContext db, Func<Task> operation) =>
        db.WithRetriesAsync(async () =>
        {
            await operation();
            return true;
        });
}
