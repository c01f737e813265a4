using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> builder)
    {
        builder.Property(r => r.SavedBy).HasMaxLength(256);
        builder.Property(r => r.Title).HasMaxLength(200);
        builder.Property(r => r.Teaser).HasMaxLength(1000);
        builder.Property(r => r.Body).HasMaxLength(100000);
        builder.HasIndex(r => new { r.ArticleId, r.SavedAtUtc });
        builder.HasOne(r => r.Article).WithMany().OnDelete(DeleteBehavior.Cascade);
    }
}
