using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.Kind).HasMaxLength(40);
        builder.Property(m => m.DedupeKey).HasMaxLength(100);
        builder.Property(m => m.ToAddress).HasMaxLength(254);
        builder.Property(m => m.ToName).HasMaxLength(200);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.TextBody).HasMaxLength(20000);
        builder.Property(m => m.HtmlBody).HasMaxLength(40000);
        builder.Property(m => m.UnsubscribeUrl).HasMaxLength(300);
        builder.Property(m => m.AttachmentName).HasMaxLength(100);
        builder.Property(m => m.AttachmentContentType).HasMaxLength(100);
        builder.Property(m => m.AttachmentContent).HasMaxLength(20000);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.LastError).HasMaxLength(1000);

        builder.HasIndex(m => new { m.Status, m.NextAttemptAtUtc });
        // The oldest waiting message (/health/ready) and the admin page's lists, oldest first, in one seek.
        builder.HasIndex(m => new { m.Status, m.CreatedAtUtc });
        builder.HasIndex(m => m.DedupeKey).IsUnique();
        builder.HasIndex(m => m.ParticipantId);
    }
}
