using System.Security.Cryptography;
using System.Text;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using LprEvents.Web.Configuration;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services;

/// <summary>
/// The one place Markdown becomes HTML (STYLE.md 7). Markdig runs with raw HTML disabled; it still emits
/// <c>javascript:</c> links and, with some extensions, attributes, so its output goes through an allow-list
/// sanitizer as well. A Markdown <c># heading</c> becomes <c>h2</c>: the page's own title is its only <c>h1</c>.
/// </summary>
public sealed class MarkdownRenderer : IDisposable
{
    private static readonly string[] AllowedTags =
    [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "s", "sub", "sup", "mark",
        "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img",
        "abbr", "dl", "dt", "dd",
    ];

    private static readonly string[] AllowedAttributes = ["href", "src", "alt", "title", "id", "start", "colspan", "rowspan", "lang"];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseListExtras()
        .UseAutoLinks()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .Build();

    // Parsing and sanitising cost far more than a page's other work: each distinct text is rendered once and kept
    // by the hash of its source (a changed text is a new key, nothing to evict). Sizes are in characters.
    private static readonly MemoryCache Descriptions = new(new MemoryCacheOptions { SizeLimit = 4_000_000 });

    private readonly MemoryCache _rendered = new(new MemoryCacheOptions { SizeLimit = 32_000_000 });

    private readonly MarkdownPipeline _pipeline;
    private readonly HtmlSanitizer _sanitizer;

    private readonly string _publicBaseUrl;

    public MarkdownRenderer(IOptions<SiteOptions> site)
    {
        _publicBaseUrl = site.Value.PublicBaseUrl;
        _pipeline = Pipeline;

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

        var key = Hash(markdown);
        if (_rendered.TryGetValue(key, out string? cached))
        {
            return cached!;
        }

        var html = RenderUncached(markdown);
        _rendered.Set(key, html, new MemoryCacheEntryOptions { Size = Math.Max(1, html.Length), SlidingExpiration = TimeSpan.FromDays(1) });
        return html;
    }

    private string RenderUncached(string markdown)
    {
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

    public void Dispose() => _rendered.Dispose();

    /// <summary>Plain text of the Markdown, for meta descriptions and search.</summary>
    public string ToPlainText(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Markdown.ToPlainText(markdown, _pipeline).Trim();

    /// <summary>
    /// What describes an article in lists, search engines and link previews: the teaser, or without one the first
    /// sentences of the body as plain text (headings left out), about <paramref name="max"/> characters, cut after a
    /// sentence or else at a word with "…".
    /// </summary>
    public static string Describe(string? teaser, string? body, int max = 160)
    {
        if (!string.IsNullOrWhiteSpace(teaser))
        {
            return teaser.Trim();
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        var key = $"{max}:{Hash(body)}";
        if (Descriptions.TryGetValue(key, out string? cached))
        {
            return cached!;
        }

        var description = DescribeUncached(body, max);
        Descriptions.Set(key, description, new MemoryCacheEntryOptions { Size = Math.Max(1, description.Length), SlidingExpiration = TimeSpan.FromDays(1) });
        return description;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string DescribeUncached(string body, int max)
    {
        var document = Markdown.Parse(body, Pipeline);
        foreach (var block in document.Descendants<Block>().Where(b => b is HeadingBlock or ThematicBreakBlock or CodeBlock or Markdig.Extensions.Tables.Table).ToList())
        {
            block.Parent?.Remove(block);
        }

        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
        Pipeline.Setup(renderer);
        renderer.Render(document);
        var text = string.Join(' ', writer.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Shorten(text, max);
    }

    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        // After the last full sentence that fits, if that keeps at least half of the room.
        for (var i = max - 1; i >= max / 2; i--)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || text[i + 1] == ' ') && !EndsWithAbbreviation(text, i))
            {
                return text[..(i + 1)];
            }
        }

        var cut = text.LastIndexOf(' ', max - 1);
        var head = (cut > max / 2 ? text[..cut] : text[..(max - 1)]).TrimEnd(' ', ',', ';', ':', '-', '–');
        return head + "…";
    }

    // "z. B." or "e. V." do not end a sentence: a single letter before the dot means an abbreviation.
    private static bool EndsWithAbbreviation(string text, int dot) =>
        dot >= 1 && char.IsLetter(text[dot - 1]) && (dot == 1 || !char.IsLetter(text[dot - 2]));
}
