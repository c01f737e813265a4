using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Support;

/// <summary>
/// The same application on a real SQL Server, when <c>LPR_TEST_SQLSERVER</c> holds a connection string.
/// Each factory creates its own database (migrated on start) and drops it afterwards.
/// </summary>
public sealed class SqlServerWebFactory : LprWebFactory
{
    public const string Variable = "LPR_TEST_SQLSERVER";

    public const string SkipReason = "LPR_TEST_SQLSERVER is not set: these tests need a real SQL Server (docs/development.md).";

    private readonly string? _connectionString;
    private readonly bool _ownsDatabase;

    public SqlServerWebFactory()
        : this(null)
    {
    }

    private SqlServerWebFactory(string? sharedDatabase)
    {
        _ownsDatabase = sharedDatabase is null;
        DatabaseName = sharedDatabase ?? $"LprEventsTest_{Guid.NewGuid():N}";
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = new SqlConnectionStringBuilder(configured)
            {
                InitialCatalog = DatabaseName,
                TrustServerCertificate = true,
            }.ConnectionString;
        }
    }

    public string DatabaseName { get; }

    /// <summary>A second app instance on this factory's database.</summary>
    public SqlServerWebFactory SecondInstance() => new(DatabaseName);

    public static bool IsAvailable => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    protected override string Provider => "SqlServer";

    protected override string ConnectionString => _connectionString ?? "";

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connectionString is not null && _ownsDatabase)
        {
            var scope = Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>().Database.EnsureDeleted();
            scope.Dispose();
        }

        base.Dispose(disposing);
    }
}
