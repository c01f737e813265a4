using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LprEvents.Web.Services.Email;

/// <summary>
/// Sends what the outbox holds: claims each due message with a conditional update (so two app instances
/// never send the same one at the same time), sends it, marks it sent. A failure is retried with growing
/// pauses; after <see cref="EmailOptions.MaxAttempts"/> the message is marked failed.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<EmailOptions> options,
    ILogger<OutboxSender> logger) : PeriodicJob<int>(time, logger)
{
    public const int BatchSize = 50;

    /// <summary>How long a claimed message stays with one sender; after that another instance may retry it.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(5);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.OutboxPollSeconds);

    /// <summary>Sends every due message once. Returns how many were sent.</summary>
    public Task<int> SendDueAsync(CancellationToken ct) => RunOnceAsync(ct);

    protected override async Task<int> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
        var transport = scope.ServiceProvider.GetRequiredService<IEmailTransport>();
        var now = Time.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAtUtc <= now && (m.LockedUntilUtc == null || m.LockedUntilUtc < now))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);

        var sent = 0;
        foreach (var id in due)
        {
            if (await SendOneAsync(db, transport, id, now, ct))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> SendOneAsync(LprEventsDbContext db, IEmailTransport transport, long id, DateTime now, CancellationToken ct)
    {
        var claim = Guid.NewGuid();
        var until = now + ClaimDuration;
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == id && m.Status == OutboxStatus.Pending && (m.LockedUntilUtc == null || m.LockedUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntilUtc, until).SetProperty(m => m.LockToken, claim), ct);
        if (claimed == 0)
        {
            return false;
        }

        var message = await db.OutboxMessages.SingleAsync(m => m.Id == id, ct);
        try
        {
            await transport.SendAsync(ToMime(message), ct);
            message.Status = OutboxStatus.Sent;
            message.SentAtUtc = Time.GetUtcNow().UtcDateTime;
            message.LockedUntilUtc = null;
            message.Attempts++;
            ForgetSecrets(db, message);
            await db.SaveChangesAsync(ct);
            Logger.LogInformation("Sent outbox message {MessageId} ({Kind})", message.Id, message.Kind);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            message.Attempts++;
            message.LastError = $"{ex.GetType().Name}: {ex.Message}";
            message.LockedUntilUtc = null;
            if (message.Attempts >= options.Value.MaxAttempts)
            {
                message.Status = OutboxStatus.Failed;
                Logger.LogError("Outbox message {MessageId} ({Kind}) failed for good after {Attempts} attempts: {Error}", message.Id, message.Kind, message.Attempts, ex.GetType().Name);
            }
            else
            {
                message.NextAttemptAtUtc = now + Backoff(message.Attempts);
                Logger.LogWarning("Outbox message {MessageId} ({Kind}) not sent, attempt {Attempts}, next at {NextAttempt}: {Error}", message.Id, message.Kind, message.Attempts, message.NextAttemptAtUtc, ex.GetType().Name);
            }

            await db.SaveChangesAsync(ct);
            return false;
        }
    }

    /// <summary>
    /// Once delivered, the copy kept for questions holds no working link: private-link and set-password tokens
    /// exist only in the recipient's mailbox, so a copy of the database opens no registration and no account
    /// (docs/decisions/0012). A message telling someone that their data is not kept ("full") is not kept either.
    /// </summary>
    private static void ForgetSecrets(LprEventsDbContext db, OutboxMessage message)
    {
        if (message.Kind == EmailComposer.FullKind)
        {
            db.OutboxMessages.Remove(message);
            return;
        }

        message.TextBody = SecretMasking.MaskText(message.TextBody);
        message.HtmlBody = SecretMasking.MaskText(message.HtmlBody);
        message.UnsubscribeUrl = message.UnsubscribeUrl is null ? null : SecretMasking.MaskText(message.UnsubscribeUrl);
    }

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
}
