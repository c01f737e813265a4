using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Section <c>Limits</c>: what one request may cost the server (docs/operations.md, ADR 0027). Every value is set
/// here on purpose rather than left to Kestrel's defaults; each can be overridden in configuration.
/// </summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Any request body but a media upload: forms, including the longest article in the editor, stay far below.
    /// Media uploads have their own limit on their action (MediaLibrary.MaxPdfBytes + 1 MiB).
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A body slower than this (bytes per second, after <see cref="MinDataRateGraceSeconds"/>) is dropped: slow-loris uploads.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Responses too: a client that reads slower than this is dropped.</summary>
    public double MinResponseBytesPerSecond { get; set; } = 240;

    public int MinDataRateGraceSeconds { get; set; } = 5;

    /// <summary>The request line and headers must arrive within this time, or the connection is closed (408).</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>An idle kept-alive connection is closed after this; longer than nginx's upstream keep-alive (60 s).</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 75;

    /// <summary>All request headers together (an editor's cookies are a few KiB).</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Form fields per request: the largest admin form (an event with its sessions) has a few hundred.</summary>
    public int FormValueCountLimit { get; set; } = 1024;

    /// <summary>One form value: an article's Markdown.</summary>
    public int FormValueLengthBytes { get; set; } = 1024 * 1024;

    public int FormKeyLengthBytes { get; set; } = 2048;
}

public static class RequestLimits
{
    public static WebApplicationBuilder AddLprRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RequestLimitsOptions.SectionName).Get<RequestLimitsOptions>() ?? new RequestLimitsOptions();
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            o.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(limits.MinDataRateGraceSeconds));
            o.Limits.MinResponseDataRate = new MinDataRate(limits.MinResponseBytesPerSecond, TimeSpan.FromSeconds(limits.MinDataRateGraceSeconds));
            o.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
            o.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
            o.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            o.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
        });
        builder.Services.Configure<FormOptions>(o =>
        {
            o.ValueCountLimit = limits.FormValueCountLimit;
            o.ValueLengthLimit = limits.FormValueLengthBytes;
            o.KeyLengthLimit = limits.FormKeyLengthBytes;
            o.MultipartBodyLengthLimit = Math.Max(limits.MaxRequestBodyBytes, Services.Media.MediaLibrary.MaxPdfBytes + (1024 * 1024));
        });
        return builder;
    }

    /// <summary>
    /// After routing, which applies an action's own limit (media uploads): a body announced larger than the limit
    /// gets 413 and the German error page before anything reads it. (Read later, Kestrel's exception would reach
    /// antiforgery first, which turns it into a 400.)
    /// </summary>
    public static WebApplication UseLprRequestSizeCheck(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
                && context.Request.ContentLength is { } length
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { MaxRequestBodySize: { } max }
                && length > max)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                context.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }
}
