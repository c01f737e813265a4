using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Alerts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Alerts;

/// <summary>The weekly digest: what goes in, when, how often, and the one-click unsubscribe it carries.</summary>
public sealed class AlertDigestTests : IDisposable
{
    /// <summary>Monday 16 March 2026, 07:00 in Berlin (CET): the first digest slot after the tests' start.</summary>
    private static readonly DateTime FirstSlot = new(2026, 3, 16, 6, 0, 0, DateTimeKind.Utc);

    private readonly LprWebFactory _factory = new() { SeedDemo = false };
    private readonly AlertDriver _driver;

    public AlertDigestTests() => _driver = new AlertDriver(_factory);

    public void Dispose() => _factory.Dispose();

    private void AdvanceTo(DateTime utc) => _factory.Time.Advance(utc - _factory.Time.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task Digest_HoldsOnlyNewPublicItemsOfTheSubscribersRegions_OncePerWeek_AndNothingWhenNothingIsNew()
    {
        await _driver.SubscribeAndConfirmAsync("chemnitz@example.org", "chemnitz");
        await _driver.SubscribeAndConfirmAsync("leipzig@example.org", "leipzig");
        await _driver.SubscribeAndConfirmAsync("alles@example.org", "alle");
        await _driver.AddArticleAsync("neu-chemnitz", "chemnitz", new DateTime(2026, 3, 12, 9, 0, 0, DateTimeKind.Utc));
        await _driver.AddArticleAsync("neu-dresden", "dresden", new DateTime(2026, 3, 12, 9, 0, 0, DateTimeKind.Utc));
        await _driver.AddArticleAsync("entwurf-chemnitz", "chemnitz", default, ArticleStatus.Draft);
        await _driver.AddArticleAsync("geplant-chemnitz", "chemnitz", new DateTime(2026, 3, 17, 8, 0, 0, DateTimeKind.Utc), ArticleStatus.Scheduled);
        await _driver.AddArticleAsync("alt-chemnitz", "chemnitz", new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc));
        await _driver.AddEventAsync("treffen-chemnitz", "chemnitz", new DateTime(2026, 3, 11, 9, 0, 0, DateTimeKind.Utc));
        await _driver.AddEventAsync("treffen-entwurf", "chemnitz", null);

        AdvanceTo(FirstSlot.AddMinutes(-1));
        Assert.Equal(0, await _driver.RunDigestAsync());
        AdvanceTo(FirstSlot.AddMinutes(3));
        Assert.Equal(2, await _driver.RunDigestAsync());
        Assert.Equal(0, await _driver.RunDigestAsync());
        await _driver.DeliverMailAsync();

        var mail = Assert.Single(_driver.Digests("chemnitz@example.org"));
        Assert.Equal("Neu in Ihren Regionen: 1 neuer Bericht und 1 neue Veranstaltung", mail.Subject);
        Assert.Contains("Bericht neu-chemnitz", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://veranstaltungen.test/aktuelles/neu-chemnitz", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Treffen treffen-chemnitz", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://veranstaltungen.test/veranstaltungen/treffen-chemnitz\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("seit dem 09.03.2026", mail.TextBody, StringComparison.Ordinal);
        foreach (var absent in new[] { "neu-dresden", "entwurf-chemnitz", "geplant-chemnitz", "alt-chemnitz", "treffen-entwurf" })
        {
            Assert.DoesNotContain(absent, mail.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain(absent, mail.HtmlBody, StringComparison.Ordinal);
        }

        var everything = Assert.Single(_driver.Digests("alles@example.org"));
        Assert.Contains("neu-dresden", everything.TextBody, StringComparison.Ordinal);
        Assert.Contains("neu-chemnitz", everything.TextBody, StringComparison.Ordinal);
        Assert.Empty(_driver.Digests("leipzig@example.org"));

        // A week later only what became public since: the article scheduled for Tuesday.
        AdvanceTo(FirstSlot.AddDays(7).AddMinutes(1));
        Assert.Equal(2, await _driver.RunDigestAsync());
        await _driver.DeliverMailAsync();
        var second = _driver.Digests("chemnitz@example.org")[^1];
        Assert.Equal("Neu in Ihren Regionen: 1 neuer Bericht", second.Subject);
        Assert.Contains("geplant-chemnitz", second.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("neu-chemnitz", second.TextBody, StringComparison.Ordinal);

        // Nothing new: no e-mail.
        AdvanceTo(FirstSlot.AddDays(14).AddMinutes(1));
        Assert.Equal(0, await _driver.RunDigestAsync());
        await _driver.DeliverMailAsync();
        Assert.Equal(2, _driver.Digests("chemnitz@example.org").Count);
    }

    [Fact]
    public async Task Digest_CarriesOneClickUnsubscribe_WhosePostDeletesTheRow_WhileAGetOnlyAsks()
    {
        await _driver.SubscribeAndConfirmAsync("abbestellen@example.org", "chemnitz");
        await _driver.AddArticleAsync("neu", "chemnitz", new DateTime(2026, 3, 12, 9, 0, 0, DateTimeKind.Utc));
        AdvanceTo(FirstSlot.AddMinutes(1));
        await _driver.RunDigestAsync();
        await _driver.DeliverMailAsync();
        var mail = Assert.Single(_driver.Digests("abbestellen@example.org"));

        var header = mail.Headers["List-Unsubscribe"] ?? "";
        Assert.Matches("^<https://veranstaltungen\\.test/benachrichtigungen/abmelden/[0-9a-f]{64}>$", header);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var url = new Uri(header.Trim('<', '>'));
        Assert.Contains(url.AbsoluteUri, mail.TextBody, StringComparison.Ordinal);

        // A link scanner's GET only shows the question.
        var (get, question) = await _driver.Client.GetPageAsync(url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Benachrichtigungen wirklich abbestellen?", question.Text("h1"));
        Assert.NotNull(await _driver.SubscriptionAsync("abbestellen@example.org"));

        // The mail program's one-click POST: no cookie, no antiforgery token (RFC 8058).
        using var mailProgram = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var post = await mailProgram.PostAsync(
            url,
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("Benachrichtigungen abbestellt", await post.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Null(await _driver.SubscriptionAsync("abbestellen@example.org"));
        await using var scope = _factory.CreateDbScope();
        Assert.False(await scope.Db.AlertLinks.AnyAsync(TestContext.Current.CancellationToken));
        Assert.False(await scope.Db.OutboxMessages.AnyAsync(m => m.ToAddress == "abbestellen@example.org", TestContext.Current.CancellationToken));
        var log = await scope.Db.DeletionLog.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((AlertSubscriptions.UnsubscribedKind, 1), (log.Kind, log.Count));
        Assert.Equal(HttpStatusCode.NotFound, (await _driver.Client.GetPageAsync(url.AbsolutePath)).Response.StatusCode);
    }

    [Fact]
    public async Task SentDigest_KeepsNoWorkingLinkInTheOutbox()
    {
        await _driver.SubscribeAndConfirmAsync("kopie@example.org", "chemnitz");
        await _driver.AddArticleAsync("neu", "chemnitz", new DateTime(2026, 3, 12, 9, 0, 0, DateTimeKind.Utc));
        AdvanceTo(FirstSlot.AddMinutes(1));
        await _driver.RunDigestAsync();
        await _driver.DeliverMailAsync();

        await using var scope = _factory.CreateDbScope();
        var stored = await scope.Db.OutboxMessages.SingleAsync(m => m.Kind == AlertEmails.DigestKind, TestContext.Current.CancellationToken);
        Assert.Equal(OutboxStatus.Sent, stored.Status);
        Assert.Equal("https://veranstaltungen.test/benachrichtigungen/abmelden/***", stored.UnsubscribeUrl);
        Assert.DoesNotMatch("[0-9a-f]{64}", stored.TextBody + stored.HtmlBody);
    }

    [Fact]
    public async Task TwoInstances_RunningTheDigestAtOnce_SendEachSubscriberOneEmail()
    {
        for (var i = 0; i < 12; i++)
        {
            await _driver.SubscribeAndConfirmAsync($"doppelt{i}@example.org", "chemnitz");
        }

        await _driver.AddArticleAsync("neu", "chemnitz", new DateTime(2026, 3, 12, 9, 0, 0, DateTimeKind.Utc));
        using var second = new LprWebFactory { SharedDatabasePath = _factory.DatabasePath, SeedDemo = false };
        second.ExtraSettings["Alerts:BatchSize"] = "5";
        _ = second.Services;
        AdvanceTo(FirstSlot.AddMinutes(1));
        second.Time.Advance(FirstSlot.AddMinutes(1) - second.Time.GetUtcNow().UtcDateTime);

        var runs = await Task.WhenAll(_driver.RunDigestAsync(), second.Services.GetRequiredService<AlertDigest>().RunOnceAsync(TestContext.Current.CancellationToken));

        Assert.Equal(12, runs.Sum());
        Assert.Equal(12, (await DigestRecipientsAsync()).Distinct().Count());
    }

    [Fact]
    public async Task AnInstanceStalledPastItsLease_SendsNothingTheOtherAlreadySent()
    {
        // The lease keeps a second instance out while the first runs; this is the case it cannot cover: an instance
        // that read its due subscriptions, then stalled (a long GC, a frozen VM) until its lease expired and the other
        // instance ran the digest. The claim on each subscription must stop the stalled one.
        for (var i = 0; i < 6; i++)
        {
            await _driver.SubscribeAndConfirmAsync($"verzoegert{i}@example.org", "chemnitz");
        }

        await _driver.AddArticleAsync("neu", "chemnitz", new DateTime(2026, 3, 12, 9, 0, 0, DateTimeKind.Utc));
        var stall = new StallAfterDueList();
        using var stalled = new LprWebFactory
        {
            SharedDatabasePath = _factory.DatabasePath,
            SeedDemo = false,
            TestServices = services => services.ConfigureDbContext<Web.Data.SqliteLprEventsDbContext>(o => o.AddInterceptors(stall)),
        };
        _ = stalled.Services;
        stalled.Time.Advance(FirstSlot.AddMinutes(1) - stalled.Time.GetUtcNow().UtcDateTime);

        var stalledRun = stalled.Services.GetRequiredService<AlertDigest>().RunOnceAsync(TestContext.Current.CancellationToken);
        try
        {
            await stall.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            AdvanceTo(FirstSlot.AddHours(1)); // the stalled instance's lease (interval + 1 minute) has expired by then
            Assert.Equal(6, await _driver.RunDigestAsync());
        }
        finally
        {
            stall.Resume.TrySetResult();
        }

        Assert.Equal(0, await stalledRun.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        var recipients = await DigestRecipientsAsync();
        Assert.Equal(6, recipients.Count);
        Assert.Equal(6, recipients.Distinct().Count());
    }

    private async Task<List<string>> DigestRecipientsAsync()
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.OutboxMessages.Where(m => m.Kind == AlertEmails.DigestKind).Select(m => m.ToAddress).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Holds the first read of due subscriptions (after it ran) until the test resumes it.</summary>
    private sealed class StallAfterDueList : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _stalled;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(
            System.Data.Common.DbCommand command,
            Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData,
            System.Data.Common.DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("\"LastDigestAtUtc\"", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _stalled, 1) == 0)
            {
                Reached.SetResult();
                await Resume.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }

            return result;
        }
    }
}

public sealed class AlertScheduleTests
{
    [Theory]
    [InlineData("2026-03-16T05:59:00Z", "2026-03-09T06:00:00Z")] // Monday before 07:00 CET: last week's slot
    [InlineData("2026-03-16T06:00:00Z", "2026-03-16T06:00:00Z")]
    [InlineData("2026-03-22T23:00:00Z", "2026-03-16T06:00:00Z")]
    [InlineData("2026-03-30T05:30:00Z", "2026-03-30T05:00:00Z")] // after the change to summer time: 07:00 CEST
    public void LatestSlot_IsMonday0700InBerlin(string now, string expected)
    {
        var slot = AlertSchedule.LatestSlot(DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal), new Web.Configuration.AlertOptions());

        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal), slot);
    }
}
