using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Data;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>
/// The outbox keeps pace with registrations (issue 10): a new message wakes the sender at once, and on SQLite its short
/// writes go before the seat transactions waiting for the database's one writer (bench/mixed.sh measures the rates).
/// </summary>
public sealed class OutboxPaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARegistrationsEmail_GoesOutAtOnce_NotAtTheNextPoll()
    {
        using var factory = new LprWebFactory();
        factory.ExtraSettings["BackgroundJobs:Enabled"] = "true";
        // An hour between polls, on a clock the test never advances: only the wake-up can send the message.
        factory.ExtraSettings["Email:OutboxPollSeconds"] = "3600";
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-pace", capacity: 5, waitingList: false);

        var response = await driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("sofort@example.org"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        for (var i = 0; i < 100 && Mailbox.To(factory.MailFolder, "sofort@example.org").Count == 0; i++)
        {
            await Task.Delay(100, Ct);
        }

        var mail = Assert.Single(Mailbox.To(factory.MailFolder, "sofort@example.org"));
        Assert.StartsWith("Bitte bestätigen", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnSqlite_AnUrgentWrite_GoesBeforeSeatTransactionsThatWaitedLonger_AndAWaiterThatGivesUpLeavesTheLine()
    {
        using var factory = new LprWebFactory();
        _ = factory.Services;
        await using var a = factory.CreateDbScope();
        await using var b = factory.CreateDbScope();
        await using var c = factory.CreateDbScope();
        await using var d = factory.CreateDbScope();

        var holder = await SqliteWriterTurns.EnterAsync(a.Db, Ct);
        var seat = SqliteWriterTurns.EnterAsync(b.Db, Ct);
        using var impatient = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var leaving = SqliteWriterTurns.EnterAsync(c.Db, impatient.Token);
        var outbox = SqliteWriterTurns.EnterAsync(d.Db, Ct, urgent: true);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.False(seat.IsCompleted);
        Assert.False(outbox.IsCompleted);

        holder!.Dispose();
        var first = await Task.WhenAny(seat, outbox).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Same(outbox, first);
        Assert.False(seat.IsCompleted);
        (await outbox)!.Dispose();
        (await seat.WaitAsync(TimeSpan.FromSeconds(10), Ct))!.Dispose();
    }
}
