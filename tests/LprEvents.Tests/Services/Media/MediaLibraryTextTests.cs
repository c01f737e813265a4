using LprEvents.Web.Domain;
using LprEvents.Web.Services.Media;

namespace LprEvents.Tests.Services.Media;

public sealed class MediaLibraryTextTests
{
    [Theory]
    [InlineData("Foto: Anna Berger", "Foto: Anna Berger")]
    [InlineData("foto: Anna Berger", "foto: Anna Berger")]
    [InlineData("© LPR Sachsen", "© LPR Sachsen")]
    [InlineData("Bild: Polizei Sachsen", "Bild: Polizei Sachsen")]
    [InlineData("Anna Berger", "Bild: Anna Berger")]
    public void CreditLine_IsAsTyped_AndLabelsOnlyABareName(string typed, string shown)
    {
        Assert.Equal(shown, MediaLibrary.CreditLine(typed));
    }

    [Theory]
    [InlineData("Podium in Görlitz", "Podium in Görlitz.", true)]
    [InlineData("podium in görlitz", "Podium in Görlitz", true)]
    [InlineData("Drei Personen auf einem Podium", "Podium in Görlitz", false)]
    [InlineData("", "", false)]
    public void AltTextRepeatsCaption_ComparesWithoutCaseAndFinalDot(string alt, string caption, bool repeats)
    {
        Assert.Equal(repeats, MediaLibrary.AltTextRepeatsCaption(alt, caption));
    }

    [Fact]
    public void MarkdownSnippet_ForAPdf_IsALinkNamedByTheCaption()
    {
        Assert.Equal(
            "[Programm Präventionstag (PDF)](/medien/abc.pdf)",
            MediaLibrary.MarkdownSnippet(MediaKind.Pdf, "abc.pdf", "", "", "Programm Präventionstag", "programm.pdf"));
    }
}
