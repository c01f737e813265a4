namespace LprEvents.Web.Services;

/// <summary>
/// German words for the audit log's stored keys. The keys stay English and stable (filters, links and old
/// entries use them); only the page shows the German label. An unknown key is shown as it is.
/// </summary>
public static class AuditLabels
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["created"] = "angelegt",
        ["changed"] = "geändert",
        ["deleted"] = "gelöscht",
        ["restored"] = "wiederhergestellt",
        ["published"] = "veröffentlicht",
        ["scheduled"] = "Veröffentlichung geplant",
        ["unpublished"] = "zurückgezogen",
        ["cancelled"] = "abgesagt",
        ["checked-in"] = "eingecheckt",
        ["checked-out"] = "Einchecken zurückgenommen",
        ["walk-in"] = "vor Ort angemeldet",
        ["moved-up"] = "nachgerückt",
        ["exported"] = "exportiert",
        ["printed"] = "gedruckt",
        ["locked"] = "gesperrt",
        ["unlocked"] = "entsperrt",
        ["retried"] = "erneut versucht",
    };

    private static readonly Dictionary<string, string> Areas = new(StringComparer.Ordinal)
    {
        ["Event"] = "Veranstaltung",
        ["Participant"] = "Anmeldung",
        ["Article"] = "Beitrag",
        ["MediaAsset"] = "Medien",
        ["User"] = "Benutzer",
        ["OutboxMessage"] = "E-Mail-Ausgang",
    };

    public static string Action(string key) => Actions.TryGetValue(key, out var label) ? label : key;

    public static string Area(string key) => Areas.TryGetValue(key, out var label) ? label : key;
}
