using System.Globalization;
using System.Text;

namespace LprEvents.Web.Services;

/// <summary>German-aware URL slugs: "Fachtag Großveranstaltungen" becomes "fachtag-grossveranstaltungen".</summary>
public static class Slugs
{
    public const int MaxLength = 80;

    public static string From(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLower(CultureInfo.GetCultureInfo("de-DE")))
        {
            switch (c)
            {
                case 'ä': sb.Append("ae"); break;
                case 'ö': sb.Append("oe"); break;
                case 'ü': sb.Append("ue"); break;
                case 'ß': sb.Append("ss"); break;
                default:
                    var basic = RemoveDiacritics(c);
                    if (basic is >= 'a' and <= 'z' or >= '0' and <= '9')
                    {
                        sb.Append(basic);
                    }
                    else if (sb.Length > 0 && sb[^1] != '-')
                    {
                        sb.Append('-');
                    }

                    break;
            }
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length > MaxLength)
        {
            slug = slug[..MaxLength].TrimEnd('-');
        }

        return slug.Length == 0 ? "eintrag" : slug;
    }

    /// <summary>
    /// The slug of a title with its year at the end, once: "Fachtag 2027" in 2027 stays "fachtag-2027", not
    /// "fachtag-2027-2027".
    /// </summary>
    public static string WithYear(string title, int year)
    {
        var slug = From(title);
        var suffix = year.ToString(CultureInfo.InvariantCulture);
        return slug == suffix || slug.EndsWith($"-{suffix}", StringComparison.Ordinal) ? slug : From($"{title} {suffix}");
    }

    /// <summary>The slug itself if free, else "slug-2", "slug-3", … whichever is free first.</summary>
    public static async Task<string> UniqueAsync(string slug, Func<string, Task<bool>> isTaken)
    {
        var candidate = slug;
        for (var i = 2; await isTaken(candidate); i++)
        {
            candidate = $"{slug}-{i}";
        }

        return candidate;
    }

    private static char RemoveDiacritics(char c)
    {
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 0 ? decomposed[0] : c;
    }
}
