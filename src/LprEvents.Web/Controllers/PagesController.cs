using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace LprEvents.Web.Controllers;

/// <summary>The legally required pages of a German public body's website.</summary>
[OutputCache(PolicyName = Caching.PublicPage)]
public sealed class PagesController : Controller
{
    [HttpGet("impressum")]
    public IActionResult Impressum() => View();

    [HttpGet("datenschutz")]
    public IActionResult Datenschutz() => View();

    [HttpGet("barrierefreiheit")]
    public IActionResult Barrierefreiheit() => View();
}
