using System.Globalization;
using LprEvents.Web.Configuration;
using MailKit.Net.Smtp;

namespace LprEvents.Web.Services.Email;

/// <summary>
/// Why a message did not go out, in words for the "E-Mail-Ausgang" page, and whether trying again can help.
/// Permanent: the server refused this recipient or this message with a 5xx reply (e.g. 550 5.1.1 mailbox
/// unavailable); the message is marked failed at once. Everything else (4xx replies, a rejected sender, a failed
/// login, connection errors, timeouts) is temporary and retried with growing pauses: a rejected sender or login
/// is the server's view of our configuration and would hit every message alike (docs/decisions/0025).
/// </summary>
/// <param name="Category">A fixed English word for logs (never the server's text, which may quote the address).</param>
/// <param name="Reason">German, for the admin page; addresses and tokens masked.</param>
/// <param name="ServerUnavailable">The server was not reachable or stopped answering: the run stops taking new messages.</param>
public sealed record SendFailure(string Category, string Reason, bool Permanent, bool ServerUnavailable)
{
    public const int MaxReasonLength = 1000;

    public static SendFailure From(Exception ex, int commandTimeoutSeconds) => ex switch
    {
        MailServerUnavailableException unavailable => new("ServerUnavailable", Mask(unavailable.Message), Permanent: false, ServerUnavailable: true),
        SmtpCommandException { StatusCode: var code, ErrorCode: SmtpErrorCode.RecipientNotAccepted } when (int)code >= 500 =>
            new("RecipientRejected", Mask($"Empfänger vom Mailserver dauerhaft abgelehnt (SMTP {Code(code)}): {ex.Message}"), Permanent: true, ServerUnavailable: false),
        SmtpCommandException { StatusCode: var code, ErrorCode: SmtpErrorCode.MessageNotAccepted } when (int)code >= 500 =>
            new("MessageRejected", Mask($"Nachricht vom Mailserver dauerhaft abgelehnt (SMTP {Code(code)}): {ex.Message}"), Permanent: true, ServerUnavailable: false),
        SmtpCommandException { StatusCode: var code, ErrorCode: SmtpErrorCode.SenderNotAccepted } =>
            new("SenderRejected", Mask($"Absender vom Mailserver abgelehnt (SMTP {Code(code)}, Email:From prüfen), wird wiederholt: {ex.Message}"), Permanent: false, ServerUnavailable: false),
        SmtpCommandException { StatusCode: var code } =>
            new("TemporaryRejection", Mask($"Vom Mailserver vorübergehend abgelehnt (SMTP {Code(code)}), wird wiederholt: {ex.Message}"), Permanent: false, ServerUnavailable: false),
        OperationCanceledException or TimeoutException =>
            new("Timeout", $"Zeitüberschreitung: Der Mailserver hat nicht rechtzeitig geantwortet (je Befehl {commandTimeoutSeconds} s), wird wiederholt.", Permanent: false, ServerUnavailable: true),
        IOException or SmtpProtocolException or System.Net.Sockets.SocketException =>
            new("ConnectionLost", Mask($"Verbindung zum Mailserver unterbrochen, wird wiederholt: {ex.Message}"), Permanent: false, ServerUnavailable: true),
        _ => new(ex.GetType().Name, Mask($"Fehler beim Senden ({ex.GetType().Name}), wird wiederholt: {ex.Message}"), Permanent: false, ServerUnavailable: false),
    };

    private static string Code(SmtpStatusCode code) => ((int)code).ToString(CultureInfo.InvariantCulture);

    /// <summary>A server's reply may quote the address; the row keeps none beyond its own recipient column.</summary>
    private static string Mask(string text)
    {
        var masked = SecretMasking.MaskLogText(text.ReplaceLineEndings(" ").Trim());
        return masked.Length > MaxReasonLength ? masked[..MaxReasonLength] : masked;
    }
}
