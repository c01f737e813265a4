using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LprEvents.Tests.Support;

/// <summary>
/// Starts SQLite transactions with <c>BEGIN DEFERRED</c> instead of Microsoft.Data.Sqlite's <c>BEGIN IMMEDIATE</c>:
/// then a transaction takes the write lock only at its first write, as a SQL Server transaction takes a row's
/// lock only when it touches the row, and the order of statements inside the transaction matters.
/// </summary>
public sealed class DeferredTransactions : DbTransactionInterceptor
{
    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result) =>
        InterceptionResult<DbTransaction>.SuppressWithResult(Begin(connection, eventData));

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult<DbTransaction>.SuppressWithResult(Begin(connection, eventData)));

    private static SqliteTransaction Begin(DbConnection connection, TransactionStartingEventData eventData) =>
        ((SqliteConnection)connection).BeginTransaction(eventData.IsolationLevel == IsolationLevel.Unspecified ? IsolationLevel.Serializable : eventData.IsolationLevel, deferred: true);
}
