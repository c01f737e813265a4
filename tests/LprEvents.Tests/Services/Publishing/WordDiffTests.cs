using LprEvents.Web.Services.Publishing;

namespace LprEvents.Tests.Services.Publishing;

public sealed class WordDiffTests
{
    [Fact]
    public void Compare_OneChangedWordInALongSentence_MarksOnlyThatWord()
    {
        var segments = WordDiff.Compare(
            "Der Fachtag findet in Freiberg statt und beginnt um 9 Uhr.",
            "Der Fachtag findet in Chemnitz statt und beginnt um 9 Uhr.");

        Assert.Equal(
            [
                new DiffSegment(DiffKind.Same, "Der Fachtag findet in "),
                new DiffSegment(DiffKind.Deleted, "Freiberg"),
                new DiffSegment(DiffKind.Inserted, "Chemnitz"),
                new DiffSegment(DiffKind.Same, " statt und beginnt um 9 Uhr."),
            ],
            segments);
    }

    [Fact]
    public void Compare_UmlautWordsAndNumbers_StayWhole()
    {
        var segments = WordDiff.Compare("Großveranstaltungen 2026", "Großveranstaltungen 2027");

        Assert.Equal(new DiffSegment(DiffKind.Deleted, "2026"), segments.Single(s => s.Kind == DiffKind.Deleted));
        Assert.Equal(new DiffSegment(DiffKind.Inserted, "2027"), segments.Single(s => s.Kind == DiffKind.Inserted));
    }

    [Fact]
    public void Compare_PiecedTogether_GivesBackBothVersions()
    {
        const string older = "Erste Zeile.\n\nZweite Zeile mit **fett**.";
        const string newer = "Erste Zeile, neu.\n\nZweite Zeile mit *kursiv*.\nDritte.";

        var segments = WordDiff.Compare(older, newer);

        Assert.Equal(older, string.Concat(segments.Where(s => s.Kind != DiffKind.Inserted).Select(s => s.Text)));
        Assert.Equal(newer, string.Concat(segments.Where(s => s.Kind != DiffKind.Deleted).Select(s => s.Text)));
    }

    [Fact]
    public void Compare_SameText_IsOneUnchangedSegment()
    {
        Assert.Equal([new DiffSegment(DiffKind.Same, "Gleich geblieben.")], WordDiff.Compare("Gleich geblieben.", "Gleich geblieben."));
    }

    [Fact]
    public void Compare_TwoNeighbouringReplacedWords_ReadAsOneChange()
    {
        var segments = WordDiff.Compare("Fassung der ersten Redakteurin.", "Fassung der zweiten Redakteurs.");

        Assert.Equal([new DiffSegment(DiffKind.Deleted, "ersten Redakteurin")], segments.Where(s => s.Kind == DiffKind.Deleted));
        Assert.Equal([new DiffSegment(DiffKind.Inserted, "zweiten Redakteurs")], segments.Where(s => s.Kind == DiffKind.Inserted));
    }
}
