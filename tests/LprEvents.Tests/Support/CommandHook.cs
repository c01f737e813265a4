using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LprEvents.Tests.Support;

/// <summary>
/// Stages a race without timing: runs an action once, at an exact point of another operation (before a
/// matching command runs, or when the rows of a matching query have been read).
/// </summary>
public sealed class CommandHook : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private Func<DbCommand, bool>? _before;
    private Func<DbCommand, bool>? _afterReading;
    private Func<DbCommand, CancellationToken, Task>? _action;

    public bool Fired { get; private set; }

    public void BeforeCommand(Func<DbCommand, bool> match, Func<DbCommand, CancellationToken, Task> action) => Arm(match, null, action);

    public void AfterReading(Func<DbCommand, bool> match, Func<DbCommand, CancellationToken, Task> action) => Arm(null, match, action);

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await RunIfAsync(command, before: true, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await RunIfAsync(command, before: true, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        await RunIfAsync(command, before: false, CancellationToken.None);
        return result;
    }

    private void Arm(Func<DbCommand, bool>? before, Func<DbCommand, bool>? afterReading, Func<DbCommand, CancellationToken, Task> action)
    {
        lock (_gate)
        {
            (_before, _afterReading, _action, Fired) = (before, afterReading, action, false);
        }
    }

    private async Task RunIfAsync(DbCommand command, bool before, CancellationToken ct)
    {
        Func<DbCommand, CancellationToken, Task>? action = null;
        lock (_gate)
        {
            var match = before ? _before : _afterReading;
            if (match is not null && _action is not null && match(command))
            {
                // Once only: the action's own commands pass through here too.
                action = _action;
                (_before, _afterReading, _action, Fired) = (null, null, null, true);
            }
        }

        if (action is not null)
        {
            await action(command, ct);
        }
    }
}
