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
