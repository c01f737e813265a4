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
    IReadOnlyList<string> SmallGroups,
    string? AccessibilityNeeds,
    string? DietaryNeeds,
    bool PhotoConsent,
    ParticipantStatus Status,
    DateTime CreatedAtUtc,
    DateTime? ConfirmedAtUtc,
    DateTime? CheckedInAtUtc)
{
    /// <summary>The chosen small groups in program order, as one text.</summary>
    public string Sessions => string.Join(", ", SmallGroups);

    /// <summary>Place on the waiting list (1 = moves up next), in the order of moving up; null when not waiting.</summary>
    public int? WaitingPosition { get; init; }
}

/// <param name="Count">People who hold or held a seat (registered and confirmed, or present).</param>
/// <param name="Attended">Of those, people checked in at the door.</param>
public sealed record StatisticsRow(string Label, int Count, int Attended = 0)
{
    /// <summary>
    /// For anything meant for publication: small counts could identify people, so below three they read
    /// "&lt; 3". Signed-in staff see the exact <see cref="Count"/>.
    /// </summary>
    public string Shown => Count is > 0 and < 3 ? "< 3" : Count.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Lists, exports and statistics of one event's participants for the editors.</summary>
public sealed class ParticipantAdmin(LprEventsDbContext db)
{
    public static readonly string[] ExportHeader =
    [
        "Nachname", "Vorname", "E-Mail", "Organisation", "Art der Organisation", "Funktion", "Region", "Kleingruppen",
        "Barrierefreiheit", "Verpflegung", "Fotoerlaubnis", "Status", "Platz auf der Warteliste", "Angemeldet am", "Bestätigt am", "Anwesend seit",
    ];

    /// <summary>Column widths of the XLSX in characters, in the order of <see cref="ExportHeader"/>.</summary>
    private static readonly int[] XlsxWidths = [20, 16, 30, 34, 18, 24, 22, 30, 24, 20, 12, 12, 12, 17, 17, 17];

    private const string XlsxDateFormat = "dd.MM.yyyy HH:mm";

    public Task<List<ParticipantRow>> ListAsync(int eventId, ParticipantStatus? status, string? search, CancellationToken ct)
    {
        var query = db.Participants.AsNoTracking().Where(p => p.EventId == eventId && p.AnonymisedAtUtc == null);
        if (status is { } wanted)
        {
            query = query.Where(p => p.Status == wanted);
        }

        return ListAsync(eventId, query, search, ct);
    }

    /// <summary>Those who hold a seat (<see cref="ParticipantRules.HoldsSeat"/>): check-in, attendance list, badges.</summary>
    public Task<List<ParticipantRow>> SeatHoldersAsync(int eventId, string? search, CancellationToken ct) =>
        ListAsync(eventId, db.Participants.AsNoTracking().Where(p => p.EventId == eventId && p.AnonymisedAtUtc == null).Where(ParticipantRules.HoldsSeat), search, ct);

    /// <summary>
    /// One event's rows (a few hundred at most), searched in memory: the search ignores case and umlaut
    /// spelling (<see cref="SearchFolding"/>), which no database collation does alike on SQLite and SQL Server.
    /// </summary>
    private async Task<List<ParticipantRow>> ListAsync(int eventId, IQueryable<Participant> query, string? search, CancellationToken ct)
    {
        var rows = await query
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
                p.Sessions.OrderBy(s => s.StartsAtUtc).ThenBy(s => s.SortOrder).ThenBy(s => s.Id).Select(s => s.Title).ToList(),
                p.AccessibilityNeeds,
                p.DietaryNeeds,
                p.PhotoConsent,
                p.Status,
                p.CreatedAtUtc,
                p.ConfirmedAtUtc,
                p.CheckedInAtUtc))
            .ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(search))
        {
            rows = rows.Where(r => SearchFolding.Matches(search, r.LastName, r.FirstName, $"{r.FirstName} {r.LastName}", r.Organisation, r.Email)).ToList();
        }

        if (rows.Any(r => r.Status == ParticipantStatus.WaitingList))
        {
            var positions = (await WaitingOrderAsync(eventId, ct)).Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index + 1);
            rows = rows.Select(r => r.Status == ParticipantStatus.WaitingList && positions.TryGetValue(r.Id, out var position) ? r with { WaitingPosition = position } : r).ToList();
        }

        return rows;
    }

    /// <summary>The waiting list in the order people move up (as <see cref="Registration.RegistrationService"/> does: confirmed first, then id).</summary>
    private Task<List<int>> WaitingOrderAsync(int eventId, CancellationToken ct) =>
        db.Participants.AsNoTracking()
            .Where(p => p.EventId == eventId && p.Status == ParticipantStatus.WaitingList)
            .OrderBy(p => p.ConfirmedAtUtc).ThenBy(p => p.Id)
            .Select(p => p.Id)
            .ToListAsync(ct);

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
            .Select(g => new { g.Key, Count = g.Count(), Attended = g.Count(p => p.Status == ParticipantStatus.Attended) }).ToListAsync(ct);
        var byType = await seats.GroupBy(p => p.OrganisationType)
            .Select(g => new { g.Key, Count = g.Count(), Attended = g.Count(p => p.Status == ParticipantStatus.Attended) }).ToListAsync(ct);
        return (
            byRegion.OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => new StatisticsRow(r.Key, r.Count, r.Attended)).ToList(),
            byType.OrderByDescending(r => r.Count).Select(r => new StatisticsRow(TypeLabel(r.Key), r.Count, r.Attended)).ToList(),
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

    /// <summary>
    /// Excel with real date cells (German format, Berlin time) so that editors can sort and filter by date,
    /// and column widths that fit the content without widening every column by hand.
    /// </summary>
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

            record["Platz auf der Warteliste"] = row.WaitingPosition;
            record["Angemeldet am"] = BerlinTime.ToLocal(row.CreatedAtUtc);
            record["Bestätigt am"] = row.ConfirmedAtUtc is { } confirmed ? BerlinTime.ToLocal(confirmed) : null;
            record["Anwesend seit"] = row.CheckedInAtUtc is { } checkedIn ? BerlinTime.ToLocal(checkedIn) : null;
            return record;
        }).ToList();
        var configuration = new MiniExcelLibs.OpenXml.OpenXmlConfiguration
        {
            DynamicColumns = ExportHeader.Select((header, i) => new MiniExcelLibs.Attributes.DynamicExcelColumn(header)
            {
                Width = XlsxWidths[i],
                Format = header is "Angemeldet am" or "Bestätigt am" or "Anwesend seit" ? XlsxDateFormat : null,
            }).ToArray(),
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, sheetName: "Teilnehmende", configuration: configuration);
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
        row.WaitingPosition?.ToString(CultureInfo.InvariantCulture) ?? "",
        Local(row.CreatedAtUtc),
        row.ConfirmedAtUtc is { } confirmed ? Local(confirmed) : "",
        row.CheckedInAtUtc is { } checkedIn ? Local(checkedIn) : "",
    ];

    private static string Local(DateTime utc) => $"{BerlinTime.Date(utc)} {BerlinTime.Time(utc)}";
}
