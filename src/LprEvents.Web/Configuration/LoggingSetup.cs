using Serilog;
using Serilog.Events;

namespace LprEvents.Web.Configuration;

public static class LoggingSetup
{
    /// <summary>Serilog from the <c>Serilog</c> configuration section: console and rolling files by default.</summary>
    public static WebApplicationBuilder AddLprLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger: several test hosts start in one process; a frozen global logger would fail them.
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                // Whatever the configuration says, never below these floors: MVC logs every action argument at Verbose
                // (private tokens, set-password tokens, passwords), Kestrel logs a malformed request line with its full
                // target at Debug, inside an exception's message, which no enricher can rewrite. Floors only: a higher
                // configured level (Production's "Microsoft": "Warning") stays, else every request would write
                // eight Debug lines.
                .MinimumLevel.Override(ControllerActionInvoker, AtLeast(builder.Configuration, ControllerActionInvoker, LogEventLevel.Debug))
                .MinimumLevel.Override(KestrelBadRequests, AtLeast(builder.Configuration, KestrelBadRequests, LogEventLevel.Information))
                .Enrich.FromLogContext()
                .Enrich.With<SecretMasking>(),
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

    public static WebApplication UseLprRequestLogging(this WebApplication app)
    {
        // Paths and status only: query strings may carry search terms, so they are not logged.
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            // With preserveStaticLogger the static Log.Logger stays silent: use the app's own logger.
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            // A private link's token is a password: the log keeps only the page, never the token.
            o.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new Serilog.Events.LogEventProperty("RequestMethod", new Serilog.Events.ScalarValue(context.Request.Method)),
                new Serilog.Events.LogEventProperty("RequestPath", new Serilog.Events.ScalarValue(SecretMasking.MaskLogText(path))),
                new Serilog.Events.LogEventProperty("StatusCode", new Serilog.Events.ScalarValue(status)),
                new Serilog.Events.LogEventProperty("Elapsed", new Serilog.Events.ScalarValue(elapsed)),
            ];
        });
        return app;
    }
}
