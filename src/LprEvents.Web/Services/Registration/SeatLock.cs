using System.Collections.Concurrent;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LprEvents.Web.Services.Registration;

/// <summary>
/// The event lock of docs/decisions/0010: every operation that takes, frees or changes seats of an event, or
/// changes whether its seats can be taken at all (cancelling the event), runs inside it.
/// </summary>
public static class SeatLock
{
    // SQLite has one writer per database file. Without this queue, 200 people registering at once each poll the
    // file's write lock: Microsoft.Data.Sqlite retries a busy statement after a pause on a blocked thread, the thread
    // pool runs dry and all 200 answered after about 4 s (bench/README.md). Queued here, asynchronously, they take
    // the lock one after the other without polling. Another process on the same file still waits as before.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriters = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a transaction and bumps the event's <see cref="Event.SeatLock"/> as its first statement: on SQL
    /// Server that takes the row's exclusive lock until commit; on SQLite the write makes this the one writer.
    /// Later statements in concurrent transactions for the same event wait for it. Callers run inside the
    /// execution strategy (<see cref="Retries.WithRetriesAsync{T}"/>), so that SQL Server repeats the whole
    /// transaction after a transient fault; the statement is parsed as T-SQL in SqlServerQueryTests.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSeatTransactionAsync(this LprEventsDbContext db, int eventId, CancellationToken ct)
    {
        var queue = db.Database.IsSqlite() ? SqliteWriters.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1)) : null;
        if (queue is not null)
        {
            await queue.WaitAsync(ct);
        }

        IDbContextTransaction? transaction = null;
        try
        {
            transaction = await db.Database.BeginTransactionAsync(ct);
            await BumpAsync(db, eventId, ct);
            return queue is null ? transaction : new QueuedTransaction(transaction, queue);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            queue?.Release();
            throw;
        }
    }

    /// <summary>The lock's statement, an UPDATE of the event row (translated and parsed as T-SQL in the tests).</summary>
    public static Task<int> BumpAsync(LprEventsDbContext db, int eventId, CancellationToken ct) =>
        db.Events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.SeatLock, e => e.SeatLock + 1), ct);

    /// <summary>The transaction, which lets the next writer of this process in when it is disposed.</summary>
    private sealed class QueuedTransaction(IDbContextTransaction inner, SemaphoreSlim queue) : IDbContextTransaction
    {
        private int _released;

        public Guid TransactionId => inner.TransactionId;

        public bool SupportsSavepoints => inner.SupportsSavepoints;

        public void Commit() => inner.Commit();

        public Task CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public void Rollback() => inner.Rollback();

        public Task RollbackAsync(CancellationToken cancellationToken = default) => inner.RollbackAsync(cancellationToken);

        public void CreateSavepoint(string name) => inner.CreateSavepoint(name);

        public Task CreateSavepointAsync(string name, CancellationToken cancellationToken = default) => inner.CreateSavepointAsync(name, cancellationToken);

        public void RollbackToSavepoint(string name) => inner.RollbackToSavepoint(name);

        public Task RollbackToSavepointAsync(string name, CancellationToken cancellationToken = default) => inner.RollbackToSavepointAsync(name, cancellationToken);

        public void ReleaseSavepoint(string name) => inner.ReleaseSavepoint(name);

        public Task ReleaseSavepointAsync(string name, CancellationToken cancellationToken = default) => inner.ReleaseSavepointAsync(name, cancellationToken);

        public void Dispose()
        {
            try
            {
                inner.Dispose();
            }
            finally
            {
                Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                Release();
            }
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
