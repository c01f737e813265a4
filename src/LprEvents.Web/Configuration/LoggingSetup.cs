using System.Security.Claims;
using Microsoft.AspNetCore.Routing;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace LprEvents.Web.Configuration;

public static class LoggingSetup
{
    /// <summary><c>Logs:Format</c>: <c>Json</c> (default in Production) or <c>Text</c> (default elsewhere).</summary>
    public const string FormatKey = "Logs:Format";

    /// <summary>One JSON object per line: the rendered message (<c>@m</c>), level, time and every property.</summary>
    public const string JsonFormatter = "Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact";

    /// <summary>Serilog from the <c>Serilog</c> configuration section: console and rolling files by default.</summary>
    public static WebApplicationBuilder AddLprLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ILogEventEnricher, RequestLogEnricher>();
        builder.Services.AddSingleton<AbandonedRequestDatabaseErrors>();
        // preserveStaticLogger: several test hosts start in one process; a frozen global logger would fail them.
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(IsJson(builder.Configuration, builder.Environment) ? WithJsonSinks(builder.Configuration) : builder.Configuration)
                .ReadFrom.Services(services)
                // Whatever the configuration says, never below these floors: MVC logs every action argument at Verbose
                // (private tokens, set-password tokens, passwords), Kestrel logs a malformed request line with its full
                // target at Debug, inside an exception's message, which no enricher can rewrite. Floors only: a higher
                // configured level (Production's "Microsoft": "Warning") stays, else every request would write
                // eight Debug lines.
                .MinimumLevel.Override(ControllerActionInvoker, AtLeast(builder.Configuration, ControllerActionInvoker, LogEventLevel.Debug))
                .MinimumLevel.Override(KestrelBadRequests, AtLeast(builder.Configuration, KestrelBadRequests, LogEventLevel.Information))
                .Enrich.FromLogContext()
                .Enrich.With<SecretMasking>()
                .Filter.With(services.GetRequiredService<AbandonedRequestDatabaseErrors>()),
            preserveStaticLogger: true);
        return builder;
    }

    private const string ControllerActionInvoker = "Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker";
    private const string KestrelBadRequests = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    /// <summary>
    /// The level the <c>Serilog:MinimumLevel</c> section gives <paramref name="sourceContext"/> (the longest matching
    /// override, else the default, else Information), raised to <paramref name="floor"/>.
    /// </summary>
    internal static LogEventLevel AtLeast(IConfiguration configuration, string sourceContext, LogEventLevel floor)
    {
        var section = configuration.GetSection("Serilog:MinimumLevel");
        var configured = section.Value ?? section["Default"];
        var matched = -1;
        foreach (var entry in section.GetSection("Override").GetChildren())
        {
            var name = entry.Key;
            var matches = sourceContext.Equals(name, StringComparison.Ordinal)
                || sourceContext.StartsWith(name + ".", StringComparison.Ordinal);
            if (matches && name.Length > matched && entry.Value is not null)
            {
                matched = name.Length;
                configured = entry.Value;
            }
        }

        var level = Enum.TryParse<LogEventLevel>(configured, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        return level < floor ? floor : level;
    }

    /// <summary>Json unless <see cref="FormatKey"/> says otherwise, in Production; text elsewhere.</summary>
    public static bool IsJson(IConfiguration configuration, IHostEnvironment environment) =>
        configuration[FormatKey] is { Length: > 0 } format
            ? string.Equals(format, "Json", StringComparison.OrdinalIgnoreCase)
            : environment.IsProduction();

    /// <summary>
    /// The configuration with every console and file sink writing compact JSON instead of its text template, so
    /// that an operator's own sink settings (paths, rotation, levels) stay as they are (docs/operations.md).
    /// </summary>
    public static IConfiguration WithJsonSinks(IConfiguration configuration)
    {
        var values = configuration.GetSection("Serilog").AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var template in values.Keys.Where(k => k.EndsWith(":Args:outputTemplate", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            var sink = template[..^":Args:outputTemplate".Length];
            if (values.GetValueOrDefault(sink + ":Name") is { } name
                && (name.Equals("Console", StringComparison.OrdinalIgnoreCase) || name.Equals("File", StringComparison.OrdinalIgnoreCase)))
            {
                values.Remove(template);
                values[sink + ":Args:formatter"] = JsonFormatter;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    public static WebApplication UseLprRequestLogging(this WebApplication app)
    {
        // Paths and status only: query strings may carry search terms, so they are not logged.
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            // A request its client gave up on (closed the connection, a load test ending) is no server error: logged
            // at Debug as 499, like ASP.NET Core's exception handler does, instead of an Error line with "500".
            o.GetLevel = (context, _, ex) => Abandoned(context, ex) ? LogEventLevel.Debug
                : ex is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : LogEventLevel.Information;
            // With preserveStaticLogger the static Log.Logger stays silent: use the app's own logger.
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            // A private link's token is a password: the log keeps only the page, never the token.
            o.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new Serilog.Events.LogEventProperty("RequestMethod", new Serilog.Events.ScalarValue(context.Request.Method)),
                new Serilog.Events.LogEventProperty("RequestPath", new Serilog.Events.ScalarValue(SecretMasking.MaskLogText(path))),
                new Serilog.Events.LogEventProperty("StatusCode", new Serilog.Events.ScalarValue(status == 500 && context.RequestAborted.IsCancellationRequested ? 499 : status)),
                new Serilog.Events.LogEventProperty("Elapsed", new Serilog.Events.ScalarValue(elapsed)),
            ];
        });
        return app;
    }

    /// <summary>Whether the request ended because its client went away (the exception is the cancellation that followed).</summary>
    internal static bool Abandoned(HttpContext context, Exception? ex) =>
        ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested;
}

/// <summary>
/// Adds to every event logged while a request runs: <c>RequestId</c> (the request's TraceIdentifier, also in the
/// <c>X-Request-Id</c>-less error pages' logs), <c>Route</c> (the matched route template, e.g.
/// <c>anmeldung/{token}</c>, never the path with its values) and <c>UserId</c> (a signed-in editor's account id;
/// never a name or an e-mail address). Participants have no account: nothing about them is added.
/// </summary>
public sealed class RequestLogEnricher(IHttpContextAccessor accessor) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (accessor.HttpContext is not { } context)
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(new LogEventProperty("RequestId", new ScalarValue(context.TraceIdentifier)));
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("Route", new ScalarValue(route)));
        }

        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("UserId", new ScalarValue(userId)));
        }
    }
}

/// <summary>
/// A client that goes away while its request is in a database transaction (a closed browser tab, wrk at the end of a
/// round) cancels the commit or rollback, and EF Core logs "An error occurred using a transaction" (or a failed
/// command) at Error, without an exception: an alarm for nothing. Such database lines of a request whose client has
/// gone are dropped; the request itself is logged as 499 at Debug (<see cref="LoggingSetup.Abandoned"/>). A real
/// database failure reaches the request, which logs it at Error with its exception.
/// </summary>
public sealed class AbandonedRequestDatabaseErrors(IHttpContextAccessor accessor) : ILogEventFilter
{
    private const string EfDatabase = "\"Microsoft.EntityFrameworkCore.Database.";

    public bool IsEnabled(LogEvent logEvent)
    {
        if (logEvent.Level < LogEventLevel.Warning
            || !logEvent.Properties.TryGetValue(Serilog.Core.Constants.SourceContextPropertyName, out var source)
            || !source.ToString().StartsWith(EfDatabase, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return accessor.HttpContext?.RequestAborted.IsCancellationRequested != true;
        }
        catch (ObjectDisposedException)
        {
            // A request context being recycled: keep the line rather than lose a real error (Serilog drops an
            // event whose filter throws).
            return true;
        }
    }
}

