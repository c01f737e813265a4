using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Services.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Data;

/// <summary>
/// On SQL Server a web request answers 503 within <see cref="DatabaseAvailability.AnswerWithin"/> when the server is
/// unreachable or a lock is held (ADR 0027): short connect and command timeouts unless the operator sets them, and
/// retries of transient faults only while they fit the budget. No server is needed: the configuration the app builds
/// and the execution strategy's decisions are checked.
/// </summary>
public sealed class SqlServerTimeoutTests
{
    private const string Configured = "Server=db.lpr.test;Database=LprEvents;Trusted_Connection=True;TrustServerCertificate=True";

    [Fact]
    public void WebApp_OnSqlServer_WaitsSecondsNotHalfAMinute()
    {
        using var services = SqlServerApp([]);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        var connection = new SqlConnectionStringBuilder(db.Database.GetConnectionString());
        Assert.Equal(3, connection.ConnectTimeout);
        Assert.Equal(4, connection.CommandTimeout);
        Assert.Equal("db.lpr.test", connection.DataSource);
        Assert.IsType<BoundedSqlServerRetries>(db.Database.CreateExecutionStrategy());
    }

    [Fact]
    public void CommandOnTheCommandLine_OnSqlServer_MayTakeItsTime()
    {
        using var services = SqlServerApp(["seed-load", "--articles", "10"]);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        var connection = new SqlConnectionStringBuilder(db.Database.GetConnectionString());
        Assert.Equal(DatabaseOptions.CommandLineCommandTimeoutSeconds, connection.CommandTimeout);
        var strategy = db.Database.CreateExecutionStrategy();
        Assert.True(strategy.RetriesOnFailure);
        Assert.IsNotType<BoundedSqlServerRetries>(strategy);
    }

    [Theory]
    [InlineData("Connect Timeout=30;Command Timeout=60", 30, 60)]
    [InlineData("Connection Timeout=20", 20, 4)]
    [InlineData("Timeout=25;Command Timeout=0", 25, 0)]
    [InlineData("", 3, 4)]
    public void OperatorsTimeouts_AreKept(string extra, int connect, int command)
    {
        var connectionString = DatabaseSetup.WithSqlServerTimeouts($"{Configured};{extra}", 3, 4);

        var parsed = new SqlConnectionStringBuilder(connectionString);
        Assert.Equal(connect, parsed.ConnectTimeout);
        Assert.Equal(command, parsed.CommandTimeout);
        Assert.Equal("LprEvents", parsed.InitialCatalog);
    }

    [Fact]
    public async Task ServerGone_RetriesStopWithinTheBudget_AndTheRequestGets503()
    {
        // Each attempt fails at once with a transient fault; EF retries at once, then after about 1 s; the third retry
        // would come 2 s later, past a 1.6 s budget. Without the budget EF makes a fourth attempt; with attempts that
        // each wait a connect timeout (SqlClient's default 15 s) that was a minute.
        var budget = TimeSpan.FromSeconds(1.6);
        await using var db = new LprEventsDbContext(new DbContextOptionsBuilder<LprEventsDbContext>()
            .UseSqlServer(Configured, s => DatabaseSetup.ConfigureSqlServer(s, budget))
            .Options);
        var attempts = 0;

        Func<CancellationToken, Task> unreachable = _ =>
        {
            attempts++;
            return Task.FromException(new TimeoutException("server not reachable (test)"));
        };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            db.Database.CreateExecutionStrategy().ExecuteAsync(unreachable, TestContext.Current.CancellationToken));

        Assert.Equal(3, attempts);
        Assert.IsType<RetryLimitExceededException>(failure);
        Assert.True(DatabaseAvailability.IsUnavailable(failure));
    }

    [Theory]
    [InlineData(1.5, 1.0, 1.5, true)]   // an attempt that failed after 1.5 s, retried after 1 s: ends at 4 s
    [InlineData(3.0, 1.0, 3.0, false)]  // an attempt that waited its 3 s connect timeout is not repeated
    [InlineData(1.2, 2.0, 0.1, true)]   // quick failures (refused, deadlock victim) are retried
    [InlineData(3.3, 2.0, 0.1, false)]
    public void RetryFits_OnlyWhenItsAnswerComesWithinFiveSeconds(double elapsed, double delay, double lastAttempt, bool fits) =>
        Assert.Equal(fits, BoundedSqlServerRetries.RetryFits(
            TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(delay), TimeSpan.FromSeconds(lastAttempt), DatabaseAvailability.AnswerWithin));

    [Fact]
    public void TimeoutOutOfRange_IsRefusedWithItsName()
    {
        using var services = SqlServerApp([], ("Database:SqlServerCommandTimeoutSeconds", "0"));

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value);
        Assert.Contains("Database:SqlServerCommandTimeoutSeconds must be between 1 and 3600.", refused.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider SqlServerApp(string[] args, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = "Production" });
        builder.Configuration["Database:Provider"] = "SqlServer";
        builder.Configuration["ConnectionStrings:Default"] = Configured;
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddLprDatabase(args);
        builder.AddLprCaching();
        builder.Services.AddSingleton<OutboxSignal>();
        return builder.Services.BuildServiceProvider();
    }
}
