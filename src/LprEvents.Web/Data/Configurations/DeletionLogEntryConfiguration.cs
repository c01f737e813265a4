using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class DeletionLogEntryConfiguration : IEntityTypeConfiguration<DeletionLogEntry>
{
    public void Configure(EntityTypeBuilder<DeletionLogEntry> builder)
    {
        builder.Property(d => d.Kind).HasMaxLength(40);
        builder.HasIndex(d => d.RunAtUtc);
    }
}
