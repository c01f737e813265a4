using System.Data.Common;
using LprEvents.Tests.Support;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>Maintenance with several instances (ADR 0026): one at a time under a lease, each step on its own.</summary>
public sealed class MaintenanceLeaseTests : IDisposable
{
    private readonly FailingStatements _failing = new();
    private readonly InterceptingWebFactory _factory;
    private readonly RegistrationDriver _driver;

    public MaintenanceLeaseTests()
    {
        _factory = new InterceptingWebFactory(_failing);
        _driver = new RegistrationDriver(_factory);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TwoInstances_OnlyTheLeaseHolderRuns_AndTheOtherTakesOverWhenItsLeaseExpires()
    {
        using var second = new LprWebFactory { SharedDatabasePath = _factory.DatabasePath, SeedDemo = false };
        var secondMaintenance = second.Services.GetRequiredService<RegistrationMaintenance>();
        var ct = TestContext.Current.CancellationToken;

        Assert.False((await _driver.RunMaintenanceAsync()).Skipped);
        Assert.True((await secondMaintenance.RunOnceAsync(ct)).Skipped);
        Assert.False((await _driver.RunMaintenanceAsync()).Skipped);

        // The first instance stops running it (crashed): its lease ends one interval (5 minutes) and a minute later.
        second.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await secondMaintenance.RunOnceAsync(ct)).Skipped);
        second.Time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.False((await secondMaintenance.RunOnceAsync(ct)).Skipped);
        Assert.True((await _driver.RunMaintenanceAsync()).Skipped);

        await using var scope = _factory.CreateDbScope();
        var lease = await scope.Db.JobLeases.SingleAsync(l => l.Name == RegistrationMaintenance.LeaseName, ct);
        Assert.Equal(second.Time.GetUtcNow().UtcDateTime.AddMinutes(6), lease.ExpiresAtUtc);
    }

    [Fact]
    public async Task AFailingStep_DoesNotKeepTheOthersFromRunning()
    {
        var expiring = await _driver.AddEventAsync("verfall", capacity: 5, waitingList: true);
        await _driver.SubmitAsync(expiring.Slug, RegistrationDriver.ValidFields("spaet@example.org"));
        var reminded = await _driver.AddEventAsync("erinnert", capacity: 5, waitingList: true);
        await _driver.RegisterAndConfirmAsync(reminded.Slug, "dabei@example.org");
        _factory.Time.SetUtcNow(new DateTimeOffset(reminded.StartsAtUtc.AddHours(-23), TimeSpan.Zero));

        _failing.Enabled = true;
        var failed = await _driver.RunMaintenanceAsync();
        _failing.Enabled = false;
        var next = await _driver.RunMaintenanceAsync();

        Assert.Equal((0, 1, 1), (failed.Expired, failed.Reminded, failed.FailedSteps));
        Assert.Equal((1, 0, 0), (next.Expired, next.Reminded, next.FailedSteps));
        Assert.Contains(await _driver.ParticipantsAsync(reminded.Id), p => p.RemindedAtUtc is not null);
    }

    /// <summary>Deleting participants fails while switched on: the expiry step breaks, as a database error would.</summary>
    private sealed class FailingStatements : DbCommandInterceptor
    {
        public bool Enabled { get; set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            Enabled && command.CommandText.Contains("DELETE FROM \"Participants\"", StringComparison.Ordinal)
                ? throw new InvalidOperationException("Staged failure of the expiry step")
                : ValueTask.FromResult(result);
    }
}
