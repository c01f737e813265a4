using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Data;

/// <summary>
/// One line per SQLite database file for the app's busiest writers (seat transactions and the outbox's claims and
/// results). SQLite has one writer at a time, and Microsoft.Data.Sqlite answers a busy database by sleeping on a
/// blocked thread and trying again: under load, a writer that polls loses the lock again and again to writers that
/// hand it on without a gap (the outbox sent 2-8 e-mails/s while 28-50 registrations/s went through, and 200
/// simultaneous registrations starved the thread pool, bench/README.md). Waiting here, asynchronously and in turn,
/// they take the lock one after the other. Short urgent writes (the outbox's) go before the waiting seat
/// transactions, so that sending keeps pace with registering. Another process on the same file, and writers that do
/// not queue here, still wait on the busy timeout as before. SQL Server takes row locks in parallel: no line there.
/// </summary>
public static class SqliteWriterTurns
{
    private static readonly ConcurrentDictionary<string, Line> Lines = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits for this database's turn; the result lets the next writer in when disposed. Null for a database other
    /// than SQLite. Not re-entrant: the holder must not enter again before it has released its turn.
    /// </summary>
    public static async Task<IDisposable?> EnterAsync(LprEventsDbContext db, CancellationToken ct, bool urgent = false)
    {
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        var line = Lines.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new Line());
        await line.EnterAsync(urgent, ct);
        return new Turn(line);
    }

    /// <summary>Runs <paramref name="work"/>, a short write, in this database's next turn (directly on SQL Server).</summary>
    public static async Task<T> RunUrgentAsync<T>(LprEventsDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        using var turn = await EnterAsync(db, ct, urgent: true);
        return await work();
    }

    /// <summary>A fair lock with two classes of waiters; the urgent ones are let in first.</summary>
    private sealed class Line
    {
        private readonly LinkedList<TaskCompletionSource> _urgent = new();
        private readonly LinkedList<TaskCompletionSource> _normal = new();
        private bool _held;

        public async Task EnterAsync(bool urgent, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            TaskCompletionSource waiter;
            LinkedListNode<TaskCompletionSource> node;
            lock (this)
            {
                if (!_held)
                {
                    _held = true;
                    return;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                node = (urgent ? _urgent : _normal).AddLast(waiter);
            }

            await using (ct.Register(() => GiveUp(node, ct)))
            {
                await waiter.Task;
            }
        }

        public void Exit()
        {
            lock (this)
            {
                var next = _urgent.First ?? _normal.First;
                if (next is null)
                {
                    _held = false;
                    return;
                }

                next.List!.Remove(next);
                next.Value.TrySetResult();
            }
        }

        private void GiveUp(LinkedListNode<TaskCompletionSource> node, CancellationToken ct)
        {
            lock (this)
            {
                // Still waiting (not yet let in): leaves the line.
                if (node.List is { } list)
                {
                    list.Remove(node);
                    node.Value.TrySetCanceled(ct);
                }
            }
        }
    }

    private sealed class Turn(Line line) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                line.Exit();
            }
        }
    }
}
