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

        Response.StatusCode = StatusCodes.Status500InternalServerError;
        return View("Error", 500);
    }

    [Route("{code:int}")]
    public IActionResult Status([FromRoute] int code)
    {
        // Only pages reached by re-execution keep their original status; a direct visit is a plain 404. The code
        // comes from the route only: a re-executed POST brings its form along, which may be unreadable or forged.
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        var status = reExecuted && code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        Response.StatusCode = status;
        return View("Error", status);
    }
}
