using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using LprEvents.Web.Domain;

namespace LprEvents.Web.Services.Email;

/// <summary>
/// The German e-mails of the registration, as outbox rows: plain text and HTML, the event's facts in each.
/// Every message about a registration carries a private link (each minted for that message; the database
/// keeps only hashes). An online meeting's access link appears only in messages to people holding a seat.
/// </summary>
public sealed class EmailComposer(TimeProvider time)
{
    public OutboxMessage ConfirmAddress(Participant p, Event e, string privateUrl, int confirmationHours) => Compose(
        "confirm-address",
        p,
        $"Bitte bestätigen Sie Ihre Anmeldung: {e.Title}",
        [
            $"vielen Dank für Ihre Anmeldung zur Veranstaltung „{e.Title}“.",
            $"Bitte bestätigen Sie innerhalb von {confirmationHours} Stunden Ihre E-Mail-Adresse. Erst mit der Bestätigung ist Ihre Anmeldung gültig und ein Platz für Sie reserviert:",
        ],
        e,
        link: (privateUrl, "Anmeldung bestätigen"),
        after: ["Wenn Sie sich nicht angemeldet haben, können Sie diese E-Mail ignorieren. Die Angaben werden dann automatisch gelöscht."]);

    public OutboxMessage Confirmed(Participant p, Event e, string privateUrl, string ics) => WithCalendar(Compose(
        "confirmed",
        p,
        $"Anmeldung bestätigt: {e.Title}",
        ["Ihre Anmeldung ist bestätigt. Wir freuen uns auf Sie!", "Den Termin für Ihren Kalender finden Sie im Anhang."],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen, ändern oder absagen"),
        after: ["Bitte bewahren Sie diese E-Mail auf: Über den Link können Sie Ihre Anmeldung jederzeit ansehen, ändern oder absagen. Geben Sie ihn nicht weiter."],
        onlineAccess: true,
        smallGroup: true), e, ics);

    public OutboxMessage WaitingList(Participant p, Event e, int position, string privateUrl) => Compose(
        "waiting-list",
        p,
        $"Warteliste: {e.Title}",
        [
            "Ihre E-Mail-Adresse ist bestätigt. Leider sind derzeit alle Plätze vergeben.",
            $"Sie stehen auf Platz {position} der Warteliste. Sobald ein Platz frei wird, rücken Sie automatisch nach und erhalten eine E-Mail.",
        ],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen oder zurückziehen"));

    /// <summary>The registration is deleted in the same transaction: the message belongs to no participant row.</summary>
    public const string FullKind = "full";

    public const string AlreadyRegisteredKind = "already-registered";

    public OutboxMessage Full(Participant p, Event e)
    {
        var message = Compose(
            FullKind,
            p,
            $"Ausgebucht: {e.Title}",
            ["Ihre E-Mail-Adresse ist bestätigt, doch leider sind inzwischen alle Plätze vergeben. Für diese Veranstaltung gibt es keine Warteliste.", "Ihre Angaben werden nicht weiter gespeichert: Ihre Anmeldung ist gelöscht."],
            e);
        message.ParticipantId = null;
        return message;
    }

    public OutboxMessage MovedUp(Participant p, Event e, string privateUrl, string ics) => WithCalendar(Compose(
        "moved-up",
        p,
        $"Sie sind nachgerückt: {e.Title}",
        ["gute Nachricht: Ein Platz ist frei geworden, und Sie sind von der Warteliste nachgerückt. Ihre Teilnahme ist jetzt bestätigt.", "Den Termin für Ihren Kalender finden Sie im Anhang."],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen, ändern oder absagen"),
        onlineAccess: true,
        smallGroup: true), e, ics);

    public OutboxMessage AlreadyRegistered(Participant p, Event e, string privateUrl) => Compose(
        AlreadyRegisteredKind,
        p,
        $"Ihre Anmeldung: {e.Title}",
        [
            "mit dieser E-Mail-Adresse wurde soeben noch einmal das Anmeldeformular für diese Veranstaltung ausgefüllt. Für diese Adresse besteht bereits eine Anmeldung; eine zweite wird nicht angelegt, und an Ihrer Anmeldung hat sich nichts geändert.",
            "Hier ist ein persönlicher Link zu Ihrer Anmeldung. Links aus früheren E-Mails gelten weiterhin.",
        ],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen"),
        after: ["Wenn Sie das Formular nicht ausgefüllt haben, können Sie diese E-Mail ignorieren."]);

    public OutboxMessage NewLink(Participant p, Event e, string privateUrl) => Compose(
        "new-link",
        p,
        $"Ihr neuer Link: {e.Title}",
        ["Sie haben alle bisherigen Links zu Ihrer Anmeldung ungültig gemacht. Ab jetzt öffnet nur noch dieser Link Ihre Anmeldung:"],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen"),
        after: ["Wenn Sie das nicht selbst veranlasst haben, hatte vermutlich jemand einen weitergeleiteten Link. Dieser gilt jetzt nicht mehr."]);

    public OutboxMessage Cancelled(Participant p, Event e) => Compose(
        "cancelled",
        p,
        $"Abmeldung bestätigt: {e.Title}",
        ["Sie haben Ihre Anmeldung abgesagt. Ihr Platz wird an die nächste Person auf der Warteliste vergeben.", "Schade, dass Sie nicht dabei sein können."],
        e);

    public OutboxMessage Reminder(Participant p, Event e, string privateUrl, string ics) => WithCalendar(Compose(
        "reminder",
        p,
        $"Erinnerung: {e.Title} am {BerlinTime.Date(e.StartsAtUtc)}",
        ["wir erinnern Sie an die Veranstaltung, zu der Sie angemeldet sind. Falls Sie doch nicht teilnehmen können, sagen Sie bitte über den Link ab, damit jemand von der Warteliste nachrücken kann."],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen oder absagen"),
        onlineAccess: true,
        smallGroup: true), e, ics);

    public OutboxMessage EventCancelled(Participant p, Event e, string ics) => WithCalendar(Compose(
        "event-cancelled",
        p,
        $"Abgesagt: {e.Title}",
        ["leider müssen wir die folgende Veranstaltung absagen. Ihre Anmeldung ist damit hinfällig. Wir bitten um Verständnis.", "Mit der angehängten Kalenderdatei können Sie den Termin aus Ihrem Kalender entfernen."],
        e), e, ics);

    /// <summary>A change of date, time or venue; <paramref name="onlineAccess"/> for people who hold a seat.</summary>
    public OutboxMessage EventChanged(Participant p, Event e, string change, string privateUrl, string ics, bool onlineAccess) => WithCalendar(Compose(
        "event-changed",
        p,
        $"Geändert: {e.Title}",
        [$"bei der Veranstaltung, zu der Sie angemeldet sind, hat sich etwas geändert: {change}", "Die aktuellen Angaben stehen unten; die angehängte Kalenderdatei aktualisiert Ihren Kalendereintrag."],
        e,
        link: (privateUrl, "Meine Anmeldung ansehen, ändern oder absagen"),
        onlineAccess: onlineAccess), e, ics);

    private OutboxMessage Compose(
        string kind,
        Participant p,
        string subject,
        string[] paragraphs,
        Event e,
        (string Url, string Label)? link = null,
        string[]? after = null,
        bool onlineAccess = false,
        bool smallGroup = false)
    {
        var salutation = $"Guten Tag {p.FirstName} {p.LastName},";
        var facts = Facts(e, onlineAccess);
        if (smallGroup && SmallGroups(p.Sessions) is { } groups)
        {
            facts.Add((groups.Count == 1 ? "Ihre Kleingruppe" : "Ihre Kleingruppen", string.Join("; ", groups)));
        }

        var text = new StringBuilder();
        text.Append(salutation).Append("\n\n");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }

        if (link is { } l)
        {
            text.Append(l.Label).Append(":\n").Append(l.Url).Append("\n\n");
        }

        foreach (var paragraph in after ?? [])
        {
            text.Append(paragraph).Append("\n\n");
        }

        text.Append("Die Veranstaltung\n");
        foreach (var (label, value) in facts)
        {
            text.Append(CultureInfo.InvariantCulture, $"{label}: {value}\n");
        }

        text.Append("\nMit freundlichen Grüßen\nIhre Geschäftsstelle des Landespräventionsrates Sachsen\n");

        var h = Html;
        var html = HtmlStart(subject, salutation, paragraphs, link);

        foreach (var paragraph in after ?? [])
        {
            html.Append("<p>").Append(h.Encode(paragraph)).Append("</p>");
        }

        html.Append("<h2 style=\"font-size:18px;color:#063a24\">Die Veranstaltung</h2><table role=\"presentation\" style=\"border-collapse:collapse\">");
        foreach (var (label, value) in facts)
        {
            html.Append("<tr><th style=\"text-align:left;padding:2px 12px 2px 0;vertical-align:top\">").Append(h.Encode(label))
                .Append("</th><td style=\"padding:2px 0\">").Append(h.Encode(value)).Append("</td></tr>");
        }

        html.Append("</table><p>Mit freundlichen Grüßen<br>Ihre Geschäftsstelle des Landespräventionsrates Sachsen</p></body></html>");

        var now = time.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Kind = kind,
            ParticipantId = p.Id == 0 ? null : p.Id,
            ToAddress = p.Email,
            ToName = $"{p.FirstName} {p.LastName}".Trim(),
            Subject = subject,
            TextBody = text.ToString(),
            HtmlBody = html.ToString(),
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }

    /// <summary>The HTML encoder of every e-mail: umlauts stay as they are.</summary>
    internal static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>The start every HTML e-mail shares: document head, salutation, paragraphs and the link as a button.</summary>
    internal static StringBuilder HtmlStart(string subject, string salutation, IEnumerable<string> paragraphs, (string Url, string Label)? link)
    {
        var h = Html;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>").Append(h.Encode(subject)).Append("</title></head>");
        html.Append("<body style=\"font-family:Arial,sans-serif;line-height:1.5;color:#1b1f1d\">");
        html.Append("<p>").Append(h.Encode(salutation)).Append("</p>");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>").Append(h.Encode(paragraph)).Append("</p>");
        }

        if (link is { } hl)
        {
            html.Append("<p><a href=\"").Append(h.Encode(hl.Url)).Append("\" style=\"display:inline-block;padding:10px 16px;background:#0b5a36;color:#ffffff;text-decoration:none;font-weight:bold\">")
                .Append(h.Encode(hl.Label)).Append("</a></p><p style=\"font-size:90%\">").Append(h.Encode(hl.Url)).Append("</p>");
        }

        return html;
    }

    private static OutboxMessage WithCalendar(OutboxMessage message, Event e, string ics)
    {
        message.AttachmentName = IcsBuilder.FileName(e);
        message.AttachmentContentType = IcsBuilder.ContentType;
        message.AttachmentContent = ics;
        return message;
    }

    /// <summary>
    /// The small groups a participant chose, each with its time and room ("Titel (14:00 bis 15:30 Uhr, Raum 2)"),
    /// in the order of the program; null when there are none. The same words in the e-mails and the calendar file.
    /// </summary>
    public static IReadOnlyList<string>? SmallGroups(IEnumerable<Session> sessions)
    {
        var groups = sessions.Where(s => s.IsChoosable).InProgramOrder()
            .Select(s => $"{s.Title} ({BerlinTime.TimeRange(s.StartsAtUtc, s.EndsAtUtc)}{(string.IsNullOrWhiteSpace(s.Room) ? "" : ", " + s.Room)})")
            .ToList();
        return groups.Count == 0 ? null : groups;
    }

    /// <summary>The event's facts; its online access link only for people who hold a seat (never public).</summary>
    private static List<(string Label, string Value)> Facts(Event e, bool onlineAccess)
    {
        var facts = new List<(string, string)>
        {
            ("Titel", e.Title),
            ("Datum", BerlinTime.Range(e.StartsAtUtc, e.EndsAtUtc)),
            ("Ort", IcsBuilder.Location(e)),
        };
        if (!string.IsNullOrWhiteSpace(e.Organisers))
        {
            facts.Add(("Veranstalter", e.Organisers));
        }

        if (onlineAccess && !string.IsNullOrWhiteSpace(e.OnlineUrl) && e.Status != EventStatus.Cancelled)
        {
            facts.Add(("Online-Zugang (nur für Sie)", e.OnlineUrl));
        }

        if (e.Status == EventStatus.Cancelled)
        {
            facts.Add(("Status", "abgesagt"));
        }

        return facts;
    }
}
