using LprEvents.Web.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LprEvents.Web.Data;

/// <summary>Used by <c>dotnet ef</c> only: builds each provider's context without starting the web host.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<LprEventsDbContext>
{
    public LprEventsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LprEventsDbContext>()
            .UseSqlServer("Server=(design-time);Database=LprEvents;Trusted_Connection=True", DatabaseSetup.ConfigureSqlServer)
            .Options);
}

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLprEventsDbContext>
{
    public SqliteLprEventsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLprEventsDbContext>()
            .UseSqlite("Data Source=design-time.db", DatabaseSetup.ConfigureSqlite)
            .Options);
}
