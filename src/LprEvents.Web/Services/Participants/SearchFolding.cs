using System.Globalization;
using System.Text;

namespace LprEvents.Web.Services.Participants;

/// <summary>
/// How the editors' participant and check-in searches compare text: case does not matter, and German
/// umlauts match however they were typed ("weiß" finds "Weiss", "schaefer" and "schafer" find "Schäfer",
/// "asskomm" finds "ASSKomm"). Other accents are dropped ("rene" finds "René").
/// </summary>
public static class SearchFolding
{
    /// <summary>The folded form: lower case, ä→ae, ö→oe, ü→ue, ß→ss, other accents removed.</summary>
    public static string Fold(string text) => RemoveAccents(Lower(text)
        .Replace("ä", "ae", StringComparison.Ordinal)
        .Replace("ö", "oe", StringComparison.Ordinal)
        .Replace("ü", "ue", StringComparison.Ordinal));

    /// <summary>
    /// The site search's form of one word: <see cref="Fold"/>, then "ae", "oe" and "ue" as the plain vowel, so that
    /// "Präventionsrat", "praeventionsrat", "Praventionsrat" and "PRÄVENTIONSRAT" are the same word. Plain ASCII
    /// words (most of them) skip the Unicode work.
    /// </summary>
    public static string FoldPlain(string word)
    {
        var folded = word.All(char.IsAscii) ? word.ToLowerInvariant() : Fold(word);
        return folded
            .Replace("ae", "a", StringComparison.Ordinal)
            .Replace("oe", "o", StringComparison.Ordinal)
            .Replace("ue", "u", StringComparison.Ordinal);
    }

    /// <summary>True when the folded <paramref name="search"/> occurs in one of the values, spelt with "ae" or with the plain vowel.</summary>
    public static bool Matches(string search, params string?[] values)
    {
        var needle = Fold(search.Trim());
        if (needle.Length == 0)
        {
            return true;
        }

        return values.Any(value => value is { Length: > 0 }
            && (Fold(value).Contains(needle, StringComparison.Ordinal) || Plain(value).Contains(needle, StringComparison.Ordinal)));
    }

    /// <summary>Umlauts as plain vowels (ä→a), so that "schafer" finds "Schäfer" too.</summary>
    private static string Plain(string text) => RemoveAccents(Lower(text));

    private static string Lower(string text) => text.ToLower(CultureInfo.GetCultureInfo("de-DE")).Replace("ß", "ss", StringComparison.Ordinal);

    private static string RemoveAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(c);
            }
        }

        return result.ToString().Normalize(NormalizationForm.FormC);
    }
}
