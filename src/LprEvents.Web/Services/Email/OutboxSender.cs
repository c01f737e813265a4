using System.Collections.Concurrent;
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
/// once per run) and its own DbContext. A worker claims a message with a conditional update just before sending it
/// ("now" read per message, so a claim is never born expired), and completes it only under that claim: the final
/// update is conditional on <see cref="OutboxMessage.LockToken"/>, so a sender whose claim was taken over by
/// another instance never marks the message. A permanent rejection (5xx for the recipient or the message) marks it
/// failed at once; other failures are retried with growing pauses, and after <see cref="EmailOptions.MaxAttempts"/>
/// the message is marked failed. When the mail server is unreachable the run stops taking new messages
/// (docs/decisions/0025).
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes,
    IEmailTransport transport,
    TimeProvider time,
    IOptions<EmailOptions> options,
    ILogger<OutboxSender> logger) : PeriodicJob<int>(time, logger)
{
    public const int BatchSize = 50;

    /// <summary>
    /// SQLite has one writer at a time, and Microsoft.Data.Sqlite answers a busy database by sleeping 150 ms: the
    /// workers' database work goes through this gate one at a time there (their SMTP conversations stay parallel).
    /// SQL Server takes the row locks in parallel; the gate is not used.
    /// </summary>
    private readonly SemaphoreSlim _sqliteGate = new(1, 1);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.OutboxPollSeconds);

    /// <summary>
    /// The longest one message may take, connecting included: connect, then MAIL/RCPT, DATA and the data's
    /// acceptance, each bounded by the command timeout.
    /// </summary>
    public TimeSpan SendDeadline => TimeSpan.FromSeconds(options.Value.Smtp.ConnectTimeoutSeconds + (3 * options.Value.Smtp.CommandTimeoutSeconds));

    /// <summary>
    /// How long a claimed message stays with one sender; after that another instance may retry it. Twice the
    /// longest send, at least five minutes: a send is cancelled long before its claim runs out.
    /// </summary>
    public TimeSpan ClaimDuration => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, 2 * SendDeadline.Ticks));

    /// <summary>Sends every due message once. Returns how many were sent.</summary>
    public Task<int> SendDueAsync(CancellationToken ct) => RunOnceAsync(ct);

    private DateTime Now() => Time.GetUtcNow().UtcDateTime;

    protected override async Task<int> RunAsync(CancellationToken ct)
    {
        var run = new RunState();
        var workers = new List<Worker>();
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
                    workers.Add(new Worker(this, scopes.CreateAsyncScope(), transport.OpenSession()));
                }

                var queue = new ConcurrentQueue<long>(due);
                var claimedBefore = run.Claimed;
                await Task.WhenAll(workers.Take(needed).Select(w => w.DrainAsync(queue, run, ct)));
                // Every message of a batch ends up sent, failed, waiting for a later attempt or claimed by another
                // instance, so the next query finds new ones; a batch taken entirely by others ends the run.
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

    private async Task SendOneAsync(LprEventsDbContext db, IEmailSession session, long id, RunState run, CancellationToken ct)
    {
        var claim = Guid.NewGuid();
        var message = await GatedAsync(db, () => ClaimAsync(db, id, claim, ct), ct);
        if (message is null)
        {
            return; // claimed by another sender, no longer due, or deleted meanwhile (the registration was withdrawn)
        }

        Interlocked.Increment(ref run.Claimed);
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

            await GatedAsync(db, () => FailAsync(db, message, claim, failure, run), CancellationToken.None);
            return;
        }

        await GatedAsync(db, () => CompleteAsync(db, message, claim, run), CancellationToken.None);
    }

    /// <summary>Claims the message with the time read now, for this message, and loads it; null when it is not ours.</summary>
    private async Task<OutboxMessage?> ClaimAsync(LprEventsDbContext db, long id, Guid claim, CancellationToken ct)
    {
        var now = Now();
        var until = now + ClaimDuration;
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == OutboxStatus.Pending && m.NextAttemptAtUtc <= now && (m.LockedUntilUtc == null || m.LockedUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntilUtc, until).SetProperty(m => m.LockToken, claim), ct);
        return claimed == 0 ? null : await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.LockToken == claim, ct);
    }

    private async Task<T> GatedAsync<T>(LprEventsDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return await work();
        }

        await _sqliteGate.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _sqliteGate.Release();
        }
    }

    /// <summary>
    /// Marks a delivered message sent, under its claim only. Not cancelled by shutdown: the message is out, and
    /// marking it now spares its recipient a second copy.
    /// </summary>
    private async Task<bool> CompleteAsync(LprEventsDbContext db, OutboxMessage message, Guid claim, RunState run)
    {
        var mine = db.OutboxMessages.Where(m => m.Id == message.Id && m.LockToken == claim);
        int updated;
        if (ForgetsItself(message))
        {
            updated = await mine.ExecuteDeleteAsync(CancellationToken.None);
        }
        else
        {
            var (text, html, unsubscribe) = ForgetSecrets(message);
            var sentAt = Now();
            updated = await mine.ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, OutboxStatus.Sent)
                    .SetProperty(m => m.SentAtUtc, sentAt)
                    .SetProperty(m => m.LockedUntilUtc, (DateTime?)null)
                    .SetProperty(m => m.Attempts, message.Attempts + 1)
                    .SetProperty(m => m.TextBody, text)
                    .SetProperty(m => m.HtmlBody, html)
                    .SetProperty(m => m.UnsubscribeUrl, unsubscribe),
                CancellationToken.None);
        }

        if (updated == 0)
        {
            Interlocked.Increment(ref run.Lost);
            Logger.LogWarning("Outbox message {MessageId} ({Kind}) was sent, but its claim had been taken over by another sender; it is left to that one", message.Id, message.Kind);
            return false;
        }

        Interlocked.Increment(ref run.Sent);
        Logger.LogDebug("Sent outbox message {MessageId} ({Kind})", message.Id, message.Kind);
        return true;
    }

    private async Task<bool> FailAsync(LprEventsDbContext db, OutboxMessage message, Guid claim, SendFailure failure, RunState run)
    {
        var attempts = message.Attempts + 1;
        var failed = failure.Permanent || attempts >= options.Value.MaxAttempts;
        var reason = failure.Permanent || !failed ? failure.Reason : $"Nach {attempts} Versuchen aufgegeben. {failure.Reason}";
        var now = Now();
        // A failed message keeps in NextAttemptAtUtc the time it was given up: the admin page lists by it.
        var next = failed ? now : now + Backoff(attempts);
        var updated = await db.OutboxMessages
            .Where(m => m.Id == message.Id && m.LockToken == claim)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastError, reason.Length > SendFailure.MaxReasonLength ? reason[..SendFailure.MaxReasonLength] : reason)
                    .SetProperty(m => m.LockedUntilUtc, (DateTime?)null)
                    .SetProperty(m => m.Status, failed ? OutboxStatus.Failed : OutboxStatus.Pending)
                    .SetProperty(m => m.NextAttemptAtUtc, next),
                CancellationToken.None);
        if (updated == 0)
        {
            Interlocked.Increment(ref run.Lost);
            Logger.LogWarning("Outbox message {MessageId} ({Kind}) not sent ({Error}), and its claim had been taken over by another sender", message.Id, message.Kind, failure.Category);
        }
        else if (failed)
        {
            Interlocked.Increment(ref run.Failed);
            Logger.LogError("Outbox message {MessageId} ({Kind}) failed for good after {Attempts} attempts: {Error}", message.Id, message.Kind, attempts, failure.Category);
        }
        else
        {
            Interlocked.Increment(ref run.Retrying);
            Logger.LogWarning("Outbox message {MessageId} ({Kind}) not sent, attempt {Attempts}, next at {NextAttempt}: {Error}", message.Id, message.Kind, attempts, next, failure.Category);
        }

        return updated > 0;
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

    public override void Dispose()
    {
        _sqliteGate.Dispose();
        base.Dispose();
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

    /// <summary>One message at a time over its own connection and its own DbContext.</summary>
    private sealed class Worker(OutboxSender sender, AsyncServiceScope scope, IEmailSession session) : IAsyncDisposable
    {
        private readonly LprEventsDbContext _db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        public async Task DrainAsync(ConcurrentQueue<long> queue, RunState run, CancellationToken ct)
        {
            while (!run.Stopped && queue.TryDequeue(out var id))
            {
                await sender.SendOneAsync(_db, session, id, run, ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await session.DisposeAsync();
            await scope.DisposeAsync();
        }
    }
}
