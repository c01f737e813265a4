using LprEvents.Web.Configuration;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LprEvents.Web.Services.Email;

/// <summary>Hands a finished message to the outside world. Throws when it could not.</summary>
public interface IEmailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>The embedded default: every message becomes an <c>.eml</c> file in <c>Email:PickupDirectory</c>.</summary>
public sealed class PickupDirectoryTransport(IOptions<EmailOptions> options, IWebHostEnvironment environment) : IEmailTransport
{
    public string Directory { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PickupDirectory));

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0]}.eml";
        var temporary = Path.Combine(Directory, name + ".tmp");
        // Written under a temporary name and renamed, so a reader never sees half a message.
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, Path.Combine(Directory, name), overwrite: true);
    }
}

/// <summary>Production: SMTP through MailKit, with STARTTLS or implicit TLS.</summary>
public sealed class SmtpTransport(IOptions<EmailOptions> options) : IEmailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = 30_000 };
        var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password, ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
