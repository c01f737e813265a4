using LprEvents.Web.Domain;
using LprEvents.Web.Services.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LprEvents.Web.Data.Configurations;

public sealed class SearchDocumentConfiguration : IEntityTypeConfiguration<SearchDocument>
{
    public void Configure(EntityTypeBuilder<SearchDocument> builder)
    {
        builder.ToTable("SearchDocuments");
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Title).HasMaxLength(200);
        builder.Property(d => d.Slug).HasMaxLength(200);
        builder.Property(d => d.Text).HasMaxLength(SearchText.MaxStoredTextLength);

        // One document per article or event, also when two app instances index the same one at once.
        builder.HasIndex(d => new { d.Kind, d.EntityId }).IsUnique();
        builder.HasMany(d => d.Regions).WithOne().HasForeignKey(r => r.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SearchDocumentRegionConfiguration : IEntityTypeConfiguration<SearchDocumentRegion>
{
    public void Configure(EntityTypeBuilder<SearchDocumentRegion> builder)
    {
        builder.ToTable("SearchDocumentRegions");
        builder.HasKey(r => new { r.DocumentId, r.RegionId });
    }
}

public sealed class SearchTermConfiguration : IEntityTypeConfiguration<SearchTerm>
{
    public void Configure(EntityTypeBuilder<SearchTerm> builder)
    {
        builder.ToTable("SearchTerms");

        // The key serves the "does this document also contain …" probes of a query with several words and
        // deleting a document's terms.
        builder.HasKey(t => new { t.DocumentId, t.Term });
        builder.Property(t => t.Term).HasMaxLength(SearchText.MaxTermLength);
        builder.Property(t => t.Kind).HasConversion<byte>();
        builder.HasOne<SearchDocument>().WithMany().HasForeignKey(t => t.DocumentId).OnDelete(DeleteBehavior.Cascade);

        // The search index: one term's postings in result order (title hits, then newest), covering every
        // column a query filters on, so that the first page is a range scan with a limit.
        builder.HasIndex(t => new { t.Term, t.InTitle, t.SortDay, t.DocumentId, t.Kind, t.VisibleFromUtc })
            .HasDatabaseName("IX_SearchTerms_Ranked");
    }
}
