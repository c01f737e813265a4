using System.Text;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Participants;

namespace LprEvents.Web.Services.Publishing;

/// <summary>The first draft of an event report: facts, program and attendance figures, for the editor to finish.</summary>
public static class ReportDraft
{
    public static string Compose(Event e, IReadOnlyList<StatisticsRow> byRegion, int total)
    {
        var text = new StringBuilder();
        text.Append("Am ").Append(BerlinTime.LongDate(e.StartsAtUtc)).Append(" fand ").Append(e.Kind == EventKind.Fachtag ? "der Fachtag" : "das Treffen")
            .Append(" „").Append(e.Title).Append("“ in ").Append(e.VenueName).Append(string.IsNullOrEmpty(e.VenueCity) ? "" : ", " + e.VenueCity).Append(" statt.");
        if (!string.IsNullOrWhiteSpace(e.Organisers))
        {
            text.Append(" Eingeladen hatte ").Append(e.Organisers).Append('.');
        }

        text.Append("\n\n*[Hier beschreiben Sie, worum es ging und was herauskam.]*\n\n## Programm\n\n");
        foreach (var session in e.Sessions.Where(s => s.Kind != SessionKind.Break).OrderBy(s => s.StartsAtUtc).ThenBy(s => s.Id))
        {
            text.Append("- ").Append(BerlinTime.Time(session.StartsAtUtc)).Append(" Uhr: ").Append(session.Title);
            if (!string.IsNullOrWhiteSpace(session.Speakers))
            {
                text.Append(" (").Append(session.Speakers).Append(')');
            }

            text.Append('\n');
        }

        if (total > 0)
        {
            text.Append("\n## Teilnahme\n\n").Append(total).Append(" Personen nahmen teil");
            var regions = byRegion.Where(r => r.Count >= 3).Select(r => $"{r.Label} ({r.Count})").ToList();
            if (regions.Count > 0)
            {
                text.Append(", unter anderem aus ").Append(string.Join(", ", regions));
            }

            text.Append(".\n");
        }

        text.Append("\n## Wie es weitergeht\n\n*[Ausblick und Termine ergänzen.]*\n");
        return text.ToString();
    }
}
