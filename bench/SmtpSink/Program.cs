using System.Globalization;
using LprEvents.Tests.Support;

// SmtpSink <port> <stats file>: accepts every message on 127.0.0.1:<port> and rewrites the stats file five times a
// second: received, distinct Message-IDs, recipients that got more than one copy, connections, and the Unix times
// (ms) of the first and the last message seen. Runs until it is killed.
if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
{
    Console.Error.WriteLine("usage: SmtpSink <port> <stats file>");
    return 2;
}

var statsFile = args[1];
using var server = new ScriptedSmtpServer(port);
Console.WriteLine($"SMTP sink on 127.0.0.1:{server.Port}");
long first = 0, last = 0;
var seen = 0;
while (true)
{
    await Task.Delay(200);
    var received = server.Messages.Count;
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    if (received > seen)
    {
        if (seen == 0)
        {
            first = now;
        }

        last = now;
        seen = received;
    }

    var messages = server.Messages.ToArray();
    var distinct = messages.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count();
    var twice = messages.GroupBy(m => m.Recipient, StringComparer.OrdinalIgnoreCase).Count(g => g.Count() > 1);
    var line = string.Create(CultureInfo.InvariantCulture, $"received={received} distinct={distinct} recipients_twice={twice} connections={server.Connections} first_ms={first} last_ms={last}\n");
    await File.WriteAllTextAsync(statsFile + ".tmp", line);
    File.Move(statsFile + ".tmp", statsFile, overwrite: true);
}
