using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class AlertSubscriptionConfiguration : IEntityTypeConfiguration<AlertSubscription>
{
    public void Configure(EntityTypeBuilder<AlertSubscription> builder)
    {
        builder.Property(s => s.Email).HasMaxLength(254);
        builder.Property(s => s.EmailNormalized).HasMaxLength(254);
        builder.HasIndex(s => s.EmailNormalized).IsUnique();
        // The digest job looks for confirmed subscriptions whose last digest is older than the current slot.
        builder.HasIndex(s => new { s.ConfirmedAtUtc, s.LastDigestAtUtc });
        builder.HasMany(s => s.Regions).WithMany().UsingEntity("AlertSubscriptionRegions");
    }
}

public sealed class AlertLinkConfiguration : IEntityTypeConfiguration<AlertLink>
{
    public void Configure(EntityTypeBuilder<AlertLink> builder)
    {
        builder.Property(l => l.TokenHash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => l.CreatedAtUtc);
        builder.HasOne(l => l.Subscription).WithMany(s => s.Links).HasForeignKey(l => l.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
