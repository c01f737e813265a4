namespace LprEvents.Web.Services.Search;

/// <summary>
/// At start, indexes what the search index lacks (an existing database, the demo content, articles written by an
/// older version) and drops what is no longer public. A few documents are indexed before the site answers; a large
/// backlog (e.g. after an upgrade with 100,000 articles) is indexed in the background while the site runs, and
/// searches find more as it goes. Several instances may do this at once: each document is written once.
/// </summary>
public sealed class SearchIndexStartup(IServiceScopeFactory scopes, ILogger<SearchIndexStartup> logger) : IHostedService, IDisposable
{
    /// <summary>Up to this many missing documents are indexed before the site starts answering.</summary>
    public const int IndexBeforeStart = 2000;

    private readonly CancellationTokenSource _stopping = new();
    private Task? _background;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            int missing;
            using (var scope = scopes.CreateScope())
            {
                missing = await scope.ServiceProvider.GetRequiredService<SearchIndexer>().CountMissingAsync(IndexBeforeStart + 1, cancellationToken);
            }

            if (missing <= IndexBeforeStart)
            {
                await IndexMissingAsync(cancellationToken);
            }
            else
            {
                logger.LogInformation("Search index: more than {Count} articles and events to index; indexing in the background", IndexBeforeStart);
                _background = Task.Run(() => IndexMissingAsync(_stopping.Token), CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Search is not worth refusing to start over; the next start (or the reindex command) catches up.
            logger.LogError(ex, "Search index: could not index missing articles and events at start");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_background is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAny(_background, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    public void Dispose() => _stopping.Dispose();

    private async Task IndexMissingAsync(CancellationToken ct)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var written = await scope.ServiceProvider.GetRequiredService<SearchIndexer>().IndexMissingAsync(ct);
            if (written > 0)
            {
                logger.LogInformation("Search index: {Count} articles and events indexed", written);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Search index: indexing missing articles and events failed");
        }
    }
}
