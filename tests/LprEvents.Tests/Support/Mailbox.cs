using System.Text.RegularExpressions;
using MimeKit;

namespace LprEvents.Tests.Support;

/// <summary>Reads what the app "sent": the .eml files of the pickup folder, as a mail program would.</summary>
public static partial class Mailbox
{
    public static IReadOnlyList<MimeMessage> Read(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList()
            : [];

    public static IReadOnlyList<MimeMessage> To(string folder, string address) =>
        Read(folder).Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The private link in a message's plain text, as a path (<c>/anmeldung/…</c>).</summary>
    public static string PrivatePath(MimeMessage message)
    {
        var match = PrivateLink().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"no private link in '{message.Subject}'");
        return match.Groups["path"].Value;
    }

    public static string Token(MimeMessage message) => PrivatePath(message).Split('/')[^1];

    public static MimePart? Calendar(MimeMessage message) =>
        message.Attachments.OfType<MimePart>().FirstOrDefault(a => a.ContentType.MimeType == "text/calendar");

    public static string Text(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/anmeldung/[0-9a-f]{64})")]
    private static partial Regex PrivateLink();
}
