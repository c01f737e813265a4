using AngleSharp.Dom;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Services;
using Microsoft.Extensions.Options;

namespace LprEvents.Tests.Services;

public sealed class MarkdownRendererTests
{
    private static readonly MarkdownRenderer Renderer = new(Options.Create(new SiteOptions { PublicBaseUrl = "https://veranstaltungen.example" }));

    private static readonly string[] SafeSchemes = ["http", "https", "mailto", "tel"];

    /// <summary>Hostile Markdown: every way we know to get script into the page through an editor's text.</summary>
    public static TheoryData<string> HostileInputs() =>
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[klick](  javascript:alert(1)  )",
        "[klick](java\tscript:alert(1))",
        "[klick](&#106;avascript:alert(1))",
        "[klick](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
        "[klick](javascript&colon;alert(1))",
        "[klick](vbscript:msgbox(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![bild](javascript:alert(1))",
        "[klick][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[klick](https://example.org \"x\\\" onmouseover=\\\"alert(1)\")",
        "[a](https://example.org){onclick=alert(1)}",
        "# Titel {onclick=alert(1) style=\"color:red\"}",
        "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<object data=\"javascript:alert(1)\"></object>",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "[x](https://example.org\"onmouseover=\"alert(1))",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<base href=\"javascript:alert(1)//\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    ];

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Render_WithHostileInput_EmitsNothingExecutable(string markdown)
    {
        var html = Renderer.Render(markdown);
        var document = Html.Parse($"<body>{html}</body>");

        Assert.Empty(document.QuerySelectorAll("script, iframe, object, embed, form, svg, math, base, meta, style, link"));
        foreach (var element in document.Body!.Descendants<IElement>())
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler attribute in: {html}");
                Assert.NotEqual("style", attribute.Name);
                if (attribute.Name is "href" or "src")
                {
                    var value = attribute.Value.Trim();
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    var slash = value.IndexOf('/', StringComparison.Ordinal);
                    if (colon >= 0 && (slash < 0 || colon < slash))
                    {
                        Assert.Contains(value[..colon].ToLowerInvariant(), SafeSchemes);
                    }
                }
            }
        }
    }

    [Fact]
    public void Render_MarkdownHeadingLevelOne_BecomesH2SoThePageKeepsOneH1()
    {
        var html = Renderer.Render("# Rückblick\n\nText\n\n## Ausblick\n\n### Termine");

        Assert.Contains("<h2 id=\"rückblick\">Rückblick</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"ausblick\">Ausblick</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h3", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OrdinaryMarkdown_KeepsLinksListsAndEmphasis()
    {
        var html = Renderer.Render("Ein **wichtiger** Hinweis: [Übersicht](/veranstaltungen) und [LPR](https://www.lpr.sachsen.de).\n\n- eins\n- zwei");
        var document = Html.Parse($"<body>{html}</body>");

        Assert.Equal("wichtiger", document.Text("strong"));
        Assert.Equal(["/veranstaltungen", "https://www.lpr.sachsen.de"], document.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["eins", "zwei"], document.Texts("li"));
    }

    [Fact]
    public void Render_RawHtmlInMarkdown_IsShownAsTextNotMarkup()
    {
        var html = Renderer.Render("Vorher <b>fett</b> nachher");

        Assert.Contains("&lt;b&gt;fett&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ExternalImage_IsDroppedBecauseOnlyOwnMediaMayLoad()
    {
        var document = Html.Parse($"<body>{Renderer.Render("![Logo](https://tracker.example/pixel.gif) ![Foto](/medien/foto-960.jpg)")}</body>");

        var sources = document.QuerySelectorAll("img").Select(i => i.GetAttribute("src")).Where(s => !string.IsNullOrEmpty(s)).ToList();
        Assert.Equal(["/medien/foto-960.jpg"], sources);
    }

    /// <summary>Images that would make a reader's browser ask another server (or carry their own bytes).</summary>
    public static TheoryData<string> ForeignImages() =>
    [
        "![Foto](http://evil.example/x.png)",
        "![Foto](https://evil.example/x.png)",
        "![Foto](HTTPS://EVIL.EXAMPLE/x.png)",
        "![Foto](//evil.example/x.png)",
        "![Foto](  //evil.example/x.png  )",
        "![Foto](</ /evil.example/x.png>)",
        "![Foto](<\t//evil.example/x.png>)",
        "![Foto](/\\evil.example/x.png)",
        "![Foto](&#47;&#47;evil.example/x.png)",
        "![Foto](data:image/png;base64,iVBORw0KGgo=)",
        "![Foto](DATA:image/png;base64,iVBORw0KGgo=)",
        "![Foto](https://veranstaltungen.example@evil.example/medien/x.png)",
        "![Foto](https://veranstaltungen.example.evil.example/medien/x.png)",
        "![Foto](ftp://veranstaltungen.example/medien/x.png)",
        "![Foto][bild]\n\n[bild]: https://evil.example/x.png",
        "[![Foto](https://evil.example/x.png)](/veranstaltungen)",
    ];

    [Theory]
    [MemberData(nameof(ForeignImages))]
    public void Render_ImageFromAnotherServer_IsNotInTheHtml(string markdown)
    {
        var html = Renderer.Render(markdown);
        var document = Html.Parse($"<body>{html}</body>");

        Assert.DoesNotContain("evil.example", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(document.QuerySelectorAll("img"), img => Assert.StartsWith("/medien/", img.GetAttribute("src") ?? "/medien/", StringComparison.Ordinal));
        Assert.Empty(document.QuerySelectorAll("img:not([src^='/medien/'])"));
    }

    /// <summary>Paths that start in the media folder and climb out of it: the reader's browser would fetch an admin page.</summary>
    [Theory]
    [InlineData("![a](/medien/../admin/konto/zwei-faktor)")]
    [InlineData("![a](/medien/%2e%2e/admin/benutzer)")]
    [InlineData("![a](/medien/%2E%2E/admin/benutzer)")]
    [InlineData("![a](/medien/./../admin)")]
    [InlineData("![a](/medien/unter/ordner.jpg)")]
    [InlineData("![a](https://veranstaltungen.example/medien/../admin/benutzer)")]
    [InlineData("![a](https://veranstaltungen.example/medien/%2e%2e/admin/benutzer)")]
    public void Render_ImagePathLeavingTheMediaFolder_IsNotInTheHtml(string markdown)
    {
        var html = Renderer.Render(markdown);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", html, StringComparison.Ordinal);
        Assert.NotEmpty(LprEvents.Web.Services.Publishing.PublishingGate.Check("Titel", markdown, null, null, hasLeadImage: false, "https://veranstaltungen.example"));
    }

    [Theory]
    [InlineData("![Foto](/medien/foto-960.jpg)", "/medien/foto-960.jpg")]
    [InlineData("![Foto](https://veranstaltungen.example/medien/foto-960.jpg)", "https://veranstaltungen.example/medien/foto-960.jpg")]
    [InlineData("![Foto](HTTPS://Veranstaltungen.Example/medien/foto-960.jpg)", "https://veranstaltungen.example/medien/foto-960.jpg")]
    public void Render_ImageFromTheMediaLibrary_IsShown(string markdown, string expected)
    {
        var document = Html.Parse($"<body>{Renderer.Render(markdown)}</body>");

        Assert.Equal(expected, document.QuerySelector("img")?.GetAttribute("src"), ignoreCase: true);
        Assert.Equal("Foto", document.QuerySelector("img")?.GetAttribute("alt"));
    }

    [Fact]
    public void Render_EmptyInput_ReturnsEmpty()
    {
        Assert.Equal("", Renderer.Render(null));
        Assert.Equal("", Renderer.Render("   "));
    }
}
