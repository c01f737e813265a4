using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Mvc;

namespace LprEvents.Web.Controllers;

/// <summary>
/// XML written straight into the response as it is produced (the sitemap's tens of thousands of addresses are never
/// held in memory). Asynchronous throughout: Kestrel refuses synchronous writes.
/// </summary>
internal sealed class XmlStreamResult(string contentType, Func<XmlWriter, CancellationToken, Task> write) : IActionResult
{
    private static readonly XmlWriterSettings Settings = new() { Async = true, Encoding = new UTF8Encoding(false) };

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.ContentType = contentType;
        await using var writer = XmlWriter.Create(response.Body, Settings);
        await writer.WriteStartDocumentAsync();
        await write(writer, context.HttpContext.RequestAborted);
        await writer.WriteEndDocumentAsync();
        await writer.FlushAsync();
    }
}
