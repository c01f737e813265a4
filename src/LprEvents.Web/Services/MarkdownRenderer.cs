using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using LprEvents.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services;

/// <summary>
/// The one place Markdown becomes HTML (STYLE.md 7). Markdig runs with raw HTML disabled; it still emits
/// <c>javascript:</c> links and, with some extensions, attributes, so its output goes through an allow-list
/// sanitizer as well. A Markdown <c># heading</c> becomes <c>h2</c>: the page's own title is its only <c>h1</c>.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly string[] AllowedTags =
    [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "s", "sub", "sup", "mark",
        "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img",
        "abbr", "dl", "dt", "dd",
    ];

    private static readonly string[] AllowedAttributes = ["href", "src", "alt", "title", "id", "start", "colspan", "rowspan", "lang"];

    private readonly MarkdownPipeline _pipeline;
    private readonly HtmlSanitizer _sanitizer;

    private readonly string _publicBaseUrl;

    public MarkdownRenderer(IOptions<SiteOptions> site)
    {
        _publicBaseUrl = site.Value.PublicBaseUrl;
        _pipeline = new MarkdownPipelineBuilder()
            .DisableHtml()
            .UseEmphasisExtras()
            .UsePipeTables()
            .UseListExtras()
            .UseAutoLinks()
            .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
            .Build();

        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(AllowedTags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(AllowedAttributes, StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto", "tel"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src"], StringComparer.OrdinalIgnoreCase),
        });
        _sanitizer.AllowDataAttributes = false;
        // A second line behind the check in Render: no image address from elsewhere survives into the HTML.
        _sanitizer.FilterUrl += (_, e) =>
        {
            if (e.Tag.NodeName.Equals("IMG", StringComparison.OrdinalIgnoreCase) && !MediaStorage.IsOwnMediaUrl(e.SanitizedUrl, _publicBaseUrl))
            {
                e.SanitizedUrl = null;
            }
        };
    }

    public string Render(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var document = Markdown.Parse(markdown, _pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Max(heading.Level, 2);
        }

        // Images in the body come from the portal's own media library only: readers' browsers ask no other server
        // (CSP img-src 'self' would block them, but they should not be in the page at all). The publishing gate
        // names such images to the editor; here an image from elsewhere is replaced by its alternative text.
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage && !MediaStorage.IsOwnMediaUrl(l.Url, _publicBaseUrl)).ToList())
        {
            var alt = string.Concat(image.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
            if (alt.Length > 0)
            {
                image.ReplaceBy(new LiteralInline(alt), copyChildren: false);
            }
            else
            {
                image.Remove();
            }
        }

        var html = document.ToHtml(_pipeline);
        return _sanitizer.Sanitize(html);
    }

    /// <summary>Plain text of the Markdown, for meta descriptions and search.</summary>
    public string ToPlainText(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Markdown.ToPlainText(markdown, _pipeline).Trim();
}
