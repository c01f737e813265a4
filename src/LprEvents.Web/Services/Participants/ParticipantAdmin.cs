using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Participants;

public sealed record ParticipantRow(
    int Id,
    string FirstName,
    string LastName,
    string Email,
    string Organisation,
    OrganisationType OrganisationType,
    string Function,
    string? Region,
    string Sessions,
    string? AccessibilityNeeds,
    string? DietaryNeeds,
    bool PhotoConsent,
    ParticipantStatus Status,
    DateTime CreatedAtUtc,
    DateTime? ConfirmedAtUtc,
    DateTime? CheckedInAtUtc);

public sealed record StatisticsRow(string Label, int Count)
{
    /// <summary>Small counts could identify people: below three they are shown as "&lt; 3".</summary>
    public string Shown => Count is > 0 and < 3 ? "< 3" : Count.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Lists, exports and statistics of one event's participants for the editors.</summary>
public sealed class ParticipantAdmin(LprEventsDbContext db)
{
    public static readonly string[] ExportHeader =
    [
        "Nachname", "Vorname", "E-Mail", "Organisation", "Art der Organisation", "Funktion", "Region", "Kleingruppen",
        "Barrierefreiheit", "Verpflegung", "Fotoerlaubnis", "Status", "Angemeldet am", "Bestätigt am", "Anwesend seit",
    ];

    public Task<List<ParticipantRow>> ListAsync(int eventId, ParticipantStatus? status, string? search, CancellationToken ct)
    {
        var query = db.Participants.AsNoTracking().Where(p => p.EventId == eventId && p.AnonymisedAtUtc == null);
        if (status is { } wanted)
        {
            query = query.Where(p => p.Status == wanted);
        }

        return ListAsync(query, search, ct);
    }

    /// <summary>Those who hold a seat (<see cref="ParticipantRules.HoldsSeat"/>): check-in, attendance list, badges.</summary>
    public Task<List<ParticipantRow>> SeatHoldersAsync(int eventId, string? search, CancellationToken ct) =>
        ListAsync(db.Participants.AsNoTracking().Where(p => p.EventId == eventId && p.AnonymisedAtUtc == null).Where(ParticipantRules.HoldsSeat), search, ct);

    private static Task<List<ParticipantRow>> ListAsync(IQueryable<Participant> query, string? search, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(p => p.LastName.Contains(term) || p.FirstName.Contains(term) || p.Organisation.Contains(term) || p.Email.Contains(term));
        }

        return query
            .OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Id)
            .Select(p => new ParticipantRow(
                p.Id,
                p.FirstName,
                p.LastName,
                p.Email,
                p.Organisation,
                p.OrganisationType,
                p.Function,
                p.Region == null ? null : p.Region.Name,
                string.Join(", ", p.Sessions.OrderBy(s => s.StartsAtUtc).Select(s => s.Title)),
                p.AccessibilityNeeds,
                p.DietaryNeeds,
                p.PhotoConsent,
                p.Status,
                p.CreatedAtUtc,
                p.ConfirmedAtUtc,
                p.CheckedInAtUtc))
            .ToListAsync(ct);
    }

    public async Task<Dictionary<ParticipantStatus, int>> CountsAsync(int eventId, CancellationToken ct) =>
        await db.Participants.AsNoTracking().Where(p => p.EventId == eventId)
            .GroupBy(p => p.Status)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    /// <summary>Counts by region and by organisation type of those who hold or held a seat; also after anonymisation.</summary>
    public async Task<(List<StatisticsRow> ByRegion, List<StatisticsRow> ByType, int Total)> StatisticsAsync(int eventId, CancellationToken ct)
    {
        var seats = db.Participants.AsNoTracking()
            .Where(p => p.EventId == eventId).Where(ParticipantRules.HoldsSeat);
        var byRegion = await seats.GroupBy(p => p.Region == null ? "ohne Angabe" : p.Region.Name)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byType = await seats.GroupBy(p => p.OrganisationType)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return (
            byRegion.OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => new StatisticsRow(r.Key, r.Count)).ToList(),
            byType.OrderByDescending(r => r.Count).Select(r => new StatisticsRow(TypeLabel(r.Key), r.Count)).ToList(),
            byRegion.Sum(r => r.Count));
    }

    /// <summary>CSV for Excel in Germany: semicolons, UTF-8 with byte order mark, German dates.</summary>
    public static byte[] ToCsv(IEnumerable<ParticipantRow> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.GetCultureInfo("de-DE"))
        {
            Delimiter = ";",
            // Values come from the public form: "=HYPERLINK(…)" must not become a formula in Excel.
            InjectionOptions = InjectionOptions.Escape,
        }))
        {
            foreach (var header in ExportHeader)
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var value in Values(row))
                {
                    csv.WriteField(value);
                }

                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }

    public static byte[] ToXlsx(IEnumerable<ParticipantRow> rows)
    {
        var sheet = rows.Select(row =>
        {
            var values = Values(row);
            var record = new Dictionary<string, object?>();
            for (var i = 0; i < ExportHeader.Length; i++)
            {
                record[ExportHeader[i]] = values[i];
            }

            return record;
        }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, sheetName: "Teilnehmende");
        return stream.ToArray();
    }

    public static string StatusLabel(ParticipantStatus status) => status switch
    {
        ParticipantStatus.AwaitingConfirmation => "unbestätigt",
        ParticipantStatus.Confirmed => "bestätigt",
        ParticipantStatus.WaitingList => "Warteliste",
        ParticipantStatus.Attended => "anwesend",
        _ => "abgesagt",
    };

    public static string TypeLabel(OrganisationType type) => type switch
    {
        OrganisationType.VereinTraeger => "Verein/Träger",
        _ => type.ToString(),
    };

    private static string[] Values(ParticipantRow row) =>
    [
        row.LastName,
        row.FirstName,
        row.Email,
        row.Organisation,
        TypeLabel(row.OrganisationType),
        row.Function,
        row.Region ?? "",
        row.Sessions,
        row.AccessibilityNeeds ?? "",
        row.DietaryNeeds ?? "",
        row.PhotoConsent ? "ja" : "nein",
        StatusLabel(row.Status),
        Local(row.CreatedAtUtc),
        row.ConfirmedAtUtc is { } confirmed ? Local(confirmed) : "",
        row.CheckedInAtUtc is { } checkedIn ? Local(checkedIn) : "",
    ];

    private static string Local(DateTime utc) => $"{BerlinTime.Date(utc)} {BerlinTime.Time(utc)}";
}
