using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LprEvents.Web.Controllers;

/// <summary>Friendly German error pages in the site's layout; reached by re-execution, never linked.</summary>
[Route("fehler")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    [Route("")]
    public IActionResult ServerError()
    {
        // The exception handler middleware has logged the exception already. A locked, overloaded or unreachable
        // database is a passing state, not a bug: 503 with Retry-After, and a page that says so (ADR 0027).
        if (DatabaseAvailability.IsUnavailable(HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error))
        {
            DatabaseAvailability.MarkUnavailable(Response);
            return View("Error", StatusCodes.Status503ServiceUnavailable);
        }

        // A request Kestrel refused while it was being read (too large, too slow, malformed) is the client's: 4xx.
        if (HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException { StatusCode: >= 400 and < 500 } bad)
        {
            Response.StatusCode = bad.StatusCode;
            return View("Error", bad.StatusCode);
        }

        Response.StatusCode = StatusCodes.Status500InternalServerError;
        return View("Error", 500);
    }

    [Route("{code:int}")]
    public IActionResult Status()
    {
        // Only pages reached by re-execution keep their original status; a direct visit is a plain 404. The code
        // comes from the route values, not from a bound parameter: a re-executed POST brings its form along, and
        // model binding would read it (every value provider is created for any parameter, [FromRoute] or not); an
        // unreadable form (%00, too many fields) then left the code at 0, and the page said 404 (ADR 0027).
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        var code = int.TryParse(RouteData.Values["code"] as string, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;
        var status = reExecuted && code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        Response.StatusCode = status;
        return View("Error", status);
    }
}
