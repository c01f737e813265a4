namespace LprEvents.Web.Configuration;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Section <c>Database</c>. The key names are a contract with operators (docs/operations.md).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Null means the provider's default: true for SQLite, false for SQL Server.</summary>
    public bool? MigrateOnStartup { get; set; }

    /// <summary>
    /// Whether a start may create the database when it is missing (a first install); null means: in Development only.
    /// Otherwise a missing SQLite file (or one without this app's schema) or a missing SQL Server database stops the
    /// start; the <c>init</c> command creates it explicitly (docs/decisions/0028).
    /// </summary>
    public bool? CreateIfMissing { get; set; }

    /// <summary>
    /// SQLite only (unless the connection string sets <c>Default Timeout</c>): how long a statement waits for another
    /// connection's lock before the request gets the 503 page. Short, so that a page answers within 5 s (ADR 0027).
    /// </summary>
    public int SqliteBusyTimeoutSeconds { get; set; } = 3;

    /// <summary>SQLite: how long the start (migrations, reference data) waits for a lock another process holds.</summary>
    public const int StartupLockWaitSeconds = 60;

    /// <summary>
    /// SQL Server only (unless the connection string sets <c>Connect Timeout</c>): how long opening a connection may
    /// take before the request gets the 503 page. Short, so that an unreachable server is answered within 5 s.
    /// </summary>
    public int SqlServerConnectTimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// SQL Server only (unless the connection string sets <c>Command Timeout</c>): how long a statement of a web request
    /// may run or wait for another session's lock before the request gets the 503 page. Work without a request
    /// (start-up migrations, background jobs, commands such as <c>seed-load</c>) gets <see cref="BackgroundCommandTimeoutSeconds"/>.
    /// </summary>
    public int SqlServerCommandTimeoutSeconds { get; set; } = 4;

    /// <summary>SQL Server: the command timeout of work outside a web request (seconds).</summary>
    public const int BackgroundCommandTimeoutSeconds = 600;

    public bool ShouldMigrateOnStartup => MigrateOnStartup ?? Provider == DatabaseProvider.Sqlite;
}

/// <summary>Section <c>Seed</c>.</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    /// <summary>Null means: true in Development only. Commands (create-admin) never seed demo content.</summary>
    public bool? Demo { get; set; }
}

/// <summary>Section <c>Media</c>: where uploaded and seeded files live.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>Absolute, or relative to the content root.</summary>
    public string RootPath { get; set; } = "App_Data/media";

    public const string RequestPath = "/medien";
}
