using System.Text.RegularExpressions;
using DiffPlex;
using DiffPlex.Chunkers;

namespace LprEvents.Web.Services.Publishing;

public enum DiffKind
{
    Same,
    Inserted,
    Deleted,
}

/// <summary>A run of text that stayed, came in or went out between two versions.</summary>
public sealed record DiffSegment(DiffKind Kind, string Text);

/// <summary>
/// Word-level differences between two versions of an article: an editor sees the one changed word in a long
/// paragraph, not the whole paragraph twice.
/// </summary>
public static partial class WordDiff
{
    public static IReadOnlyList<DiffSegment> Compare(string older, string newer)
    {
        var chunker = new CustomFunctionChunker(text => Tokens().Matches(text).Select(m => m.Value).ToArray());
        var result = Differ.Instance.CreateDiffs(older, newer, ignoreWhiteSpace: false, ignoreCase: false, chunker);
        // Each change as (unchanged text before it, removed text, added text).
        var changes = new List<(string Before, string Removed, string Added)>();
        var position = 0;
        foreach (var block in result.DiffBlocks)
        {
            var before = string.Concat(result.PiecesOld.Skip(position).Take(block.DeleteStartA - position));
            var removed = string.Concat(result.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            var added = string.Concat(result.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
            // "ersten Redakteurin" replaced by "zweiten Redakteurs" reads as one change, not two around a kept space.
            if (changes.Count > 0 && before.Length > 0 && string.IsNullOrWhiteSpace(before)
                && changes[^1] is { Removed.Length: > 0, Added.Length: > 0 } last && removed.Length > 0 && added.Length > 0)
            {
                changes[^1] = (last.Before, last.Removed + before + removed, last.Added + before + added);
            }
            else
            {
                changes.Add((before, removed, added));
            }

            position = block.DeleteStartA + block.DeleteCountA;
        }

        var segments = new List<DiffSegment>();
        foreach (var (before, removed, added) in changes)
        {
            Add(segments, DiffKind.Same, before);
            Add(segments, DiffKind.Deleted, removed);
            Add(segments, DiffKind.Inserted, added);
        }

        Add(segments, DiffKind.Same, string.Concat(result.PiecesOld.Skip(position)));
        return segments;
    }

    private static void Add(List<DiffSegment> segments, DiffKind kind, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (segments.Count > 0 && segments[^1].Kind == kind)
        {
            segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
        }
        else
        {
            segments.Add(new DiffSegment(kind, text));
        }
    }

    // Words (letters and digits, so "Großveranstaltung" and "2027" stay whole), runs of white space, and every
    // other character on its own: a changed comma is shown as a changed comma.
    [GeneratedRegex(@"[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s]", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();
}
