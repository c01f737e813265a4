using System.Text.Encodings.Web;
using LprEvents.Web.Services.Search;
using Microsoft.AspNetCore.Html;

namespace LprEvents.Tests.Search;

/// <summary>How words become search terms: case, umlaut spelling and German word forms do not matter.</summary>
public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Präventionsrat")]
    [InlineData("praeventionsrat")]
    [InlineData("PRÄVENTIONSRAT")]
    [InlineData("Praventionsrat")]
    [InlineData("Präventionsräte")]
    [InlineData("Präventionsrates")]
    [InlineData("PRAEVENTIONSRAETE")]
    public void SpellingsAndWordForms_OfPraeventionsrat_AreOneTerm(string word)
    {
        Assert.Equal(SearchText.TermOf("Präventionsrat"), SearchText.TermOf(word));
    }

    [Theory]
    [InlineData("Straße", "STRASSE")]
    [InlineData("Kinder", "Kindern")]
    [InlineData("Schüler", "Schueler")]
    [InlineData("Begegnungen", "Begegnung")]
    [InlineData("Café", "cafe")]
    public void OtherPairs_AreOneTerm(string a, string b)
    {
        Assert.Equal(SearchText.TermOf(a), SearchText.TermOf(b));
    }

    [Fact]
    public void DifferentWords_StayDifferent()
    {
        Assert.NotEqual(SearchText.TermOf("Polizei"), SearchText.TermOf("Politik"));
        Assert.NotEqual(SearchText.TermOf("Rat"), SearchText.TermOf("Rad"));
    }

    [Fact]
    public void StopWordsSingleLettersAndPunctuation_AreNoTerms()
    {
        Assert.Empty(SearchText.Terms("und der die das für über a , ; !!! \0 –"));
        Assert.Equal(["20", "04", "2023"], SearchText.Terms("am 20.04. 2023"));
    }

    [Fact]
    public void LongWords_AreCutToTheMaximumLength()
    {
        var term = SearchText.TermOf(new string('x', 120));

        Assert.Equal(SearchText.MaxTermLength, term!.Length);
    }

    [Fact]
    public void Terms_AreDistinct_InOrderOfFirstOccurrence()
    {
        Assert.Equal(["praventionsrat", "freiberg"], SearchText.Terms("Präventionsräte in Freiberg: der Präventionsrat"));
    }

    [Fact]
    public void Highlight_EncodesHtml_AndMarksOnlyHits()
    {
        var terms = new HashSet<string> { SearchText.TermOf("Zauberwort")! };

        var html = Render(SearchText.Highlight("<script>alert(1)</script> Zauberworte & Co.", terms));

        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Zauberworte</mark> &amp; Co.", html);
    }

    [Fact]
    public void Snippet_ShowsTheTextAroundTheFirstHit_CutAtWords()
    {
        var text = string.Join(' ', Enumerable.Repeat("Vorrede", 100)) + " hier steht der Präventionsrat im Satz " + string.Join(' ', Enumerable.Repeat("Nachrede", 100));
        var terms = new HashSet<string> { SearchText.TermOf("praeventionsraete")! };

        var html = Render(SearchText.Snippet(text, terms));

        Assert.StartsWith("… Vorrede", html, StringComparison.Ordinal);
        Assert.Contains("hier steht der <mark>Präventionsrat</mark> im Satz", html, StringComparison.Ordinal);
        Assert.EndsWith("Nachrede …", html, StringComparison.Ordinal);
        Assert.InRange(html.Length, 200, 300);
    }

    [Fact]
    public void Snippet_WithoutHitInTheText_ShowsItsBeginning()
    {
        var text = "Anfang des Textes " + string.Join(' ', Enumerable.Repeat("Wort", 200));

        var html = Render(SearchText.Snippet(text, new HashSet<string> { "titelwort" }));

        Assert.StartsWith("Anfang des Textes", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark>", html, StringComparison.Ordinal);
    }

    private static string Render(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        return writer.ToString();
    }
}
