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
    /// <summary>
    /// Starts a transaction and bumps the event's <see cref="Event.SeatLock"/> as its first statement: on SQL
    /// Server that takes the row's exclusive lock until commit; on SQLite the write makes this the one writer.
    /// Later statements in concurrent transactions for the same event wait for it. Callers run inside the
    /// execution strategy (<see cref="Retries.WithRetriesAsync{T}"/>), so that SQL Server repeats the whole
    /// transaction after a transient fault; the statement is parsed as T-SQL in SqlServerQueryTests.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSeatTransactionAsync(this LprEventsDbContext db, int eventId, CancellationToken ct)
    {
        // On SQLite the transaction waits for its turn in the database's write queue first (SqliteWriterTurns).
        var queue = await SqliteWriterTurns.EnterAsync(db, ct);
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

            queue?.Dispose();
            throw;
        }
    }

    /// <summary>The lock's statement, an UPDATE of the event row (translated and parsed as T-SQL in the tests).</summary>
    public static Task<int> BumpAsync(LprEventsDbContext db, int eventId, CancellationToken ct) =>
        db.Events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.SeatLock, e => e.SeatLock + 1), ct);

    /// <summary>The transaction, which lets the next writer of this process in when it is disposed.</summary>
    private sealed class QueuedTransaction(IDbContextTransaction inner, IDisposable queue) : IDbContextTransaction
    {

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
                queue.Dispose();
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
                queue.Dispose();
            }
        }
    }
}
