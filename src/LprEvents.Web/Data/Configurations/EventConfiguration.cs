using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Slug).HasMaxLength(200);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.VenueName).HasMaxLength(200);
        builder.Property(e => e.VenueStreet).HasMaxLength(200);
        builder.Property(e => e.VenuePostcode).HasMaxLength(10);
        builder.Property(e => e.VenueCity).HasMaxLength(100);
        builder.Property(e => e.OnlineUrl).HasMaxLength(500);
        builder.Property(e => e.Organisers).HasMaxLength(500);
        builder.Property(e => e.TargetAudience).HasMaxLength(500);
        builder.Property(e => e.Summary).HasMaxLength(1000);
        builder.Property(e => e.Description).HasMaxLength(20000);
        builder.Property(e => e.Version).IsConcurrencyToken();

        builder.HasIndex(e => e.Slug).IsUnique();
        builder.HasIndex(e => new { e.Status, e.StartsAtUtc });
        // Past events latest first (paged) and upcoming ones by their end, without reading the rows (ADR 0023).
        builder.HasIndex(e => new { e.StartsAtUtc, e.Id, e.Status, e.EndsAtUtc })
            .IsDescending(true, true, false, false)
            .HasDatabaseName("IX_Events_LatestFirst");
        builder.HasIndex(e => new { e.EndsAtUtc, e.Status });
        // Upcoming public events (Status = … AND EndsAtUtc >= now, sorted by start): equality first, so that the
        // database reads only the upcoming entries instead of walking every past event in start order.
        builder.HasIndex(e => new { e.Status, e.EndsAtUtc, e.StartsAtUtc });

        builder.HasOne(e => e.LeadImage).WithMany().OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(e => e.Regions).WithMany(r => r.Events).UsingEntity("EventRegions", j => j.HasIndex("RegionsId", "EventsId"));
    }
}
