using LprEvents.Web.Services.Participants;

namespace LprEvents.Tests.Services.Participants;

public sealed class SearchFoldingTests
{
    [Theory]
    [InlineData("weiß", "Weiß")]
    [InlineData("weiss", "Weiß")]
    [InlineData("WEISS", "weiß")]
    [InlineData("schaefer", "Schäfer")]
    [InlineData("schafer", "Schäfer")]
    [InlineData("schäfer", "Schäfer")]
    [InlineData("schäfer", "Schaefer")]
    [InlineData("asskomm", "ASSKomm")]
    [InlineData("mueller", "Müller")]
    [InlineData("OELSNITZ", "Ölsnitz")]
    [InlineData("rene", "René")]
    [InlineData("  polizei ", "Polizeidirektion Leipzig")]
    public void Matches_IgnoresCaseAndUmlautSpelling(string search, string value) =>
        Assert.True(SearchFolding.Matches(search, value));

    [Theory]
    [InlineData("schmidt", "Schäfer")]
    [InlineData("weiß", "Weise")]
    public void Matches_StillNeedsTheLetters(string search, string value) =>
        Assert.False(SearchFolding.Matches(search, value));

    [Fact]
    public void Fold_WritesUmlautsOutAndLowersCase() =>
        Assert.Equal("schaefer weiss oelsnitz ueber", SearchFolding.Fold("Schäfer Weiß Ölsnitz ÜBER"));
}
