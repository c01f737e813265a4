using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace LprEvents.Tests.Support;

/// <summary>Reads pages the way a reader would: by their elements and visible text.</summary>
public static class Html
{
    private static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    public static async Task<(HttpResponseMessage Response, IDocument Document)> GetPageAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, Parse(body));
    }

    public static string Text(this IDocument document, string selector) =>
        Normalise(document.QuerySelector(selector)?.TextContent ?? throw new Xunit.Sdk.XunitException($"No element matches '{selector}'."));

    public static IReadOnlyList<string> Texts(this IDocument document, string selector) =>
        document.QuerySelectorAll(selector).Select(e => Normalise(e.TextContent)).ToList();

    public static string BodyText(this IDocument document) => Normalise(document.Body?.TextContent ?? "");

    public static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
