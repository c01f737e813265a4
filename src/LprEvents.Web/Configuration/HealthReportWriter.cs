using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Plain text for <c>/health/ready</c>: the overall status on the first line (a healthy answer is just
/// <c>Healthy</c>, as load balancers expect), then, when something is not healthy, one line per check that is
/// not, with its description (e.g. the age of the oldest waiting e-mail). Never exception details.
/// </summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var text = new StringBuilder(report.Status.ToString());
        if (report.Status != HealthStatus.Healthy)
        {
            foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
            {
                text.Append('\n').Append(name).Append(": ").Append(entry.Status);
                if (!string.IsNullOrEmpty(entry.Description) && entry.Exception is null)
                {
                    text.Append(" – ").Append(entry.Description);
                }
            }
        }

        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}
