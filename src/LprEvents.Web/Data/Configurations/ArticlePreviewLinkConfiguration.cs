using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class ArticlePreviewLinkConfiguration : IEntityTypeConfiguration<ArticlePreviewLink>
{
    public void Configure(EntityTypeBuilder<ArticlePreviewLink> builder)
    {
        builder.Property(l => l.TokenHash).HasMaxLength(64).IsFixedLength();
        builder.Property(l => l.CreatedBy).HasMaxLength(256);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasOne(l => l.Article).WithMany().OnDelete(DeleteBehavior.Cascade);
    }
}
