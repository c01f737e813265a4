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
}
