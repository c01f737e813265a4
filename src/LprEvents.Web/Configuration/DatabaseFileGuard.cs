using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Whether the database is the right one, and the one critical log line when it stops being so (docs/decisions/0028).
/// SQLite keeps writing into a file that was renamed or deleted under the running app: its pooled connections hold
/// the old file open, so registrations were acknowledged into an orphan. Every commit, and every statement outside a
/// transaction, first asks SQLite whether the connection's file is still the file at its path
/// (<c>SQLITE_FCNTL_HAS_MOVED</c>: the inode at the path against the open file's); when it is not, the statement is
/// refused as "database unavailable" (503, nothing acknowledged), the pool is emptied so that new connections open
/// the path again (<c>Mode=ReadWrite</c>: a missing file cannot be opened, nor created), and one critical line is
/// logged. Before that, the old file's write-ahead log is checkpointed into it and emptied: the log keeps its name at
/// the path, where a file renamed back finds it, but where a restored copy would otherwise take up the old file's
/// pages; and a renamed file then holds everything by itself. <c>/health/ready</c> reports through
/// <see cref="Report"/> too; the line is logged on the transition only.
/// </summary>
public sealed class DatabaseFileGuard(ILogger<DatabaseFileGuard> logger)
{
    /// <summary>SQLite's own code for "the database file was moved since it was opened" (SQLITE_READONLY_DBMOVED).</summary>
    public const int MovedExtendedCode = 1032;

    private const int SqliteReadonly = 8;

    private int _notReady;

    /// <summary>
    /// Refuses a statement (or the commit of <paramref name="pending"/>, which is rolled back) on a connection whose file
    /// is no longer the file at the configured path.
    /// </summary>
    public void ThrowIfMoved(DbConnection? connection, DbTransaction? pending = null)
    {
        if (connection is not SqliteConnection sqlite || !SqliteFileIdentity.HasMoved(sqlite))
        {
            return;
        }

        // Connections in use are discarded when they are returned; new ones open the path again.
        SqliteConnection.ClearPool(sqlite);
        var file = sqlite.DataSource;
        try
        {
            pending?.Rollback();
        }
        catch (DbException)
        {
            // The transaction goes with its connection, which the cleared pool discards.
        }

        Report(ready: false, MovedDetail(file));
        if (SqliteFileIdentity.EmptyWriteAheadLog(sqlite) is { } failed)
        {
            logger.LogWarning(
                "The write-ahead log {File}-wal of the old database file could not be emptied (SQLite {Code}); stop the app before a backup is restored to that path, and move that file away with the old one.",
                file,
                failed);
        }

        throw new SqliteException($"The database file {file} was renamed, replaced or deleted while the app was running.", SqliteReadonly, MovedExtendedCode);
    }

    /// <summary>The operator's line for a file that is no longer the one the app has open.</summary>
    public static string MovedDetail(string file) =>
        $"the SQLite database file {file} was renamed, replaced or deleted while the app was running; nothing more is written into the old file (requests that write answer 503). Rename the file back or restore it from a backup (docs/operations.md, \"The database file\"); the app carries on by itself once the file is back";

    /// <summary>Logs one critical line when the database stops being ready and one line when it is ready again.</summary>
    public void Report(bool ready, string detail)
    {
        if (!ready && Interlocked.Exchange(ref _notReady, 1) == 0)
        {
            logger.LogCritical("Database not ready: {Detail:l}.", detail);
        }
        else if (ready && Interlocked.Exchange(ref _notReady, 0) == 1)
        {
            logger.LogWarning("Database ready again: {Detail:l}.", detail);
        }
    }
}

/// <summary>Checks the file identity before every commit and before every statement outside a transaction.</summary>
public sealed class DatabaseFileInterceptor(DatabaseFileGuard guard) : DbCommandInterceptor, IDbTransactionInterceptor
{
    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        guard.ThrowIfMoved(transaction.Connection, transaction);
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        guard.ThrowIfMoved(transaction.Connection, transaction);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    // A statement inside a transaction is checked when the transaction commits; one outside commits by itself.
    private void Check(DbCommand command)
    {
        if (command.Transaction is null)
        {
            guard.ThrowIfMoved(command.Connection);
        }
    }
}

/// <summary>
/// <c>SQLITE_FCNTL_HAS_MOVED</c> through <c>sqlite3_file_control</c>, which Microsoft.Data.Sqlite does not expose: the
/// bundled library (e_sqlite3) is called directly with the connection's own handle. On Unix it compares the inode
/// at the file's path with the open file's (one <c>stat</c>, about a microsecond); Windows does not let an open
/// database file be renamed or deleted, and reports "not moved". With another native SQLite library, or none,
/// it answers "not moved" and the guard rests on <c>Mode=ReadWrite</c> and the readiness probe alone.
/// </summary>
internal static class SqliteFileIdentity
{
    private const int HasMovedOperation = 20;
    private const int CheckpointTruncate = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const string Library = "e_sqlite3";

    private static readonly byte[] Main = "main\0"u8.ToArray();

    private static readonly Lazy<bool> BundledLibrary = new(() => string.Equals(SQLitePCL.raw.GetNativeLibraryName(), Library, StringComparison.Ordinal));

    private static volatile bool _unavailable;

    public static bool HasMoved(SqliteConnection connection)
    {
        if (_unavailable || connection.State != System.Data.ConnectionState.Open || connection.Handle is not { IsInvalid: false } handle || !BundledLibrary.Value)
        {
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var moved = 0;
            return FileControl(handle.DangerousGetHandle(), Main, HasMovedOperation, ref moved) == 0 && moved != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // Blittable arguments only (the name as NUL-terminated UTF-8), so no marshalling code and no unsafe blocks.
    /// <summary>
    /// Checkpoints the write-ahead log into the connection's (moved) file and truncates it to nothing
    /// (<c>SQLITE_CHECKPOINT_TRUNCATE</c>), retrying for up to a second while another connection still reads; null
    /// when done, else SQLite's result code. Only outside a transaction (after the rollback).
    /// </summary>
    public static int? EmptyWriteAheadLog(SqliteConnection connection)
    {
        if (connection.Handle is not { IsInvalid: false } handle || SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0)
        {
            return null;
        }

        var result = 0;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            result = SQLitePCL.raw.sqlite3_wal_checkpoint_v2(handle, "main", CheckpointTruncate, out _, out _);
            if (result is not (SqliteBusy or SqliteLocked))
            {
                break;
            }

            Thread.Sleep(25);
        }

        return result == 0 ? null : result;
    }

    [DllImport(Library, EntryPoint = "sqlite3_file_control", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int FileControl(IntPtr database, byte[] name, int operation, ref int argument);
}
