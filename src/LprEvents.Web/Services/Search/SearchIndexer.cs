using System.Data.Common;
using System.Globalization;
using System.Text;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LprEvents.Web.Services.Search;

/// <summary>
/// Keeps the site search's index (<see cref="SearchDocument"/>, <see cref="SearchTerm"/>) in step with what is
/// public (docs/decisions/0021). The editors' services call <see cref="IndexArticleAsync"/> and
/// <see cref="IndexEventAsync"/> after every change that readers can see; each reads the current state and
/// writes the document again or removes it, so calling it once too often does no harm. Startup
/// (<see cref="SearchIndexStartup"/>) and the bulk loader call <see cref="IndexMissingAsync"/>; the
/// <c>reindex</c> command calls <see cref="RebuildAsync"/>.
/// </summary>
public sealed class SearchIndexer(LprEventsDbContext db, MarkdownRenderer markdown, TimeProvider time, ILogger<SearchIndexer> logger)
{
    /// <summary>Articles or events read and written per round trip when indexing many.</summary>
    public const int BatchSize = 500;

    /// <summary>Postings per INSERT statement: 6 parameters each stays under SQL Server's 2,100.</summary>
    private const int RowsPerInsert = 200;

    /// <summary>Indexes an article as it is now, or removes it when it is a draft or deleted.</summary>
    public async Task IndexArticleAsync(int articleId, CancellationToken ct)
    {
        var entries = await ArticleEntriesAsync(db.Articles.Where(a => a.Id == articleId), ct);
        await ReplaceAsync(SearchKind.Article, articleId, entries.SingleOrDefault(), ct);
    }

    /// <summary>Indexes an event with its program as it is now, or removes it when it is a draft.</summary>
    public async Task IndexEventAsync(int eventId, CancellationToken ct)
    {
        var entries = await EventEntriesAsync(db.Events.Where(e => e.Id == eventId), ct);
        await ReplaceAsync(SearchKind.Event, eventId, entries.SingleOrDefault(), ct);
    }

    /// <summary>Takes an article or event out of the index.</summary>
    public Task RemoveAsync(SearchKind kind, int entityId, CancellationToken ct) => ReplaceAsync(kind, entityId, null, ct);

    /// <summary>
    /// Indexes every public (or scheduled) article and event that has no document yet and removes documents whose
    /// article or event is gone or no longer public; in batches of <see cref="BatchSize"/>, without tracking, so it
    /// suits 100,000 articles. Call it from a scope of its own. Returns how many documents were written.
    /// </summary>
    public async Task<int> IndexMissingAsync(CancellationToken ct, IProgress<int>? progress = null)
    {
        var written = 0;
        var lastId = 0;
        while (true)
        {
            var from = lastId;
            var ids = await db.Articles.AsNoTracking().PublicOrScheduled()
                .Where(a => a.Id > from && !db.SearchDocuments.Any(d => d.Kind == SearchKind.Article && d.EntityId == a.Id))
                .OrderBy(a => a.Id).Select(a => a.Id).Take(BatchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            written += await WriteBatchAsync(SearchKind.Article, await ArticleEntriesAsync(db.Articles.Where(a => ids.Contains(a.Id)), ct), ct);
            lastId = ids[^1];
            progress?.Report(written);
        }

        lastId = 0;
        while (true)
        {
            var from = lastId;
            var ids = await db.Events.AsNoTracking().Public()
                .Where(e => e.Id > from && !db.SearchDocuments.Any(d => d.Kind == SearchKind.Event && d.EntityId == e.Id))
                .OrderBy(e => e.Id).Select(e => e.Id).Take(BatchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            written += await WriteBatchAsync(SearchKind.Event, await EventEntriesAsync(db.Events.Where(e => ids.Contains(e.Id)), ct), ct);
            lastId = ids[^1];
            progress?.Report(written);
        }

        await RemoveStaleAsync(ct);
        return written;
    }

    /// <summary>Empties the index and builds it again from the articles and events (the <c>reindex</c> command).</summary>
    public async Task<int> RebuildAsync(CancellationToken ct, IProgress<int>? progress = null)
    {
        await db.SearchTerms.ExecuteDeleteAsync(ct);
        await db.Set<SearchDocumentRegion>().ExecuteDeleteAsync(ct);
        await db.SearchDocuments.ExecuteDeleteAsync(ct);
        return await IndexMissingAsync(ct, progress);
    }

    /// <summary>Whether some public article or event has no document yet (at most <paramref name="limit"/> counted).</summary>
    public async Task<int> CountMissingAsync(int limit, CancellationToken ct)
    {
        var articles = await db.Articles.AsNoTracking().PublicOrScheduled()
            .Where(a => !db.SearchDocuments.Any(d => d.Kind == SearchKind.Article && d.EntityId == a.Id)).OrderBy(a => a.Id).Take(limit).CountAsync(ct);
        var events = await db.Events.AsNoTracking().Public()
            .Where(e => !db.SearchDocuments.Any(d => d.Kind == SearchKind.Event && d.EntityId == e.Id)).OrderBy(e => e.Id).Take(limit).CountAsync(ct);
        return articles + events;
    }

    private async Task RemoveStaleAsync(CancellationToken ct)
    {
        var stale = await db.SearchDocuments.AsNoTracking()
            .Where(d => (d.Kind == SearchKind.Article && !db.Articles.PublicOrScheduled().Any(a => a.Id == d.EntityId))
                || (d.Kind == SearchKind.Event && !db.Events.Public().Any(e => e.Id == d.EntityId)))
            .Select(d => new { d.Kind, d.EntityId }).ToListAsync(ct);
        foreach (var document in stale)
        {
            await RemoveAsync(document.Kind, document.EntityId, ct);
        }
    }

    private async Task ReplaceAsync(SearchKind kind, int entityId, IndexEntry? entry, CancellationToken ct)
    {
        // Two app instances may index the same article at once: the unique (Kind, EntityId) index lets only one
        // insert win; the other deletes that one and writes its own, from the state it read.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (db.Database.CurrentTransaction is not null)
                {
                    await ReplaceOnceAsync(kind, entityId, entry, ct);
                }
                else
                {
                    await db.WithRetriesAsync(async () =>
                    {
                        await using var transaction = await db.Database.BeginTransactionAsync(ct);
                        await ReplaceOnceAsync(kind, entityId, entry, ct);
                        await transaction.CommitAsync(ct);
                    });
                }

                return;
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                // An own transaction was rolled back by leaving it uncommitted.
                logger.LogInformation(ex, "Search document {Kind} {EntityId} was written concurrently; trying again", kind, entityId);
            }
        }
    }

    private async Task ReplaceOnceAsync(SearchKind kind, int entityId, IndexEntry? entry, CancellationToken ct)
    {
        var documentIds = await db.SearchDocuments.Where(d => d.Kind == kind && d.EntityId == entityId).Select(d => d.Id).ToListAsync(ct);
        if (documentIds.Count > 0)
        {
            await db.SearchTerms.Where(t => documentIds.Contains(t.DocumentId)).ExecuteDeleteAsync(ct);
            await db.Set<SearchDocumentRegion>().Where(r => documentIds.Contains(r.DocumentId)).ExecuteDeleteAsync(ct);
            await db.SearchDocuments.Where(d => documentIds.Contains(d.Id)).ExecuteDeleteAsync(ct);
        }

        if (entry is not null)
        {
            await WriteAsync([entry], ct);
        }
    }

    private async Task<int> WriteBatchAsync(SearchKind kind, List<IndexEntry> entries, CancellationToken ct)
    {
        try
        {
            await db.WithRetriesAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await WriteAsync(entries, ct);
                await transaction.CommitAsync(ct);
            });
        }
        catch (DbUpdateException)
        {
            // Another instance indexed some of them meanwhile: one by one, each replacing what is there.
            foreach (var entry in entries)
            {
                await ReplaceAsync(kind, entry.EntityId, entry, ct);
            }
        }

        return entries.Count;
    }

    /// <summary>Writes documents (through EF, for their ids) and then their postings with plain multi-row INSERTs.</summary>
    private async Task WriteAsync(IReadOnlyList<IndexEntry> entries, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var documents = entries.Select(e =>
        {
            var document = new SearchDocument
            {
                Kind = e.Kind,
                EntityId = e.EntityId,
                Title = e.Title,
                Slug = e.Slug,
                Text = e.Text.Length > SearchText.MaxStoredTextLength ? e.Text[..SearchText.MaxStoredTextLength] : e.Text,
                SortDate = e.SortDate,
                VisibleFromUtc = e.VisibleFromUtc,
                IndexedAtUtc = now,
            };
            foreach (var regionId in e.RegionIds.Distinct())
            {
                document.Regions.Add(new SearchDocumentRegion { RegionId = regionId });
            }

            return document;
        }).ToList();

        db.SearchDocuments.AddRange(documents);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            // Only the index's own entities leave the change tracker; whatever the caller tracks stays.
            foreach (var document in documents)
            {
                foreach (var region in document.Regions)
                {
                    db.Entry(region).State = EntityState.Detached;
                }

                db.Entry(document).State = EntityState.Detached;
            }
        }

        var postings = new List<SearchTerm>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            // Already public when indexed: no time to check when searching (and nothing stored per posting).
            var visibleFrom = entry.VisibleFromUtc is { } from && from > now ? from : (DateTime?)null;
            var titleTerms = SearchText.Terms(entry.Title).ToHashSet(StringComparer.Ordinal);
            foreach (var term in titleTerms.Concat(SearchText.Terms(entry.Text)).Distinct(StringComparer.Ordinal))
            {
                postings.Add(new SearchTerm
                {
                    Term = term,
                    DocumentId = documents[i].Id,
                    InTitle = titleTerms.Contains(term),
                    Kind = entry.Kind,
                    SortDay = entry.SortDate.DayNumber,
                    VisibleFromUtc = visibleFrom,
                });
            }
        }

        await InsertPostingsAsync(postings, ct);
    }

    private async Task InsertPostingsAsync(List<SearchTerm> postings, CancellationToken ct)
    {
        if (postings.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            for (var offset = 0; offset < postings.Count; offset += RowsPerInsert)
            {
                var chunk = postings.Skip(offset).Take(RowsPerInsert).ToList();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder("INSERT INTO SearchTerms (Term, DocumentId, InTitle, Kind, SortDay, VisibleFromUtc) VALUES ");
                for (var i = 0; i < chunk.Count; i++)
                {
                    var p = chunk[i];
                    sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@t{i},@d{i},@i{i},@k{i},@s{i},@v{i})");
                    var n = i.ToString(CultureInfo.InvariantCulture);
                    Add(command, "@t" + n, p.Term);
                    Add(command, "@d" + n, p.DocumentId);
                    Add(command, "@i" + n, p.InTitle);
                    Add(command, "@k" + n, (byte)p.Kind);
                    Add(command, "@s" + n, p.SortDay);
                    Add(command, "@v" + n, p.VisibleFromUtc is { } v ? v : DBNull.Value);
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        if (value is DateTime)
        {
            // SQL Server would otherwise send a datetime (3 ms steps) into the datetime2 column.
            parameter.DbType = System.Data.DbType.DateTime2;
        }

        command.Parameters.Add(parameter);
    }

    private async Task<List<IndexEntry>> ArticleEntriesAsync(IQueryable<Article> articles, CancellationToken ct)
    {
        var rows = await articles.AsNoTracking().PublicOrScheduled()
            .Select(a => new
            {
                a.Id,
                a.Title,
                a.Slug,
                a.Teaser,
                a.Body,
                a.Date,
                a.PublishedAtUtc,
                Regions = a.Regions.Select(r => r.Id).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        return rows.Select(a => new IndexEntry(
            SearchKind.Article,
            a.Id,
            a.Title,
            a.Slug,
            Join(a.Teaser, markdown.ToPlainText(a.Body)),
            a.Date,
            a.PublishedAtUtc,
            a.Regions)).ToList();
    }

    private async Task<List<IndexEntry>> EventEntriesAsync(IQueryable<Event> events, CancellationToken ct)
    {
        var rows = await events.AsNoTracking().Public()
            .Select(e => new
            {
                e.Id,
                e.Title,
                e.Slug,
                e.StartsAtUtc,
                e.Summary,
                e.VenueName,
                e.VenueStreet,
                e.VenueCity,
                e.Organisers,
                e.TargetAudience,
                e.Description,
                Regions = e.Regions.Select(r => r.Id).ToList(),
                Program = e.Sessions.OrderBy(s => s.StartsAtUtc).ThenBy(s => s.SortOrder).Select(s => new { s.Title, s.Speakers, s.Description }).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        return rows.Select(e => new IndexEntry(
            SearchKind.Event,
            e.Id,
            e.Title,
            e.Slug,
            Join(
                [
                    e.Summary, e.VenueName, e.VenueStreet, e.VenueCity, e.Organisers, e.TargetAudience, markdown.ToPlainText(e.Description),
                    .. e.Program.SelectMany(s => new[] { s.Title, s.Speakers, markdown.ToPlainText(s.Description) }),
                ]),
            DateOnly.FromDateTime(BerlinTime.ToLocal(e.StartsAtUtc)),
            null,
            e.Regions)).ToList();
    }

    /// <summary>The parts as one line of plain text, separated by " · ": whitespace collapsed, empty parts left out.</summary>
    private static string Join(params string?[] parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (string.IsNullOrWhiteSpace(part))
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(" ·");
            }

            var pendingSpace = text.Length > 0;
            foreach (var c in part)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    pendingSpace = text.Length > 0;
                    continue;
                }

                if (pendingSpace)
                {
                    text.Append(' ');
                    pendingSpace = false;
                }

                text.Append(c);
            }
        }

        return text.ToString();
    }

    private sealed record IndexEntry(
        SearchKind Kind,
        int EntityId,
        string Title,
        string Slug,
        string Text,
        DateOnly SortDate,
        DateTime? VisibleFromUtc,
        List<int> RegionIds);
}
