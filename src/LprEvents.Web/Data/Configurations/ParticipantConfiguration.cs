using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class ParticipantConfiguration : IEntityTypeConfiguration<Participant>
{
    public void Configure(EntityTypeBuilder<Participant> builder)
    {
        builder.Property(p => p.FirstName).HasMaxLength(100);
        builder.Property(p => p.LastName).HasMaxLength(100);
        builder.Property(p => p.Email).HasMaxLength(254);
        builder.Property(p => p.EmailNormalized).HasMaxLength(254);
        builder.Property(p => p.Organisation).HasMaxLength(200);
        builder.Property(p => p.OrganisationType).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Function).HasMaxLength(200);
        builder.Property(p => p.AccessibilityNeeds).HasMaxLength(1000);
        builder.Property(p => p.DietaryNeeds).HasMaxLength(1000);
        builder.Property(p => p.PrivacyConsentVersion).HasMaxLength(20);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(30);

        // One active registration per address and event. Square brackets are valid identifier quotes in
        // both T-SQL and SQLite, so the same filter serves both migration sets.
        builder.HasIndex(p => new { p.EventId, p.EmailNormalized })
            .IsUnique()
            .HasFilter("[Status] <> 'Cancelled'")
            .HasDatabaseName("IX_Participants_EventId_EmailNormalized_Active");
        builder.HasIndex(p => new { p.EventId, p.Status });

        builder.HasOne(p => p.Event).WithMany(e => e.Participants).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(p => p.Region).WithMany().OnDelete(DeleteBehavior.SetNull);
        // SQL Server refuses two cascade paths from Event to the join table; sessions' rows go with the participant.
        builder.HasMany(p => p.Sessions).WithMany(s => s.Participants).UsingEntity(
            "ParticipantSessions",
            r => r.HasOne(typeof(Session)).WithMany().HasForeignKey("SessionsId").OnDelete(DeleteBehavior.Restrict),
            l => l.HasOne(typeof(Participant)).WithMany().HasForeignKey("ParticipantsId").OnDelete(DeleteBehavior.Cascade));
    }
}
