using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.Property(s => s.Title).HasMaxLength(200);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Speakers).HasMaxLength(500);
        builder.Property(s => s.Room).HasMaxLength(100);
        builder.Property(s => s.Description).HasMaxLength(10000);

        builder.HasIndex(s => new { s.EventId, s.StartsAtUtc });
        builder.HasOne(s => s.Event).WithMany(e => e.Sessions).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Materials).WithMany().OnDelete(DeleteBehavior.SetNull);
    }
}
