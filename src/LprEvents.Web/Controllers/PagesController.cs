using Microsoft.AspNetCore.Mvc;

namespace LprEvents.Web.Controllers;

/// <summary>The legally required pages of a German public body's website.</summary>
public sealed class PagesController : Controller
{
    [HttpGet("impressum")]
    public IActionResult Impressum() => View();

    [HttpGet("datenschutz")]
    public IActionResult Datenschutz() => View();

    [HttpGet("barrierefreiheit")]
    public IActionResult Barrierefreiheit() => View();
}
