using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace LprEvents.Tests.Support;

/// <summary>
/// A small SMTP server on 127.0.0.1 that counts what a mail server would see: connections, messages per
/// recipient and Message-ID. It can reject chosen recipients with <c>550 5.1.1</c> and can hang (accept
/// connections and never answer). No dependency on the test framework: <c>bench/SmtpSink</c> compiles this file too.
/// </summary>
public sealed partial class ScriptedSmtpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private int _connections;

    public ScriptedSmtpServer(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>While true, new connections are accepted and never answered (not even the greeting).</summary>
    public bool Hang { get; set; }

    /// <summary>While true, a message's data is read and then never answered (nor kept): a server stuck mid-message.</summary>
    public bool HangAfterData { get; set; }

    /// <summary>Recipients answered with <c>550 5.1.1</c> (case-insensitive).</summary>
    public ConcurrentDictionary<string, bool> Rejected { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<Received> Messages { get; } = new();

    public sealed record Received(string Recipient, string? MessageId, string Data);

    /// <summary>How many messages each recipient got.</summary>
    public Dictionary<string, int> CountByRecipient() =>
        Messages.GroupBy(m => m.Recipient, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _clients.Add(client);
            _ = Hang ? Task.CompletedTask : ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
            var ct = _stop.Token;
            var recipients = new List<string>();
            await WriteAsync(stream, "220 scripted.test ESMTP\r\n", ct);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await WriteAsync(stream, "250-scripted.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n", ct);
                        break;
                    case "HELO":
                        await WriteAsync(stream, "250 scripted.test\r\n", ct);
                        break;
                    case "MAIL":
                        recipients.Clear();
                        await WriteAsync(stream, "250 2.1.0 Ok\r\n", ct);
                        break;
                    case "RCPT":
                        var address = Address().Match(line) is { Success: true } m ? m.Groups[1].Value : "";
                        if (Rejected.ContainsKey(address))
                        {
                            await WriteAsync(stream, $"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table\r\n", ct);
                        }
                        else
                        {
                            recipients.Add(address);
                            await WriteAsync(stream, "250 2.1.5 Ok\r\n", ct);
                        }

                        break;
                    case "DATA":
                        if (recipients.Count == 0)
                        {
                            await WriteAsync(stream, "554 5.5.1 Error: no valid recipients\r\n", ct);
                            break;
                        }

                        await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>\r\n", ct);
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(ct) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        if (HangAfterData)
                        {
                            await Task.Delay(Timeout.Infinite, ct);
                        }

                        var text = data.ToString();
                        var id = MessageIdHeader().Match(text) is { Success: true } header ? header.Groups[1].Value : null;
                        foreach (var recipient in recipients)
                        {
                            Messages.Enqueue(new Received(recipient, id, text));
                        }

                        recipients.Clear();
                        await WriteAsync(stream, "250 2.0.0 Ok: queued\r\n", ct);
                        break;
                    case "RSET":
                        recipients.Clear();
                        await WriteAsync(stream, "250 2.0.0 Ok\r\n", ct);
                        break;
                    case "NOOP":
                        await WriteAsync(stream, "250 2.0.0 Ok\r\n", ct);
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye\r\n", ct);
                        return;
                    default:
                        await WriteAsync(stream, "502 5.5.2 Error: command not recognized\r\n", ct);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the server stops.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static ValueTask WriteAsync(NetworkStream stream, string text, CancellationToken ct) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    [GeneratedRegex("<([^>]*)>")]
    private static partial Regex Address();

    [GeneratedRegex(@"^Message-ID:\s*<([^>]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdHeader();
}
