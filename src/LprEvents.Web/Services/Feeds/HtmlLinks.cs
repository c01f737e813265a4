using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;

namespace LprEvents.Web.Services.Feeds;

/// <summary>
/// Makes the links and image addresses of rendered HTML absolute. A feed reader shows an entry outside the site, where
/// <c>/medien/…</c> or <c>#abschnitt</c> would point nowhere (or, resolved against the feed's address, somewhere else).
/// </summary>
public static partial class HtmlLinks
{
    private static readonly HtmlParser Parser = new();

    /// <param name="html">Sanitised HTML (<see cref="MarkdownRenderer.Render"/>).</param>
    /// <param name="pageUrl">The absolute address of the page the HTML belongs to, from <see cref="PublicUrls"/>.</param>
    public static string MakeAbsolute(string html, string pageUrl)
    {
        if (html.Length == 0)
        {
            return html;
        }

        var page = new Uri(pageUrl, UriKind.Absolute);
        var document = Parser.ParseDocument("");
        var body = document.Body!;
        body.InnerHtml = html;
        foreach (var (element, attribute) in body.QuerySelectorAll("[href]").Select(e => (e, "href")).Concat(body.QuerySelectorAll("[src]").Select(e => (e, "src"))))
        {
            var value = element.GetAttribute(attribute)!;
            // Already absolute ("https:", "mailto:") stays as it is; "//host/…" is left alone as the sanitizer allowed it.
            if (HasScheme().IsMatch(value) || value.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (Uri.TryCreate(page, value, out var absolute))
            {
                element.SetAttribute(attribute, absolute.AbsoluteUri);
            }
        }

        return body.InnerHtml;
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex HasScheme();
}
