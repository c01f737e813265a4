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
                // Whatever the configuration says: MVC logs every action argument at Verbose (private tokens,
                // set-password tokens, passwords), Kestrel logs a malformed request line with its full target at
                // Debug, inside an exception's message, which no enricher can rewrite.
                .MinimumLevel.Override("Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker", LogEventLevel.Debug)
                .MinimumLevel.Override("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogEventLevel.Information)
                .Enrich.FromLogContext()
                .Enrich.With<SecretMasking>(),
            preserveStaticLogger: true);
        return builder;
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
