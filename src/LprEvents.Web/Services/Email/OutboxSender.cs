using System.Collections.Concurrent;
using System.Threading.Channels;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LprEvents.Web.Services.Email;

/// <summary>
/// Sends what the outbox holds. Each run takes due messages in batches and hands them to
/// <see cref="IEmailTransport.Concurrency"/> workers, each with its own connection (connected and authenticated
/// once per run) and its own DbContext. A worker claims its share of the batch with one conditional update ("now"
/// read at that moment, so a claim is never born expired) and, before each message, extends the claim on the rest
/// should it run short of one send's deadline. Each message's outcome is recorded only under that claim (the final
/// update is conditional on <see cref="OutboxMessage.LockToken"/>, so a sender whose claim was taken over by another
/// instance never marks the message) by one recorder per run, which writes whatever has come in since its last
/// write in one transaction: on SQLite, with one writer at a time, the outbox needs a few write turns per batch
/// rather than two per message, and so keeps up while registrations write (docs/decisions/0025). A permanent
/// rejection (5xx for the recipient or the message) marks a message failed at once; other failures are retried
/// with growing pauses, and after <see cref="EmailOptions.MaxAttempts"/> the message is marked failed. When the
/// mail server is unreachable the run stops taking new messages and releases the claims it did not use.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes,
    IEmailTransport transport,
    TimeProvider time,
    IOptions<EmailOptions> options,
    OutboxSignal signal,
    ILogger<OutboxSender> logger) : PeriodicJob<int>(time, logger)
{
    public const int BatchSize = 200;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.OutboxPollSeconds);

    /// <summary>A committed new message wakes the sender (<see cref="OutboxSignal"/>); the poll interval is the fallback.</summary>
    protected override Task WakeUpAsync() => signal.NextAsync();

    /// <summary>Woken by a new message, the sender waits this long so that the messages of the next moments go in one run.</summary>
    protected override TimeSpan GatherDelay => TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest one message may take, connecting included: connect, then MAIL/RCPT, DATA and the data's
    /// acceptance, each bounded by the command timeout.
    /// </summary>
    public TimeSpan SendDeadline => TimeSpan.FromSeconds(options.Value.Smtp.ConnectTimeoutSeconds + (3 * options.Value.Smtp.CommandTimeoutSeconds));

    /// <summary>
    /// How long a claim lasts; after that another instance may retry the message. Twice the longest send, at least
    /// <see cref="EmailOptions.ClaimSeconds"/> (five minutes); a worker extends its claim on the messages it has yet
    /// to send whenever less than one send's deadline is left.
    /// </summary>
    public TimeSpan ClaimDuration => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(options.Value.ClaimSeconds).Ticks, 2 * SendDeadline.Ticks));

    /// <summary>
    /// The most messages a worker claims at once: few enough that a crash strands only a handful until their claims
    /// expire, enough that the outbox needs only a few write turns per batch.
    /// </summary>
    public const int MostClaimedAtOnce = 20;

    /// <summary>Sends every due message once. Returns how many were sent.</summary>
    public Task<int> SendDueAsync(CancellationToken ct) => RunOnceAsync(ct);

    private DateTime Now() => Time.GetUtcNow().UtcDateTime;

    protected override async Task<int> RunAsync(CancellationToken ct)
    {
        var run = new RunState();
        var workers = new List<Worker>();
        var recorder = new Recorder(this, scopes.CreateAsyncScope(), run);
        try
        {
            while (!run.Stopped)
            {
                var due = await NextBatchAsync(ct);
                if (due.Count == 0)
                {
                    break;
                }

                var needed = Math.Min(Math.Max(1, transport.Concurrency), due.Count);
                while (workers.Count < needed)
                {
                    workers.Add(new Worker(this, scopes.CreateAsyncScope(), transport.OpenSession(), recorder));
                }

                // Each worker claims its share in one go: a few write turns per batch, not one per message.
                var share = Math.Min(MostClaimedAtOnce, (due.Count + needed - 1) / needed);
                var queue = new ConcurrentQueue<long>(due);
                var claimedBefore = run.Claimed;
                await Task.WhenAll(workers.Take(needed).Select(w => w.DrainAsync(queue, share, run, ct)));
                // Every message of a batch ends up sent, failed, waiting for a later attempt, released or claimed by
                // another instance, so the next query finds new ones; a batch taken entirely by others ends the run.
                await recorder.FlushAsync();
                if (due.Count < BatchSize || run.Claimed == claimedBefore)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }

            // Records what the workers handed over, also when the run was cancelled or failed.
            await recorder.DisposeAsync();
        }

        if (run.Claimed > 0)
        {
            Logger.LogInformation(
                "Outbox run: {Sent} sent, {Failed} failed for good, {Retrying} to be retried, {Lost} claims lost to another sender{Stopped}",
                run.Sent, run.Failed, run.Retrying, run.Lost, run.Stopped ? "; mail server unavailable, run stopped" : "");
        }

        return run.Sent;
    }

    private async Task<List<long>> NextBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
        var now = Now();
        return await db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAtUtc <= now && (m.LockedUntilUtc == null || m.LockedUntilUtc < now))
            .OrderBy(m => m.NextAttemptAtUtc).ThenBy(m => m.Id)
            .Select(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Claims <paramref name="ids"/> (those still due and unclaimed) and sends them one after the other over the
    /// worker's session, handing each outcome to the recorder. What it does not get to (the mail server became
    /// unavailable, shutdown) is released for the next run.
    /// </summary>
    private async Task SendShareAsync(LprEventsDbContext db, IEmailSession session, Recorder recorder, List<long> ids, RunState run, CancellationToken ct)
    {
        var claim = Guid.NewGuid();
        var (messages, until) = await SqliteWriterTurns.RunUrgentAsync(db, () => ClaimAsync(db, ids, claim, ct), ct);
        Interlocked.Add(ref run.Claimed, messages.Count);
        var next = 0;
        var recorded = Task.CompletedTask;
        try
        {
            while (next < messages.Count && !run.Stopped && !ct.IsCancellationRequested)
            {
                // One message per worker between the mail server's acceptance and its record: should the process die,
                // at most the messages on the wire go out twice. The records of all workers are written together.
                await recorded;
                if (run.Stopped || ct.IsCancellationRequested)
                {
                    break;
                }

                if (Now() + SendDeadline > until)
                {
                    // Less than one send's deadline left (a slow server, a long pause): extend the claim on the rest first.
                    var rest = messages.Skip(next).Select(m => m.Id).ToList();
                    var (stillOurs, extended) = await SqliteWriterTurns.RunUrgentAsync(db, () => ExtendAsync(db, rest, claim, ct), ct);
                    messages = [.. messages.Take(next), .. messages.Skip(next).Where(m => stillOurs.Contains(m.Id))];
                    until = extended;
                    continue;
                }

                var message = messages[next];
                try
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    deadline.CancelAfter(SendDeadline);
                    await session.SendAsync(ToMime(message), deadline.Token);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    var failure = SendFailure.From(ex, options.Value.Smtp.CommandTimeoutSeconds);
                    if (failure.ServerUnavailable)
                    {
                        run.Stopped = true;
                    }

                    next++;
                    recorded = recorder.Add(new Outcome(message, claim, failure));
                    continue;
                }

                next++;
                recorded = recorder.Add(new Outcome(message, claim, Failure: null));
            }
        }
        finally
        {
            // Not sent by this run: free at once for the next run or another instance. A message whose sending was
            // cancelled by shutdown is among them; it may have reached the server (it goes out again, same Message-ID).
            if (next < messages.Count)
            {
                recorder.Release([.. messages.Skip(next).Select(m => m.Id)], claim);
            }
        }
    }

    /// <summary>Claims those of the messages that are due and unclaimed, with the time read now, and loads them.</summary>
    private async Task<(List<OutboxMessage> Messages, DateTime Until)> ClaimAsync(LprEventsDbContext db, List<long> ids, Guid claim, CancellationToken ct)
    {
        var now = Now();
        var until = now + ClaimDuration;
        var claimed = await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Pending && m.NextAttemptAtUtc <= now && (m.LockedUntilUtc == null || m.LockedUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntilUtc, until).SetProperty(m => m.LockToken, claim), ct);
        if (claimed == 0)
        {
            return ([], until); // claimed by another sender, no longer due, or deleted meanwhile (the registration was withdrawn)
        }

        var messages = await db.OutboxMessages.AsNoTracking()
            .Where(m => ids.Contains(m.Id) && m.LockToken == claim)
            .OrderBy(m => m.NextAttemptAtUtc).ThenBy(m => m.Id)
            .ToListAsync(ct);
        return (messages, until);
    }

    /// <summary>Extends the claim on those messages that are still this claim's; returns them and the new end.</summary>
    private async Task<(HashSet<long> StillOurs, DateTime Until)> ExtendAsync(LprEventsDbContext db, List<long> ids, Guid claim, CancellationToken ct)
    {
        var until = Now() + ClaimDuration;
        await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.LockToken == claim && m.Status == OutboxStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntilUtc, until), ct);
        var ours = await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.LockToken == claim && m.Status == OutboxStatus.Pending)
            .Select(m => m.Id)
            .ToListAsync(ct);
        return ([.. ours], until);
    }

    /// <summary>
    /// Writes the outcomes in one transaction (SQLite: in the database's write turn), each under its claim, then
    /// counts and logs them. Not cancelled by shutdown: a message that is out is marked now, which spares its
    /// recipient a second copy.
    /// </summary>
    private async Task RecordAsync(LprEventsDbContext db, List<Outcome> outcomes, List<(List<long> Ids, Guid Claim)> releases, RunState run)
    {
        var updated = new int[outcomes.Count];
        await db.WithRetriesAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            for (var i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i];
                updated[i] = outcome.Failure is null
                    ? await CompleteAsync(db, outcome.Message, outcome.Claim)
                    : await FailAsync(db, outcome.Message, outcome.Claim, outcome.Failure);
            }

            foreach (var (ids, claim) in releases)
            {
                await db.OutboxMessages
                    .Where(m => ids.Contains(m.Id) && m.LockToken == claim && m.Status == OutboxStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntilUtc, (DateTime?)null), CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        });

        for (var i = 0; i < outcomes.Count; i++)
        {
            Report(outcomes[i], updated[i] > 0, run);
        }
    }

    /// <summary>Marks a delivered message sent (or forgets it), under its claim only.</summary>
    private Task<int> CompleteAsync(LprEventsDbContext db, OutboxMessage message, Guid claim)
    {
        var mine = db.OutboxMessages.Where(m => m.Id == message.Id && m.LockToken == claim);
        if (ForgetsItself(message))
        {
            return mine.ExecuteDeleteAsync(CancellationToken.None);
        }

        var (text, html, unsubscribe) = ForgetSecrets(message);
        var sentAt = Now();
        return mine.ExecuteUpdateAsync(
            s => s.SetProperty(m => m.Status, OutboxStatus.Sent)
                .SetProperty(m => m.SentAtUtc, sentAt)
                .SetProperty(m => m.LockedUntilUtc, (DateTime?)null)
                .SetProperty(m => m.Attempts, message.Attempts + 1)
                .SetProperty(m => m.TextBody, text)
                .SetProperty(m => m.HtmlBody, html)
                .SetProperty(m => m.UnsubscribeUrl, unsubscribe),
            CancellationToken.None);
    }

    private Task<int> FailAsync(LprEventsDbContext db, OutboxMessage message, Guid claim, SendFailure failure)
    {
        var (attempts, failed, reason, next) = Verdict(message, failure);
        return db.OutboxMessages
            .Where(m => m.Id == message.Id && m.LockToken == claim)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastError, reason.Length > SendFailure.MaxReasonLength ? reason[..SendFailure.MaxReasonLength] : reason)
                    .SetProperty(m => m.LockedUntilUtc, (DateTime?)null)
                    .SetProperty(m => m.Status, failed ? OutboxStatus.Failed : OutboxStatus.Pending)
                    .SetProperty(m => m.NextAttemptAtUtc, next),
                CancellationToken.None);
    }

    /// <summary>What a failed attempt means for the message: its attempts, whether it is given up, why, and when next.</summary>
    private (int Attempts, bool Failed, string Reason, DateTime Next) Verdict(OutboxMessage message, SendFailure failure)
    {
        var attempts = message.Attempts + 1;
        var failed = failure.Permanent || attempts >= options.Value.MaxAttempts;
        var reason = failure.Permanent || !failed ? failure.Reason : $"Nach {attempts} Versuchen aufgegeben. {failure.Reason}";
        // A failed message keeps in NextAttemptAtUtc the time it was given up: the admin page lists by it.
        return (attempts, failed, reason, failed ? Now() : Now() + Backoff(attempts));
    }

    private void Report(Outcome outcome, bool recorded, RunState run)
    {
        var message = outcome.Message;
        if (outcome.Failure is null)
        {
            if (!recorded)
            {
                Interlocked.Increment(ref run.Lost);
                Logger.LogWarning("Outbox message {MessageId} ({Kind}) was sent, but its claim had been taken over by another sender; it is left to that one", message.Id, message.Kind);
                return;
            }

            Interlocked.Increment(ref run.Sent);
            Logger.LogDebug("Sent outbox message {MessageId} ({Kind})", message.Id, message.Kind);
            return;
        }

        var (attempts, failed, _, next) = Verdict(message, outcome.Failure);
        if (!recorded)
        {
            Interlocked.Increment(ref run.Lost);
            Logger.LogWarning("Outbox message {MessageId} ({Kind}) not sent ({Error}), and its claim had been taken over by another sender", message.Id, message.Kind, outcome.Failure.Category);
        }
        else if (failed)
        {
            Interlocked.Increment(ref run.Failed);
            Logger.LogError("Outbox message {MessageId} ({Kind}) failed for good after {Attempts} attempts: {Error}", message.Id, message.Kind, attempts, outcome.Failure.Category);
        }
        else
        {
            Interlocked.Increment(ref run.Retrying);
            Logger.LogWarning("Outbox message {MessageId} ({Kind}) not sent, attempt {Attempts}, next at {NextAttempt}: {Error}", message.Id, message.Kind, attempts, next, outcome.Failure.Category);
        }
    }

    /// <summary>
    /// Once delivered, the copy kept for questions holds no working link: private-link and set-password tokens
    /// exist only in the recipient's mailbox, so a copy of the database opens no registration and no account
    /// (docs/decisions/0012). A message telling someone that their data is not kept ("full") is not kept either.
    /// </summary>
    private static bool ForgetsItself(OutboxMessage message) => message.Kind == EmailComposer.FullKind;

    private static (string Text, string Html, string? Unsubscribe) ForgetSecrets(OutboxMessage message) =>
        (SecretMasking.MaskText(message.TextBody),
         SecretMasking.MaskText(message.HtmlBody),
         message.UnsubscribeUrl is null ? null : SecretMasking.MaskText(message.UnsubscribeUrl));

    /// <summary>30 s, 1 min, 2 min, … up to one hour between attempts.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, attempts - 1))));

    private MimeMessage ToMime(OutboxMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.Value.From));
        mime.To.Add(new MailboxAddress(message.ToName, message.ToAddress));
        mime.Subject = message.Subject;
        // A stable Message-ID: should a message ever go out twice (a crash between sending and marking it
        // sent), mail systems can recognise the duplicate.
        mime.MessageId = $"outbox-{message.Id}@lprevents";
        mime.Date = new DateTimeOffset(message.CreatedAtUtc, TimeSpan.Zero);
        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            // RFC 2369 and RFC 8058: mail programs offer "unsubscribe", which POSTs to the address without asking.
            mime.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        if (message.AttachmentContent is not null && message.AttachmentName is not null)
        {
            body.Attachments.Add(message.AttachmentName, System.Text.Encoding.UTF8.GetBytes(message.AttachmentContent), ContentType.Parse($"{message.AttachmentContentType}; charset=utf-8; method=PUBLISH"));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>What one run did; shared by its workers.</summary>
    private sealed class RunState
    {
        public int Claimed;
        public int Sent;
        public int Failed;
        public int Retrying;
        public int Lost;
        public volatile bool Stopped;
    }

    /// <summary>A message tried by a worker: sent when <see cref="Failure"/> is null.</summary>
    private sealed record Outcome(OutboxMessage Message, Guid Claim, SendFailure? Failure)
    {
        /// <summary>Completes once the outcome is written (or given up on).</summary>
        public TaskCompletionSource Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One share of a batch at a time over its own connection and its own DbContext.</summary>
    private sealed class Worker(OutboxSender sender, AsyncServiceScope scope, IEmailSession session, Recorder recorder) : IAsyncDisposable
    {
        private readonly LprEventsDbContext _db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        public async Task DrainAsync(ConcurrentQueue<long> queue, int share, RunState run, CancellationToken ct)
        {
            while (!run.Stopped && !ct.IsCancellationRequested)
            {
                var ids = new List<long>(share);
                while (ids.Count < share && queue.TryDequeue(out var id))
                {
                    ids.Add(id);
                }

                if (ids.Count == 0)
                {
                    return;
                }

                await sender.SendShareAsync(_db, session, recorder, ids, run, ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await session.DisposeAsync();
            await scope.DisposeAsync();
        }
    }

    /// <summary>
    /// Records the workers' outcomes for one run: whenever some are waiting it takes the database's write turn and
    /// writes all that have come in by then, in one transaction (group commit). A message is marked sent within
    /// about one write turn of its acceptance by the mail server; should the process die in between, it goes out
    /// again after its claim expires, with the same Message-ID.
    /// </summary>
    private sealed class Recorder : IAsyncDisposable
    {
        private const int MostPerWrite = 500;
        private readonly OutboxSender _sender;
        private readonly AsyncServiceScope _scope;
        private readonly RunState _run;
        private readonly LprEventsDbContext _db;
        private readonly Channel<object> _items = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Task _writing;
        private int _handedOver;
        private int _written;
        private TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Recorder(OutboxSender sender, AsyncServiceScope scope, RunState run)
        {
            _sender = sender;
            _scope = scope;
            _run = run;
            _db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
            _writing = Task.Run(WriteAsync);
        }

        public Task Add(Outcome outcome)
        {
            HandOver(outcome);
            return outcome.Recorded.Task;
        }

        public void Release(List<long> ids, Guid claim) => HandOver((ids, claim));

        private void HandOver(object item)
        {
            Interlocked.Increment(ref _handedOver);
            _items.Writer.TryWrite(item);
        }

        /// <summary>Waits until everything handed over so far is written (or given up).</summary>
        public async Task FlushAsync()
        {
            while (true)
            {
                Task caughtUp;
                lock (_items)
                {
                    if (Volatile.Read(ref _written) >= Volatile.Read(ref _handedOver))
                    {
                        return;
                    }

                    caughtUp = _caughtUp.Task;
                }

                await caughtUp;
            }
        }

        private async Task WriteAsync()
        {
            var outcomes = new List<Outcome>();
            var releases = new List<(List<long> Ids, Guid Claim)>();
            while (await _items.Reader.WaitToReadAsync())
            {
                outcomes.Clear();
                releases.Clear();
                for (var attempt = 1; ; attempt++)
                {
                    using (await SqliteWriterTurns.EnterAsync(_db, CancellationToken.None, urgent: true))
                    {
                        if (attempt == 1)
                        {
                            // Everything that came in while waiting for the turn goes into this one write.
                            while (outcomes.Count + releases.Count < MostPerWrite && _items.Reader.TryRead(out var item))
                            {
                                if (item is Outcome outcome)
                                {
                                    outcomes.Add(outcome);
                                }
                                else
                                {
                                    releases.Add(((List<long>, Guid))item);
                                }
                            }
                        }

                        try
                        {
                            await _sender.RecordAsync(_db, outcomes, releases, _run);
                            break;
                        }
                        catch (Exception ex) when (attempt < 3)
                        {
                            // The database briefly locked by another process, or unreachable: try again shortly.
                            _db.ChangeTracker.Clear();
                            _sender.Logger.LogWarning("Recording {Count} outbox results failed ({Error}); trying again", outcomes.Count + releases.Count, ex.GetType().Name);
                        }
                        catch (Exception ex)
                        {
                            // Left claimed: these messages go out again when their claims expire (same Message-ID).
                            _sender.Logger.LogError(ex, "Could not record {Count} outbox results; they are retried when their claims expire", outcomes.Count + releases.Count);
                            break;
                        }
                    }

                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                }

                foreach (var outcome in outcomes)
                {
                    outcome.Recorded.TrySetResult();
                }

                lock (_items)
                {
                    _written += outcomes.Count + releases.Count;
                    _caughtUp.TrySetResult();
                    _caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _items.Writer.TryComplete();
            await _writing;
            await _scope.DisposeAsync();
        }
    }
}
