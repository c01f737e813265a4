using LprEvents.Web.Services;

namespace LprEvents.Tests.Services;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("Fachtag Großveranstaltungen", "fachtag-grossveranstaltungen")]
    [InlineData("Sächsische Schweiz-Osterzgebirge", "saechsische-schweiz-osterzgebirge")]
    [InlineData("  Görlitz: Übung & Prävention!  ", "goerlitz-uebung-praevention")]
    [InlineData("Café René", "cafe-rene")]
    [InlineData("???", "eintrag")]
    public void From_GermanTitle_GivesReadableAsciiSlug(string title, string expected)
    {
        Assert.Equal(expected, Slugs.From(title));
    }

    [Fact]
    public void From_VeryLongTitle_IsCutWithoutTrailingDash()
    {
        var slug = Slugs.From(string.Join(' ', Enumerable.Repeat("Vernetzung", 20)));

        Assert.True(slug.Length <= Slugs.MaxLength);
        Assert.False(slug.EndsWith('-'));
    }

    [Theory]
    [InlineData("Fachtag Prävention 2027", 2027, "fachtag-praevention-2027")]
    [InlineData("Fachtag Prävention (2027)", 2027, "fachtag-praevention-2027")]
    [InlineData("Fachtag Prävention", 2027, "fachtag-praevention-2027")]
    [InlineData("Bilanz 2026", 2027, "bilanz-2026-2027")]
    [InlineData("2027", 2027, "2027")]
    public void WithYear_ATitleThatAlreadyEndsInTheYear_GetsNoSecondYear(string title, int year, string expected)
    {
        Assert.Equal(expected, Slugs.WithYear(title, year));
    }
}
