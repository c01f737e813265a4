using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>
/// Capacity holds by construction: many simultaneous confirmations for the last places, through separate
/// DbContexts, separate HTTP clients, and two application instances on one database. Runs on SQLite always
/// and on SQL Server when <c>LPR_TEST_SQLSERVER</c> is set.
/// </summary>
public abstract class OverbookingTestsBase : IDisposable
{
    private LprWebFactory? _created;

    private LprWebFactory App
    {
        get
        {
            EnsureAvailable();
            return _created ??= CreateFactory();
        }
    }

    public void Dispose()
    {
        _created?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract LprWebFactory CreateFactory();

    protected abstract LprWebFactory CreateSecondInstance(LprWebFactory first);

    protected virtual void EnsureAvailable()
    {
    }

    /// <summary>Adds people who registered but have not confirmed yet; returns their private tokens.</summary>
    private async Task<List<string>> AddUnconfirmedAsync(int eventId, int count, int? sessionId = null)
    {
        await using var scope = App.CreateDbScope();
        var now = App.Time.GetUtcNow().UtcDateTime;
        var session = sessionId is null ? null : await scope.Db.Sessions.SingleAsync(s => s.Id == sessionId, TestContext.Current.CancellationToken);
        var tokens = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var token = PrivateTokens.New();
            tokens.Add(token);
            var participant = new Participant
            {
                EventId = eventId,
                FirstName = "Person",
                LastName = $"Nr. {i}",
                Email = $"person{i}@example.org",
                EmailNormalized = $"person{i}@example.org",
                Organisation = "Gemeinde",
                PrivacyConsentVersion = RegistrationService.PrivacyVersion,
                Status = ParticipantStatus.AwaitingConfirmation,
                CreatedAtUtc = now,
            };
            participant.Links.Add(new ParticipantLink { TokenHash = PrivateTokens.Hash(token), CreatedAtUtc = now });
            if (session is not null)
            {
                participant.Sessions.Add(session);
            }

            scope.Db.Participants.Add(participant);
        }

        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return tokens;
    }

    private async Task<Dictionary<ParticipantStatus, int>> CountByStatusAsync(int eventId)
    {
        await using var scope = App.CreateDbScope();
        return await scope.Db.Participants.Where(p => p.EventId == eventId)
            .GroupBy(p => p.Status)
            .ToDictionaryAsync(g => g.Key, g => g.Count(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task HundredTwentyParallelConfirmations_ThroughSeparateDbContexts_ConfirmExactlyTenForTenPlaces()
    {
        var e = await new RegistrationDriver(App).AddEventAsync("ansturm", capacity: 10, waitingList: true);
        var tokens = await AddUnconfirmedAsync(e.Id, 120);

        var outcomes = await Task.WhenAll(tokens.Select(token => Task.Run(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RegistrationService>().ConfirmAsync(token, TestContext.Current.CancellationToken);
        })));

        Assert.Equal(10, outcomes.Count(o => o == ConfirmOutcome.Confirmed));
        Assert.Equal(110, outcomes.Count(o => o == ConfirmOutcome.WaitingList));
        var counts = await CountByStatusAsync(e.Id);
        Assert.Equal(10, counts[ParticipantStatus.Confirmed]);
        Assert.Equal(110, counts[ParticipantStatus.WaitingList]);
        await using var check = App.CreateDbScope();
        Assert.Equal(10, await check.Db.OutboxMessages.CountAsync(m => m.Kind == "confirmed", TestContext.Current.CancellationToken));
        Assert.Equal(110, await check.Db.OutboxMessages.CountAsync(m => m.Kind == "waiting-list", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HundredParallelConfirmations_ThroughSeparateHttpClients_ConfirmExactlyTen()
    {
        var e = await new RegistrationDriver(App).AddEventAsync("ansturm-http", capacity: 10, waitingList: true);
        var tokens = await AddUnconfirmedAsync(e.Id, 100);

        // Each client first opens its private page (for the antiforgery token), then all press "confirm" at once.
        var prepared = await Task.WhenAll(tokens.Select(async token =>
        {
            var driver = new RegistrationDriver(App);
            var (_, page) = await driver.Client.GetPageAsync($"/anmeldung/{token}");
            return (driver.Client, Path: $"/anmeldung/{token}/bestaetigen", Form: RegistrationDriver.AntiforgeryToken(page));
        }));
        var responses = await Task.WhenAll(prepared.Select(p => p.Client.PostAsync(
            new Uri(p.Path, UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = p.Form }),
            TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(10, responses.Count(r => r.Headers.Location!.OriginalString.EndsWith("hinweis=confirmed", StringComparison.Ordinal)));
        var counts = await CountByStatusAsync(e.Id);
        Assert.Equal(10, counts[ParticipantStatus.Confirmed]);
        Assert.Equal(90, counts[ParticipantStatus.WaitingList]);
    }

    [Fact]
    public async Task ParallelConfirmations_ForOneSmallGroup_NeverExceedTheGroupsPlaces()
    {
        var e = await new RegistrationDriver(App).AddEventAsync("ansturm-gruppe", capacity: 100, waitingList: true, ("Kleingruppe Großveranstaltungen", 5));
        var tokens = await AddUnconfirmedAsync(e.Id, 50, e.Sessions.Single().Id);

        await Task.WhenAll(tokens.Select(token => Task.Run(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RegistrationService>().ConfirmAsync(token, TestContext.Current.CancellationToken);
        })));

        var counts = await CountByStatusAsync(e.Id);
        Assert.Equal(5, counts[ParticipantStatus.Confirmed]);
        Assert.Equal(45, counts[ParticipantStatus.WaitingList]);
    }

    [Fact]
    public async Task TwoAppInstancesOnOneDatabase_TogetherConfirmExactlyTen()
    {
        var e = await new RegistrationDriver(App).AddEventAsync("zwei-instanzen", capacity: 10, waitingList: true);
        var tokens = await AddUnconfirmedAsync(e.Id, 100);
        using var second = CreateSecondInstance(App);
        second.Time.SetUtcNow(App.Time.GetUtcNow());
        LprWebFactory[] instances = [App, second];

        var outcomes = await Task.WhenAll(tokens.Select((token, i) => Task.Run(async () =>
        {
            await using var scope = instances[i % 2].Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RegistrationService>().ConfirmAsync(token, TestContext.Current.CancellationToken);
        })));

        Assert.Equal(10, outcomes.Count(o => o == ConfirmOutcome.Confirmed));
        Assert.Equal(10, (await CountByStatusAsync(e.Id))[ParticipantStatus.Confirmed]);
    }

    [Fact]
    public async Task ParallelCancellations_MoveUpExactlyAsManyAsLeft()
    {
        var e = await new RegistrationDriver(App).AddEventAsync("absagen", capacity: 10, waitingList: true);
        var tokens = await AddUnconfirmedAsync(e.Id, 30);
        foreach (var token in tokens)
        {
            await using var scope = App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RegistrationService>().ConfirmAsync(token, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(tokens.Take(5).Select(token => Task.Run(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RegistrationService>().CancelAsync(token, TestContext.Current.CancellationToken);
        })));

        var counts = await CountByStatusAsync(e.Id);
        Assert.Equal(10, counts[ParticipantStatus.Confirmed]);
        Assert.Equal(15, counts[ParticipantStatus.WaitingList]);
        Assert.Equal(5, counts[ParticipantStatus.Cancelled]);
        await using var check = App.CreateDbScope();
        var movedUp = await check.Db.Participants.Where(p => p.EventId == e.Id && p.Status == ParticipantStatus.Confirmed)
            .Select(p => p.LastName).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(5, 10).Select(i => $"Nr. {i}").Order(), movedUp.Order());
    }
}

public sealed class OverbookingTests : OverbookingTestsBase
{
    protected override LprWebFactory CreateFactory() => new();

    protected override LprWebFactory CreateSecondInstance(LprWebFactory first) => new() { SharedDatabasePath = first.DatabasePath };
}

public sealed class SqlServerOverbookingTests : OverbookingTestsBase
{
    protected override LprWebFactory CreateFactory() => new SqlServerWebFactory();

    protected override LprWebFactory CreateSecondInstance(LprWebFactory first) => ((SqlServerWebFactory)first).SecondInstance();

    protected override void EnsureAvailable() => Assert.SkipUnless(SqlServerWebFactory.IsAvailable, SqlServerWebFactory.SkipReason);
}
