using System.Text;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Participants;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Publishing;

/// <summary>The first draft of an event report: facts, program and attendance figures, for the editor to finish.</summary>
public static class ReportDraft
{
    public const string AboutPlaceholder = "[Hier beschreiben Sie, worum es ging und was herauskam.]";
    public const string OutlookPlaceholder = "[Ausblick und Termine ergänzen.]";

    /// <summary>The gaps the draft leaves for the editor; the publishing gate refuses a text that still has one.</summary>
    public static readonly IReadOnlyList<string> Placeholders = [AboutPlaceholder, OutlookPlaceholder];

    // The last part of a German compound decides its gender: "Landespräventionsrat" is masculine like "Rat".
    private static readonly string[] Masculine = ["rat", "verein", "verband", "kreis", "bund", "beirat", "ausschuss", "arbeitskreis", "saal", "hof", "bau", "treff", "park"];
    private static readonly string[] Feminine = ["stadt", "gemeinde", "direktion", "stiftung", "schule", "akademie", "initiative", "halle", "kirche", "bibliothek", "universität", "kammer", "verwaltung", "messe", "stätte", "behörde", "galerie", "villa", "aula", "fabrik", "wache", "kanzlei", "polizei", "arbeitsgemeinschaft", "fachstelle", "stelle", "koordinierungsstelle", "landeshauptstadt", "mühle", "scheune"];
    private static readonly string[] Neuter = ["amt", "institut", "netzwerk", "ministerium", "revier", "zentrum", "büro", "bündnis", "haus", "museum", "theater", "hotel", "schloss", "präsidium", "forum", "gebäude", "werk", "heim", "gut", "kloster", "rathaus", "landratsamt"];

    /// <summary>"Am Dienstag, 6. Oktober 2026 trafen sich 42 Teilnehmende in Leipzig."</summary>
    public static string Teaser(Event e, int attended)
    {
        var who = attended > 1 ? $"{attended} Teilnehmende" : "Fachleute";
        var where = string.IsNullOrWhiteSpace(e.VenueCity) ? "" : $" in {e.VenueCity.Trim()}";
        return $"Am {BerlinTime.LongDate(e.StartsAtUtc)} trafen sich {who}{where}.";
    }

    public static string Compose(Event e, IReadOnlyList<StatisticsRow> byRegion, int total)
    {
        var text = new StringBuilder();
        text.Append("Am ").Append(BerlinTime.LongDate(e.StartsAtUtc)).Append(" fand ").Append(e.Kind == EventKind.Fachtag ? "der Fachtag" : "das Treffen")
            .Append(" „").Append(e.Title).Append("“ ").Append(Venue(e.VenueName, e.VenueCity)).Append(" statt.");
        if (!string.IsNullOrWhiteSpace(e.Organisers))
        {
            var organisers = Split(e.Organisers);
            text.Append(organisers.Count > 1 ? " Eingeladen hatten " : " Eingeladen hatte ")
                .Append(Enumerate(organisers.Select(o => WithArticle(o, dative: false)).ToList()));
            EndSentence(text);
        }

        text.Append("\n\n*").Append(AboutPlaceholder).Append("*\n\n## Programm\n\n");
        foreach (var session in e.Sessions.Where(s => s.Kind != SessionKind.Break).InProgramOrder())
        {
            text.Append("- ").Append(BerlinTime.Time(session.StartsAtUtc)).Append(" Uhr: ").Append(session.Title);
            if (!string.IsNullOrWhiteSpace(session.Speakers))
            {
                text.Append(" (").Append(session.Speakers).Append(')');
            }

            text.Append('\n');
        }

        var groups = e.Sessions.Where(s => s.Kind == SessionKind.SmallGroup).InProgramOrder().Select(s => $"„{s.Title.Trim()}“").ToList();
        if (groups.Count > 0)
        {
            text.Append('\n').Append(groups.Count == 1 ? "In der Kleingruppe ging es um " : $"In {groups.Count} Kleingruppen ging es um ")
                .Append(Enumerate(groups)).Append(".\n");
        }

        if (total > 0)
        {
            text.Append("\n## Teilnahme\n\n").Append(total).Append(total == 1 ? " Person nahm teil" : " Personen nahmen teil");
            var regions = byRegion.Where(r => r.Count >= 3).Select(r => $"{r.Label} ({r.Count})").ToList();
            if (regions.Count > 0)
            {
                text.Append(", unter anderem aus ").Append(string.Join(", ", regions));
            }

            text.Append(".\n");
        }

        text.Append("\n## Wie es weitergeht\n\n*").Append(OutlookPlaceholder).Append("*\n");
        return text.ToString();
    }

    /// <summary>Who was there: the people checked in at the door, by region, not those who had registered.</summary>
    public static async Task<(List<StatisticsRow> ByRegion, int Total)> AttendanceAsync(LprEventsDbContext db, int eventId, CancellationToken ct)
    {
        var rows = await db.Participants.AsNoTracking()
            .Where(p => p.EventId == eventId && p.Status == ParticipantStatus.Attended)
            .GroupBy(p => p.Region == null ? "ohne Angabe" : p.Region.Name)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return (
            rows.OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => new StatisticsRow(r.Key, r.Count)).ToList(),
            rows.Sum(r => r.Count));
    }

    /// <summary>"im Institut für Kriminologie, Leipzig", "in der Stadthalle Chemnitz", "in Freiberg": the city once.</summary>
    public static string Venue(string name, string city)
    {
        name = name.Trim();
        city = city.Trim();
        if (name.Length == 0)
        {
            return city.Length == 0 ? "" : $"in {city}";
        }

        var place = WithArticle(name, dative: true);
        var phrase = place.StartsWith("dem ", StringComparison.Ordinal) ? "im " + place[4..] : "in " + place;
        return city.Length == 0 || name.Contains(city, StringComparison.OrdinalIgnoreCase) ? phrase : $"{phrase}, {city}";
    }

    private static string WithArticle(string name, bool dative)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // "Sächsische Staatskanzlei", "Neues Rathaus": an adjective first, the noun after it decides.
        var adjective = words.Length > 1 && char.IsUpper(words[0][0]) && Gender(words[0]) is null && Gender(words[1]) is not null
            && (words[0].EndsWith('e') || words[0].EndsWith("es", StringComparison.Ordinal) || words[0].EndsWith("er", StringComparison.Ordinal));
        var gender = Gender(adjective ? words[1] : words[0]);
        if (gender is null)
        {
            return name;
        }

        if (adjective)
        {
            var stem = words[0].EndsWith('e') ? words[0][..^1] : words[0][..^2];
            // After a definite article the adjective is "-en" in the dative, "-e" in the nominative.
            words[0] = stem + (dative ? "en" : "e");
            name = string.Join(' ', words);
        }

        var article = (gender, dative) switch
        {
            ('f', true) => "der",
            ('f', false) => "die",
            (_, true) => "dem",
            ('m', false) => "der",
            _ => "das",
        };
        return $"{article} {name}";
    }

    private static char? Gender(string word)
    {
        var w = word.ToLowerInvariant().TrimEnd(',', '.');
        if (w.Length < 3)
        {
            return null;
        }

        static bool Ends(string w, string[] endings) => endings.Any(e => w == e || (w.EndsWith(e, StringComparison.Ordinal) && w.Length > e.Length + 2));
        // Longest match wins: "Landratsamt" is neuter ("amt"), not masculine ("rat").
        var best = Masculine.Select(e => (e, 'm')).Concat(Feminine.Select(e => (e, 'f'))).Concat(Neuter.Select(e => (e, 'n')))
            .Where(x => Ends(w, [x.e]))
            .OrderByDescending(x => x.e.Length)
            .Select(x => (char?)x.Item2)
            .FirstOrDefault();
        return best;
    }

    private static List<string> Split(string organisers) =>
        organisers.Split([", ", ";", " und ", " sowie "], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Enumerate(List<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " und " + items[^1];

    // "… Verein e. V." ends the sentence already: no second dot.
    private static void EndSentence(StringBuilder text)
    {
        if (text.Length == 0 || text[^1] is not ('.' or '!' or '?'))
        {
            text.Append('.');
        }
    }
}
