namespace LprEvents.Web.Domain;

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// An e-mail written in the same transaction as the state change that caused it, sent later by
/// <c>OutboxSender</c>. Holds the rendered message, so sending needs no further data.
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>What the message is about, e.g. <c>confirm-address</c>; used in logs instead of personal data.</summary>
    public required string Kind { get; set; }

    /// <summary>Prevents the same message from being queued twice (e.g. <c>reminder:42</c>).</summary>
    public string? DedupeKey { get; set; }

    public int? ParticipantId { get; set; }

    public required string ToAddress { get; set; }

    public string ToName { get; set; } = "";

    public required string Subject { get; set; }

    public required string TextBody { get; set; }

    public required string HtmlBody { get; set; }

    /// <summary>
    /// One-click unsubscribe address of an e-mail alert (RFC 8058): sent as <c>List-Unsubscribe</c> with
    /// <c>List-Unsubscribe-Post</c>; masked like the body once the message is sent.
    /// </summary>
    public string? UnsubscribeUrl { get; set; }

    public string? AttachmentName { get; set; }

    public string? AttachmentContentType { get; set; }

    public string? AttachmentContent { get; set; }

    public OutboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime NextAttemptAtUtc { get; set; }

    /// <summary>Set while one instance sends the message; another instance skips it until then.</summary>
    public DateTime? LockedUntilUtc { get; set; }

    public Guid? LockToken { get; set; }

    public DateTime? SentAtUtc { get; set; }

    /// <summary>The last transport error (type and message, no personal data).</summary>
    public string? LastError { get; set; }
}
