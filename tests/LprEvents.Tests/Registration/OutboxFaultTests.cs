using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MimeKit;

namespace LprEvents.Tests.Registration;

/// <summary>
/// The outbox against a mail server that is down, hangs, rejects one recipient, or is shared with a second
/// sender: a real SMTP conversation on 127.0.0.1 (<see cref="ScriptedSmtpServer"/>), started by each test.
/// What counts is what the server received (per recipient, per Message-ID) and the rows left behind.
/// </summary>
public sealed class OutboxFaultTests : IDisposable
{
    private readonly int _port = FreePort();
    private readonly LprWebFactory _factory;
    private ScriptedSmtpServer? _smtp;

    public OutboxFaultTests()
    {
        _factory = new LprWebFactory { SeedDemo = false };
        _factory.ExtraSettings["Email:Mode"] = "Smtp";
        _factory.ExtraSettings["Email:Smtp:Host"] = "127.0.0.1";
        _factory.ExtraSettings["Email:Smtp:Port"] = _port.ToString(CultureInfo.InvariantCulture);
        _factory.ExtraSettings["Email:Smtp:UseTls"] = "false";
        _factory.ExtraSettings["Email:Smtp:ConnectTimeoutSeconds"] = "1";
        _factory.ExtraSettings["Email:Smtp:CommandTimeoutSeconds"] = "2";
        _factory.ExtraSettings["Email:From"] = "Landespräventionsrat Sachsen <veranstaltungen@lpr.example>";
    }

    public void Dispose()
    {
        _smtp?.Dispose();
        _factory.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ScriptedSmtpServer StartSmtp() => _smtp = new ScriptedSmtpServer(_port);

    private Task<int> SendDueAsync() => _factory.Services.GetRequiredService<OutboxSender>().SendDueAsync(Ct);

    private static string Address(int i) => $"person{i:D3}@example.org";

    /// <summary>Messages as the app writes them: each with a private link, due now.</summary>
    private static async Task<List<long>> QueueAsync(LprWebFactory factory, int count, params string[] extraAddresses)
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var messages = Enumerable.Range(1, count).Select(Address).Concat(extraAddresses).Select(address => new OutboxMessage
        {
            Kind = "confirm-address",
            ToAddress = address,
            ToName = "Teilnehmende Person",
            Subject = "Bitte bestätigen Sie Ihre Anmeldung",
            TextBody = $"Bitte bestätigen Sie: https://veranstaltungen.test/anmeldung/{new string('a', 64)}\n",
            HtmlBody = $"<p><a href=\"https://veranstaltungen.test/anmeldung/{new string('a', 64)}\">bestätigen</a></p>",
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        }).ToList();
        scope.Db.OutboxMessages.AddRange(messages);
        await scope.Db.SaveChangesAsync(Ct);
        return messages.Select(m => m.Id).ToList();
    }

    private async Task<List<OutboxMessage>> RowsAsync()
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task ABatchOfFifty_GoesOverAFewReusedConnections_EachMessageExactlyOnce()
    {
        var smtp = StartSmtp();
        await QueueAsync(_factory, 50);

        Assert.Equal(50, await SendDueAsync());

        // Email:Smtp:Connections defaults to 4: one connection (and greeting, EHLO) per worker, not per message.
        Assert.InRange(smtp.Connections, 1, 4);
        var counts = smtp.CountByRecipient();
        Assert.Equal(50, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        Assert.Equal(50, smtp.Messages.Select(m => m.MessageId).Distinct().Count());
        Assert.All(await RowsAsync(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.Equal(0, await SendDueAsync());
        Assert.Equal(50, smtp.Messages.Count);
    }

    [Fact]
    public async Task OneRecipientRejectedWith550_FailsAtOnceWithTheReason_AllOthersAreDeliveredExactlyOnce()
    {
        var smtp = StartSmtp();
        smtp.Rejected["gibt-es-nicht@example.org"] = true;
        await QueueAsync(_factory, 20, "gibt-es-nicht@example.org");

        Assert.Equal(20, await SendDueAsync());

        var rows = await RowsAsync();
        var rejected = rows.Single(m => m.ToAddress == "gibt-es-nicht@example.org");
        Assert.Equal(OutboxStatus.Failed, rejected.Status);
        Assert.Equal(1, rejected.Attempts);
        Assert.StartsWith("Empfänger vom Mailserver dauerhaft abgelehnt (SMTP 550)", rejected.LastError, StringComparison.Ordinal);
        Assert.Contains("5.1.1", rejected.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("gibt-es-nicht@example.org", rejected.LastError, StringComparison.Ordinal);
        Assert.All(rows.Where(m => m != rejected), m => Assert.Equal(OutboxStatus.Sent, m.Status));

        // Not retried later, and nobody gets a second copy.
        _factory.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, await SendDueAsync());
        var counts = smtp.CountByRecipient();
        Assert.Equal(20, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        Assert.False(counts.ContainsKey("gibt-es-nicht@example.org"));
    }

    [Fact]
    public async Task MailServerDown_TheRunStopsAfterAFewTries_NothingIsLost_AndAllArriveOnceWhenItIsBack()
    {
        var tried = await StuckRunAsync(30);

        Assert.All(await RowsAsync(), m => Assert.Equal(OutboxStatus.Pending, m.Status));
        Assert.All(tried, m => Assert.StartsWith("Mailserver nicht erreichbar", m.LastError, StringComparison.Ordinal));
        await AllArriveOnceAfterwardsAsync(StartSmtp(), 30, tried.Count);
    }

    [Fact]
    public async Task MailServerThatAcceptsAndNeverAnswers_IsGivenUpWithinTheTimeout_AndTheOthersGoOutWhenItAnswersAgain()
    {
        var smtp = StartSmtp();
        smtp.Hang = true;

        // Connect timeout 1 s here: the run ends after about one timeout, not one per message (20 s and more).
        var tried = await StuckRunAsync(20);

        Assert.All(tried, m => Assert.StartsWith("Zeitüberschreitung", m.LastError, StringComparison.Ordinal));
        smtp.Hang = false;
        await AllArriveOnceAfterwardsAsync(smtp, 20, tried.Count);
    }

    [Fact]
    public async Task MailServerThatStopsAnsweringMidMessage_IsGivenUpAfterTheCommandTimeout_AndTheMessageArrivesOnceLater()
    {
        var smtp = StartSmtp();
        smtp.HangAfterData = true;

        // Command timeout 2 s here (30 s in production): bounded, and the run does not feed the stuck server more.
        var tried = await StuckRunAsync(10);

        Assert.All(tried, m => Assert.Equal(OutboxStatus.Pending, m.Status));
        smtp.HangAfterData = false;
        await AllArriveOnceAfterwardsAsync(smtp, 10, tried.Count);
    }

    /// <summary>Queues messages and runs the sender against a server that does not answer: returns the rows it tried.</summary>
    private async Task<List<OutboxMessage>> StuckRunAsync(int count)
    {
        await QueueAsync(_factory, count);
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, await SendDueAsync());
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the run took {clock.Elapsed}");
        var tried = (await RowsAsync()).Where(m => m.Attempts > 0).ToList();
        // At most one message per connection: the run stops instead of trying every message against a dead server.
        Assert.InRange(tried.Count, 1, 4);
        return tried;
    }

    /// <summary>The server works again: the untried messages go out at once, the tried ones at their next attempt, each once.</summary>
    private async Task AllArriveOnceAfterwardsAsync(ScriptedSmtpServer smtp, int count, int tried)
    {
        Assert.Equal(count - tried, await SendDueAsync());
        _factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(tried, await SendDueAsync());

        var counts = smtp.CountByRecipient();
        Assert.Equal(count, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        Assert.All(await RowsAsync(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    [Fact]
    public async Task ASenderWhoseClaimWasTakenOver_NeitherMarksTheMessageSentNorForgetsItsLink()
    {
        var takenOverBy = Guid.NewGuid();
        var transport = new StubTransport();
        using var app = WithTransport(transport);
        transport.OnSend = async (mime, _) =>
        {
            // While this sender talks to the mail server, its claim expires and another instance claims the message.
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
            var id = long.Parse(mime.MessageId!.Split('@')[0]["outbox-".Length..], CultureInfo.InvariantCulture);
            var until = _factory.Time.GetUtcNow().UtcDateTime.AddMinutes(20);
            await db.OutboxMessages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockToken, takenOverBy).SetProperty(m => m.LockedUntilUtc, until), Ct);
        };
        await QueueAsync(_factory, 1);

        Assert.Equal(0, await app.Services.GetRequiredService<OutboxSender>().SendDueAsync(Ct));

        var row = Assert.Single(await RowsAsync());
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Null(row.SentAtUtc);
        Assert.Equal(0, row.Attempts);
        Assert.Equal(takenOverBy, row.LockToken);
        Assert.Contains("/anmeldung/" + new string('a', 64), row.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClaimIsTakenWithTheTimeOfItsOwnMessage_SoASlowBatchDoesNotLetASecondSenderSendTheRest()
    {
        var transport = new StubTransport();
        using var app = WithTransport(transport);
        var second = ActivatorUtilities.CreateInstance<OutboxSender>(app.Services);
        var secondSent = -1;
        transport.OnSend = async (mime, calls) =>
        {
            if (calls == 1)
            {
                // The first message takes longer than a claim lasts (a slow server, a long pause).
                _factory.Time.Advance(TimeSpan.FromMinutes(11));
            }
            else if (calls == 2)
            {
                // Meanwhile a second instance looks into the outbox: the message being sent is claimed, so it sends nothing.
                secondSent = await second.SendDueAsync(Ct);
            }
        };
        await QueueAsync(_factory, 3);

        var firstSent = await app.Services.GetRequiredService<OutboxSender>().SendDueAsync(Ct);

        // The second instance may take the third message (not yet claimed), never the second one in flight.
        Assert.InRange(secondSent, 0, 1);
        Assert.Equal(3, firstSent + secondSent);
        Assert.Equal(3, transport.Sent.Count);
        Assert.Equal(3, transport.Sent.Distinct().Count());
        Assert.All(await RowsAsync(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    private WebApplicationFactoryWithTransport WithTransport(StubTransport transport) => new(_factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
    {
        services.RemoveAll<IEmailTransport>();
        services.AddSingleton<IEmailTransport>(transport);
    })));

    private sealed class WebApplicationFactoryWithTransport(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> inner) : IDisposable
    {
        public IServiceProvider Services => inner.Services;

        public void Dispose() => inner.Dispose();
    }

    /// <summary>A transport that records Message-IDs and runs a test's action during each send, one at a time.</summary>
    private sealed class StubTransport : IEmailTransport, IEmailSession
    {
        private int _calls;

        public List<string> Sent { get; } = [];

        public Func<MimeMessage, int, Task>? OnSend { get; set; }

        public int Concurrency => 1;

        public IEmailSession OpenSession() => this;

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var calls = Interlocked.Increment(ref _calls);
            Sent.Add(message.MessageId ?? "");
            if (OnSend is { } action)
            {
                await action(message, calls);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
