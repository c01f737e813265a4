using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LprEvents.Tests.Support;

/// <summary>Records every SQL command while switched on, with the transaction it ran in (null: none).</summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<(DbTransaction? Transaction, string Sql)> _commands = new();

    public bool Recording { get; set; }

    /// <summary>What ran since the last call, grouped into transactions in order; a command outside any transaction is a group of its own.</summary>
    public IReadOnlyList<SqlGroup> Take()
    {
        var groups = new List<SqlGroup>();
        var byTransaction = new Dictionary<DbTransaction, SqlGroup>(ReferenceEqualityComparer.Instance);
        while (_commands.TryDequeue(out var command))
        {
            if (command.Transaction is null)
            {
                groups.Add(new SqlGroup(InTransaction: false, [command.Sql]));
            }
            else if (byTransaction.TryGetValue(command.Transaction, out var group))
            {
                group.Commands.Add(command.Sql);
            }
            else
            {
                group = new SqlGroup(InTransaction: true, [command.Sql]);
                byTransaction[command.Transaction] = group;
                groups.Add(group);
            }
        }

        return groups;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        if (Recording)
        {
            _commands.Enqueue((command.Transaction, command.CommandText));
        }
    }
}

public sealed record SqlGroup(bool InTransaction, List<string> Commands);
