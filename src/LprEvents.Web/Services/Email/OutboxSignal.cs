namespace LprEvents.Web.Services.Email;

/// <summary>
/// Tells the outbox's sender that a new message has been committed, so that it goes out within a moment rather than
/// at the next poll (<see cref="EmailOptions.OutboxPollSeconds"/>). Raised by <see cref="PublicCacheEviction"/>
/// after the commit that added the message; per process: other instances find it at their next poll.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _queued = NewSignal();

    public void MessagesQueued() => Volatile.Read(ref _queued).TrySetResult();

    /// <summary>Completes when a message has been queued since the last call that returned a completed task.</summary>
    public Task NextAsync()
    {
        var current = Volatile.Read(ref _queued);
        if (!current.Task.IsCompleted)
        {
            return current.Task;
        }

        // Consumed: the next wait is for the next message. A message queued at this very moment is in the run that follows.
        Interlocked.CompareExchange(ref _queued, NewSignal(), current);
        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
