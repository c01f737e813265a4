using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class ParticipantLinkConfiguration : IEntityTypeConfiguration<ParticipantLink>
{
    public void Configure(EntityTypeBuilder<ParticipantLink> builder)
    {
        builder.Property(l => l.TokenHash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasOne(l => l.Participant).WithMany(p => p.Links).OnDelete(DeleteBehavior.Cascade);
    }
}
