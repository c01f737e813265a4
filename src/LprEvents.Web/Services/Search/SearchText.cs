using System.Globalization;
using LprEvents.Web.Services.Participants;
using Lucene.Net.Analysis.De;
using Microsoft.AspNetCore.Html;

namespace LprEvents.Web.Services.Search;

/// <summary>
/// How the site search reads text (docs/decisions/0021): words are runs of letters and digits; each becomes a
/// term by folding case and umlaut spelling (<see cref="SearchFolding.FoldPlain"/>) and stemming German word
/// forms (Lucene's light German stemmer: "Präventionsräte" and "Präventionsrat" are one term). Common German
/// words (der, und, für, …) are left out. The same code reads what is indexed, what is searched and what is
/// highlighted, so the three always agree.
/// </summary>
public static class SearchText
{
    /// <summary>Longer terms are cut (and so still match each other).</summary>
    public const int MaxTermLength = 40;

    /// <summary>At most this much plain text per document is stored for snippets (all of it is indexed).</summary>
    public const int MaxStoredTextLength = 100_000;

    /// <summary>Longer queries are refused with a message.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>Words beyond these are not searched for (the page says so).</summary>
    public const int MaxQueryTerms = 8;

    private static readonly HashSet<string> StopWords = new(
        [
            "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem", "den", "der", "des",
            "die", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "es", "fur", "hat", "im", "in", "ist",
            "mit", "nach", "nicht", "noch", "oder", "sich", "sie", "sind", "so", "sowie", "um", "und", "uber", "vom",
            "von", "vor", "war", "wie", "wird", "zu", "zum", "zur",
        ],
        StringComparer.Ordinal);

    /// <summary>The distinct terms of a text, in order of first occurrence.</summary>
    public static List<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return terms;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stemmer = new GermanLightStemmer();
        foreach (var (start, length) in Words(text))
        {
            if (TermOf(text.AsSpan(start, length), stemmer) is { } term && seen.Add(term))
            {
                terms.Add(term);
            }
        }

        return terms;
    }

    /// <summary>The term of one word, or null for a stop word or a single character.</summary>
    public static string? TermOf(string word) => TermOf(word, new GermanLightStemmer());

    private static string? TermOf(ReadOnlySpan<char> word, GermanLightStemmer stemmer)
    {
        var folded = SearchFolding.FoldPlain(word.ToString());
        if (folded.Length < 2 || StopWords.Contains(folded))
        {
            return null;
        }

        var chars = folded.ToCharArray();
        var length = chars.Any(char.IsAsciiDigit) ? chars.Length : stemmer.Stem(chars, chars.Length);
        return new string(chars, 0, Math.Min(length, MaxTermLength));
    }

    /// <summary>The words of a text as (start, length): runs of letters, digits and combining accents.</summary>
    public static IEnumerable<(int Start, int Length)> Words(string text)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsWordChar(text[i]))
            {
                if (start < 0)
                {
                    start = i;
                }
            }
            else if (start >= 0)
            {
                yield return (start, i - start);
                start = -1;
            }
        }

        if (start >= 0)
        {
            yield return (start, text.Length - start);
        }
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;

    /// <summary>The text with every word whose term is searched for in &lt;mark&gt;; the rest HTML-encoded by the view.</summary>
    public static IHtmlContent Highlight(string text, IReadOnlySet<string> terms) => Mark(text, 0, text.Length, terms);

    /// <summary>
    /// About <paramref name="length"/> characters of the text around its first hit (or its beginning when the
    /// title alone matched), cut at words, with "…" where text was left out and the hits in &lt;mark&gt;.
    /// </summary>
    public static IHtmlContent Snippet(string text, IReadOnlySet<string> terms, int length = 240)
    {
        if (text.Length <= length)
        {
            return Mark(text, 0, text.Length, terms);
        }

        var stemmer = new GermanLightStemmer();
        var firstHit = 0;
        foreach (var (start, wordLength) in Words(text))
        {
            if (TermOf(text.AsSpan(start, wordLength), stemmer) is { } term && terms.Contains(term))
            {
                firstHit = start;
                break;
            }
        }

        // Some context before the hit, starting at a word.
        var from = Math.Max(0, firstHit - (length / 3));
        if (from > 0)
        {
            var space = text.IndexOf(' ', from);
            from = space >= 0 && space < firstHit ? space + 1 : firstHit;
        }

        var to = Math.Min(text.Length, from + length);
        if (to < text.Length)
        {
            var space = text.LastIndexOf(' ', to - 1, to - from);
            to = space > firstHit ? space : to;
        }

        var builder = new HtmlContentBuilder();
        if (from > 0)
        {
            builder.Append("… ");
        }

        builder.AppendHtml(Mark(text, from, to, terms));
        if (to < text.Length)
        {
            builder.Append(" …");
        }

        return builder;
    }

    private static HtmlContentBuilder Mark(string text, int from, int to, IReadOnlySet<string> terms)
    {
        var builder = new HtmlContentBuilder();
        var stemmer = new GermanLightStemmer();
        var position = from;
        var part = text[from..to];
        foreach (var (start, length) in Words(part))
        {
            if (TermOf(part.AsSpan(start, length), stemmer) is { } term && terms.Contains(term))
            {
                builder.Append(text[position..(from + start)]);
                builder.AppendHtml("<mark>");
                builder.Append(part.Substring(start, length));
                builder.AppendHtml("</mark>");
                position = from + start + length;
            }
        }

        builder.Append(text[position..to]);
        return builder;
    }
}
