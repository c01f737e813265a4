using LprEvents.Web.Services.Search;

namespace LprEvents.Web.Configuration;

/// <summary>The site search (docs/decisions/0021): the indexer and the start-up pass that fills in what is missing.</summary>
public static class SearchSetup
{
    public static WebApplicationBuilder AddLprSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SearchIndexer>();
        builder.Services.AddHostedService<SearchIndexStartup>();
        return builder;
    }
}
