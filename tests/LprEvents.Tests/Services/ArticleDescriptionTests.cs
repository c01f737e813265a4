using LprEvents.Web.Services;

namespace LprEvents.Tests.Services;

public sealed class ArticleDescriptionTests
{
    [Fact]
    public void Describe_WithATeaser_IsTheTeaser()
    {
        Assert.Equal("Kurz berichtet.", MarkdownRenderer.Describe(" Kurz berichtet. ", "Ein langer Text."));
    }

    [Fact]
    public void Describe_WithoutATeaser_IsThePlainTextOfTheBodyWithoutHeadingsOrMarkup()
    {
        var description = MarkdownRenderer.Describe("", "## Rückblick\n\nViel **Austausch** mit [der Polizei](https://polizei.sachsen.de).\n\n- Erstens");

        Assert.Equal("Viel Austausch mit der Polizei. Erstens", description);
    }

    [Fact]
    public void Describe_ALongBody_IsCutAfterTheLastSentenceThatFits()
    {
        var body = "Am Dienstag trafen sich Fachleute aus Kommunen, Polizei und Vereinen in Freiberg. "
            + "Sie sprachen über Prävention bei Großveranstaltungen, z. B. Stadtfesten und Weihnachtsmärkten. "
            + "Am Nachmittag arbeiteten drei Kleingruppen an Beispielen aus der Praxis.";

        var description = MarkdownRenderer.Describe(null, body);

        Assert.Equal("Am Dienstag trafen sich Fachleute aus Kommunen, Polizei und Vereinen in Freiberg.", description);
    }

    [Fact]
    public void Describe_OneLongSentence_IsCutAtAWordWithAnEllipsis()
    {
        var body = string.Join(' ', Enumerable.Repeat("Vernetzung und Zusammenarbeit", 12)) + ".";

        var description = MarkdownRenderer.Describe("", body);

        Assert.True(description.Length <= 160, description);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
        Assert.DoesNotContain(" …", description, StringComparison.Ordinal);
        Assert.StartsWith(description.TrimEnd('…'), body, StringComparison.Ordinal);
        Assert.Matches(@"(Vernetzung|und|Zusammenarbeit)…$", description);
    }
}
