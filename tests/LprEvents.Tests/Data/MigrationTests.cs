using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace LprEvents.Tests.Data;

/// <summary>
/// Keeps SQL Server honest without a server: both migration sets match the model, have the same migrations,
/// and the SQL Server script parses as T-SQL.
/// </summary>
public sealed class MigrationTests
{
    internal static LprEventsDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<LprEventsDbContext>()
            .UseSqlServer("Server=unused;Database=LprEvents;Trusted_Connection=True;TrustServerCertificate=True", DatabaseSetup.ConfigureSqlServer)
            .Options);

    internal static SqliteLprEventsDbContext SqliteContext() =>
        new(new DbContextOptionsBuilder<SqliteLprEventsDbContext>()
            .UseSqlite("Data Source=:memory:", DatabaseSetup.ConfigureSqlite)
            .Options);

    [Fact]
    public void SqlServerMigrations_HaveNoPendingModelChanges()
    {
        using var db = SqlServerContext();

        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context LprEventsDbContext --output-dir Data/Migrations/SqlServer");
    }

    [Fact]
    public void SqliteMigrations_HaveNoPendingModelChanges()
    {
        using var db = SqliteContext();

        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqliteLprEventsDbContext --output-dir Data/Migrations/Sqlite");
    }

    [Fact]
    public void BothMigrationSets_HaveTheSameMigrationsInTheSameOrder()
    {
        using var sqlServer = SqlServerContext();
        using var sqlite = SqliteContext();

        static List<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_', StringComparison.Ordinal) + 1)..]).ToList();

        Assert.NotEmpty(Names(sqlServer));
        Assert.Equal(Names(sqlServer), Names(sqlite));
    }

    [Fact]
    public void SqlServerIdempotentScript_ParsesWithoutErrors()
    {
        using var db = SqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var errors = SqlParsing.Parse(script);

        Assert.Empty(errors);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Participants_EventId_EmailNormalized_Active]", script, StringComparison.Ordinal);
    }
}

/// <summary>Migrations that move data keep it: a database from before a migration, with rows in it, migrated to now.</summary>
public sealed class MigrationDataTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "lprevents-tests", $"migration-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task SafeToPutOnline_KeepsEveryWorkingPrivateLinkAndTheParticipantsGroups()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        var options = new DbContextOptionsBuilder<SqliteLprEventsDbContext>().UseSqlite($"Data Source={_file}", DatabaseSetup.ConfigureSqlite).Options;
        await using var db = new SqliteLprEventsDbContext(options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("AdminArea", TestContext.Current.CancellationToken);
        var token = LprEvents.Web.Services.Registration.PrivateTokens.New();
        var hash = LprEvents.Web.Services.Registration.PrivateTokens.Hash(token);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO Regions (Id, Slug, Name, Description, SortOrder) VALUES (1, 'chemnitz', 'Chemnitz', '', 1);
            INSERT INTO Events (Id, Title, Slug, Kind, StartsAtUtc, EndsAtUtc, VenueName, VenueStreet, VenuePostcode, VenueCity, Organisers, TargetAudience, Summary, Description, Status, WaitingListEnabled, AskAccessibilityNeeds, AskDietaryNeeds, CreatedAtUtc, UpdatedAtUtc, Version, SeatLock)
              VALUES (1, 'Treffen', 'treffen', 'Vernetzungstreffen', '2027-01-01 09:00:00', '2027-01-01 15:00:00', 'Rathaus', '', '', 'Chemnitz', '', '', '', '', 'Published', 1, 1, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '00000000-0000-0000-0000-000000000001', 0);
            INSERT INTO Sessions (Id, EventId, StartsAtUtc, EndsAtUtc, Title, Kind, Speakers, Room, Description, Capacity)
              VALUES (1, 1, '2027-01-01 11:00:00', '2027-01-01 12:00:00', 'Gruppe A', 'SmallGroup', '', '', '', 10);
            """,
            TestContext.Current.CancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO Participants (Id, EventId, FirstName, LastName, Email, EmailNormalized, Organisation, OrganisationType, "Function", RegionId, PhotoConsent, PrivacyConsentVersion, Status, TokenHash, CreatedAtUtc)
              VALUES (1, 1, 'Anna', 'Müller', 'anna@example.org', 'anna@example.org', 'Stadt', 'Kommune', '', 1, 1, '2026-11', 'Confirmed', {hash}, '2026-11-01 10:00:00')
            """,
            TestContext.Current.CancellationToken);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO ParticipantSessions (ParticipantsId, SessionsId) VALUES (1, 1);", TestContext.Current.CancellationToken);

        await migrator.MigrateAsync(cancellationToken: TestContext.Current.CancellationToken);

        var link = await db.ParticipantLinks.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((1, hash), (link.ParticipantId, link.TokenHash.Trim()));
        Assert.Equal(new LprEvents.Web.Services.Registration.LinkTarget(1, 1), await LprEvents.Web.Services.Registration.RegistrationService.ByTokenHash(db, hash).SingleAsync(TestContext.Current.CancellationToken));
        var participant = await db.Participants.Include(p => p.Sessions).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Anna", participant.FirstName);
        Assert.Equal("Gruppe A", Assert.Single(participant.Sessions).Title);
    }
}

internal static class SqlParsing
{
    public static IList<string> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line}: {e.Message}").ToList();
    }
}
