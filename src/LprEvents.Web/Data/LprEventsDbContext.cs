using LprEvents.Web.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LprEvents.Web.Data;

/// <summary>
/// The one DbContext: domain tables, Identity tables and Data Protection keys. This class carries the
/// SQL Server migrations; <see cref="SqliteLprEventsDbContext"/> carries the SQLite set.
/// </summary>
public class LprEventsDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    public LprEventsDbContext(DbContextOptions<LprEventsDbContext> options)
        : base(options)
    {
    }

    protected LprEventsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Region> Regions => Set<Region>();

    public DbSet<Event> Events => Set<Event>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<Participant> Participants => Set<Participant>();

    public DbSet<ParticipantLink> ParticipantLinks => Set<ParticipantLink>();

    public DbSet<Article> Articles => Set<Article>();

    public DbSet<MediaAsset> MediaAssets => Set<MediaAsset>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<DeletionLogEntry> DeletionLog => Set<DeletionLogEntry>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();

    public DbSet<ArticlePreviewLink> ArticlePreviewLinks => Set<ArticlePreviewLink>();

    public DbSet<AlertSubscription> AlertSubscriptions => Set<AlertSubscription>();

    public DbSet<AlertLink> AlertLinks => Set<AlertLink>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SearchDocument> SearchDocuments => Set<SearchDocument>();

    public DbSet<SearchTerm> SearchTerms => Set<SearchTerm>();

    public DbSet<JobLease> JobLeases => Set<JobLease>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LprEventsDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime in the model is UTC; the providers hand it back as Unspecified, so mark it again.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter : ValueConverter<DateTime, DateTime>
    {
        public UtcDateTimeConverter()
            : base(v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
        {
        }
    }
}

/// <summary>The same model for SQLite; exists so that each provider has its own migration set.</summary>
public class SqliteLprEventsDbContext : LprEventsDbContext
{
    public SqliteLprEventsDbContext(DbContextOptions<SqliteLprEventsDbContext> options)
        : base(options)
    {
    }
}
