using LprEvents.Web.Services;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Outside Development the site is https only (its cookies are Secure, so forms cannot work over http). A page
/// asked for over plain http is redirected to the same path on <c>Site:PublicBaseUrl</c> (never to the request's
/// Host); anything else gets a plain German 400. Health checks stay reachable over http for load balancers.
/// A reverse proxy that terminates TLS must be listed in ReverseProxy:KnownProxies, or its requests look like
/// plain http too (the start-up warning and docs/operations.md say so).
/// </summary>
public static partial class HttpsOnly
{
    public static IApplicationBuilder UseHttpsOnly(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            return app;
        }

        var urls = app.Services.GetRequiredService<PublicUrls>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpsOnly).FullName!);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            // Probes and the metrics scraper talk to the instance directly (metrics access: MetricsSetup).
            if (request.IsHttps
                || request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                || request.Path.StartsWithSegments(MetricsSetup.Path, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            LogPlainHttp(logger, request.Method);
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            {
                context.Response.Redirect(urls.Absolute(request.Path.Value ?? "/") + request.QueryString, permanent: true, preserveMethod: true);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Diese Website ist nur über HTTPS erreichbar.", context.RequestAborted);
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Method} request arrived over plain http and was turned away. If a reverse proxy terminates TLS, list its address in ReverseProxy:KnownProxies (docs/operations.md).")]
    private static partial void LogPlainHttp(ILogger logger, string method);
}
