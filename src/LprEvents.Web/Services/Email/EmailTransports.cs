using LprEvents.Web.Configuration;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LprEvents.Web.Services.Email;

/// <summary>Hands finished messages to the outside world.</summary>
public interface IEmailTransport
{
    /// <summary>How many sessions the outbox may use at the same time (messages in flight).</summary>
    int Concurrency { get; }

    /// <summary>A session sends many messages one after the other, over one connection where there is one.</summary>
    IEmailSession OpenSession();
}

/// <summary>One sender's connection. Not thread-safe: one message at a time.</summary>
public interface IEmailSession : IAsyncDisposable
{
    /// <summary>Throws when the message was not accepted (see <see cref="SendFailure"/> for what counts as permanent).</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>
/// The mail server could not be reached or did not greet, answer or accept the login in time. Nothing was sent;
/// the outbox stops its run and tries again later instead of waiting for the same server once per message.
/// </summary>
public sealed class MailServerUnavailableException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>The embedded default: every message becomes an <c>.eml</c> file in <c>Email:PickupDirectory</c>.</summary>
public sealed class PickupDirectoryTransport(IOptions<EmailOptions> options, IWebHostEnvironment environment) : IEmailTransport, IEmailSession
{
    public string Directory { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PickupDirectory));

    /// <summary>One at a time: the files keep the order in which they were sent.</summary>
    public int Concurrency => 1;

    public IEmailSession OpenSession() => this;

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0]}.eml";
        var temporary = Path.Combine(Directory, name + ".tmp");
        // Written under a temporary name and renamed, so a reader never sees half a message.
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, Path.Combine(Directory, name), overwrite: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Production: SMTP through MailKit, with STARTTLS or implicit TLS. Each session connects and authenticates once
/// and sends many messages over that connection; a dropped connection is opened again for the next message.
/// Connecting is bounded by <see cref="SmtpOptions.ConnectTimeoutSeconds"/>, every command by
/// <see cref="SmtpOptions.CommandTimeoutSeconds"/>.
/// </summary>
public sealed class SmtpTransport(IOptions<EmailOptions> options) : IEmailTransport
{
    public int Concurrency => options.Value.Smtp.Connections;

    public IEmailSession OpenSession() => new SmtpSession(options.Value.Smtp);

    private sealed class SmtpSession(SmtpOptions smtp) : IEmailSession
    {
        private SmtpClient? _client;

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var client = await ConnectedAsync(ct);
            try
            {
                await client.SendAsync(message, ct);
            }
            catch
            {
                // MailKit resets the transaction after a rejected command (the connection stays usable) and
                // disconnects after anything else; a connection in doubt is not used again.
                if (!client.IsConnected)
                {
                    Drop();
                }

                throw;
            }
        }

        private async Task<SmtpClient> ConnectedAsync(CancellationToken ct)
        {
            if (_client is { IsConnected: true } open)
            {
                return open;
            }

            Drop();
            var client = new SmtpClient { Timeout = smtp.CommandTimeoutSeconds * 1000 };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(smtp.ConnectTimeoutSeconds));
            try
            {
                var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
                await client.ConnectAsync(smtp.Host, smtp.Port, security, deadline.Token);
                if (!string.IsNullOrEmpty(smtp.User))
                {
                    await client.AuthenticateAsync(smtp.User, smtp.Password, deadline.Token);
                }
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                client.Dispose();
                throw new MailServerUnavailableException($"Zeitüberschreitung: Der Mailserver hat sich nicht innerhalb von {smtp.ConnectTimeoutSeconds} s gemeldet.", ex);
            }
            catch (AuthenticationException ex)
            {
                client.Dispose();
                throw new MailServerUnavailableException($"Anmeldung am Mailserver fehlgeschlagen (Email:Smtp:User, Email:Smtp:Password prüfen): {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or SmtpProtocolException or SmtpCommandException or SslHandshakeException or TimeoutException)
            {
                client.Dispose();
                throw new MailServerUnavailableException($"Mailserver nicht erreichbar: {ex.Message}", ex);
            }

            _client = client;
            return client;
        }

        private void Drop()
        {
            _client?.Dispose();
            _client = null;
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is { IsConnected: true } client)
            {
                try
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(smtp.ConnectTimeoutSeconds));
                    await client.DisconnectAsync(quit: true, quit.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or SmtpProtocolException or SmtpCommandException)
                {
                    // Everything was sent; a server that does not answer QUIT changes nothing.
                }
            }

            Drop();
        }
    }
}
