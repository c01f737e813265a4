using LprEvents.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Support;

/// <summary>The application with EF Core interceptors on its DbContext: to watch or to stage what the database does.</summary>
public sealed class InterceptingWebFactory(params IInterceptor[] interceptors) : LprWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<SqliteLprEventsDbContext>(o => o.AddInterceptors(interceptors)));
    }
}
