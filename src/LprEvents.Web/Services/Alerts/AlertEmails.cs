using System.Text;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;

namespace LprEvents.Web.Services.Alerts;

/// <summary>An article or event in a digest: its title, a line of facts, a description and its absolute address.</summary>
public sealed record DigestItem(string Title, string Facts, string Description, string Url);

/// <summary>
/// The German e-mails of the alerts (plain text and HTML): confirm the address, a management link for someone who
/// is already subscribed, and the weekly digest. They greet without a name, as no name is stored.
/// </summary>
public sealed class AlertEmails(TimeProvider time)
{
    public const string ConfirmKind = "alert-confirm";
    public const string ManageKind = "alert-manage";
    public const string DigestKind = "alert-digest";

    /// <summary>Every kind of alert e-mail: unsubscribing deletes these for the address, sent or not.</summary>
    public static readonly string[] Kinds = [ConfirmKind, ManageKind, DigestKind];

    private const string Signature = "Ihre Geschäftsstelle des Landespräventionsrates Sachsen";

    private const string FooterNote = "Sie erhalten diese E-Mail, weil Sie die wöchentlichen E-Mail-Benachrichtigungen des Landespräventionsrates Sachsen abonniert haben.";

    public OutboxMessage Confirm(string email, IReadOnlyList<string> regions, string manageUrl, int confirmationHours) => Compose(
        ConfirmKind,
        email,
        "Bitte bestätigen Sie Ihr Abonnement der E-Mail-Benachrichtigungen",
        [
            $"vielen Dank für Ihr Interesse an den E-Mail-Benachrichtigungen des Landespräventionsrates Sachsen ({RegionList(regions)}).",
            $"Bitte bestätigen Sie innerhalb von {confirmationHours} Stunden Ihre E-Mail-Adresse. Erst dann erhalten Sie einmal pro Woche eine Übersicht über neue Berichte und Veranstaltungen:",
        ],
        (manageUrl, "Abonnement bestätigen"),
        ["Wenn Sie das nicht selbst angefordert haben, können Sie diese E-Mail ignorieren. Ihre Adresse wird dann automatisch gelöscht."],
        []);

    public OutboxMessage Manage(string email, IReadOnlyList<string> regions, string manageUrl) => Compose(
        ManageKind,
        email,
        "Ihr Abonnement der E-Mail-Benachrichtigungen",
        [
            "mit dieser E-Mail-Adresse wurde soeben noch einmal das Formular für die E-Mail-Benachrichtigungen ausgefüllt. Sie haben bereits ein Abonnement; daran hat sich nichts geändert.",
            $"Ihre Regionen: {RegionList(regions)}. Über diesen persönlichen Link können Sie die Regionen ändern oder das Abonnement beenden:",
        ],
        (manageUrl, "Abonnement verwalten"),
        ["Wenn Sie das Formular nicht ausgefüllt haben, können Sie diese E-Mail ignorieren."],
        []);

    public OutboxMessage Digest(
        string email,
        IReadOnlyList<string> regions,
        DateTime sinceUtc,
        IReadOnlyList<DigestItem> articles,
        IReadOnlyList<DigestItem> events,
        string manageUrl,
        string unsubscribeUrl)
    {
        var counts = new List<string>();
        if (articles.Count > 0)
        {
            counts.Add(articles.Count == 1 ? "1 neuer Bericht" : $"{articles.Count} neue Berichte");
        }

        if (events.Count > 0)
        {
            counts.Add(events.Count == 1 ? "1 neue Veranstaltung" : $"{events.Count} neue Veranstaltungen");
        }

        var sections = new List<(string, IReadOnlyList<DigestItem>)>();
        if (articles.Count > 0)
        {
            sections.Add(("Neue Berichte und Meldungen", articles));
        }

        if (events.Count > 0)
        {
            sections.Add(("Neue Veranstaltungen", events));
        }

        var message = Compose(
            DigestKind,
            email,
            $"Neu in Ihren Regionen: {string.Join(" und ", counts)}",
            [$"hier ist, was seit dem {BerlinTime.Date(sinceUtc)} auf der Veranstaltungsseite des Landespräventionsrates Sachsen neu ist ({RegionList(regions)})."],
            null,
            [],
            sections,
            (manageUrl, unsubscribeUrl));
        message.UnsubscribeUrl = unsubscribeUrl;
        return message;
    }

    public static string RegionList(IReadOnlyList<string> regions) =>
        regions.Count == 0 ? "alle Regionen" : string.Join(", ", regions);

    private OutboxMessage Compose(
        string kind,
        string email,
        string subject,
        string[] paragraphs,
        (string Url, string Label)? link,
        string[] after,
        IReadOnlyList<(string Heading, IReadOnlyList<DigestItem> Items)> sections,
        (string ManageUrl, string UnsubscribeUrl)? footer = null)
    {
        const string Salutation = "Guten Tag,";
        var text = new StringBuilder();
        text.Append(Salutation).Append("\n\n");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }

        if (link is { } l)
        {
            text.Append(l.Label).Append(":\n").Append(l.Url).Append("\n\n");
        }

        foreach (var paragraph in after)
        {
            text.Append(paragraph).Append("\n\n");
        }

        foreach (var (heading, items) in sections)
        {
            text.Append(heading).Append('\n').Append(new string('=', heading.Length)).Append("\n\n");
            foreach (var item in items)
            {
                text.Append(item.Title).Append('\n').Append(item.Facts).Append('\n');
                if (item.Description.Length > 0)
                {
                    text.Append(item.Description).Append('\n');
                }

                text.Append(item.Url).Append("\n\n");
            }
        }

        text.Append("Mit freundlichen Grüßen\n").Append(Signature).Append('\n');
        if (footer is { } f)
        {
            text.Append("\n-- \n").Append(FooterNote).Append('\n')
                .Append("Regionen ändern: ").Append(f.ManageUrl).Append('\n')
                .Append("Benachrichtigungen abbestellen: ").Append(f.UnsubscribeUrl).Append('\n');
        }

        var h = EmailComposer.Html;
        var html = EmailComposer.HtmlStart(subject, Salutation, paragraphs, link);

        foreach (var paragraph in after)
        {
            html.Append("<p>").Append(h.Encode(paragraph)).Append("</p>");
        }

        foreach (var (heading, items) in sections)
        {
            html.Append("<h2 style=\"font-size:18px;color:#063a24;margin-top:24px\">").Append(h.Encode(heading)).Append("</h2>");
            foreach (var item in items)
            {
                html.Append("<h3 style=\"font-size:16px;margin:16px 0 4px\"><a href=\"").Append(h.Encode(item.Url)).Append("\" style=\"color:#0b5a36\">")
                    .Append(h.Encode(item.Title)).Append("</a></h3>");
                html.Append("<p style=\"margin:0;color:#4a524e;font-size:90%\">").Append(h.Encode(item.Facts)).Append("</p>");
                if (item.Description.Length > 0)
                {
                    html.Append("<p style=\"margin:4px 0 0\">").Append(h.Encode(item.Description)).Append("</p>");
                }
            }
        }

        html.Append("<p style=\"margin-top:24px\">Mit freundlichen Grüßen<br>").Append(h.Encode(Signature)).Append("</p>");
        if (footer is { } hf)
        {
            html.Append("<hr style=\"border:0;border-top:1px solid #c9d1cc;margin-top:24px\"><p style=\"font-size:90%;color:#4a524e\">")
                .Append(h.Encode(FooterNote)).Append("<br>");
            html.Append("<a href=\"").Append(h.Encode(hf.ManageUrl)).Append("\" style=\"color:#0b5a36\">Regionen ändern</a> · ");
            html.Append("<a href=\"").Append(h.Encode(hf.UnsubscribeUrl)).Append("\" style=\"color:#0b5a36\">Benachrichtigungen abbestellen</a></p>");
        }

        html.Append("</body></html>");

        var now = time.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Kind = kind,
            ToAddress = email,
            Subject = subject,
            TextBody = text.ToString(),
            HtmlBody = html.ToString(),
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }
}
