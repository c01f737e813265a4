using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> builder)
    {
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.Slug).HasMaxLength(200);
        builder.Property(a => a.Teaser).HasMaxLength(1000);
        builder.Property(a => a.Body).HasMaxLength(100000);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Author).HasMaxLength(200);
        builder.Property(a => a.PendingTitle).HasMaxLength(200);
        builder.Property(a => a.PendingTeaser).HasMaxLength(1000);
        builder.Property(a => a.PendingBody).HasMaxLength(100000);
        builder.Property(a => a.PendingSavedBy).HasMaxLength(200);
        builder.Ignore(a => a.HasPendingVersion);
        builder.Property(a => a.Version).IsConcurrencyToken();

        builder.HasIndex(a => a.Slug).IsUnique();
        builder.HasIndex(a => new { a.Status, a.PublishedAtUtc });
        // "Visible, newest first" (PublicQueries.NewestFirst) read from the index alone: the order's columns, then the
        // visibility columns, so that paging and counting never touch the rows (ADR 0023).
        builder.HasIndex(a => new { a.Date, a.PublishedAtUtc, a.Id, a.Status, a.DeletedAtUtc })
            .IsDescending(true, true, true, false, false)
            .HasDatabaseName("IX_Articles_NewestFirst");

        builder.HasOne(a => a.AuthorUser).WithMany().HasForeignKey(a => a.AuthorId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(a => a.LeadImage).WithMany().OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(a => a.Event).WithMany(e => e.Articles).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(a => a.Regions).WithMany(r => r.Articles).UsingEntity("ArticleRegions", j => j.HasIndex("RegionsId", "ArticlesId"));
    }
}
