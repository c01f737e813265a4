using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LprEvents.Web.Services.Publishing;

/// <summary>
/// The accessibility gate: an article is not published while an image lacks alt text or credit, a heading
/// level is skipped or a link says nothing about where it leads. Returns the reasons in German.
/// </summary>
public static class PublishingGate
{
    private static readonly HashSet<string> MeaninglessLinkTexts = new(StringComparer.OrdinalIgnoreCase)
    {
        "hier", "mehr", "weiter", "weiterlesen", "link", "klick", "klicken", "hier klicken", "klicken sie hier",
        "mehr erfahren", "mehr lesen", "mehr dazu", "mehr infos", "mehr informationen", "details", "click here", "read more",
    };

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseEmphasisExtras().UsePipeTables().UseAutoLinks().Build();

    /// <param name="publicBaseUrl">Site:PublicBaseUrl: absolute image addresses on its host count as the portal's own; empty, only <c>/medien/…</c> does.</param>
    public static IReadOnlyList<string> Check(string title, string body, string? leadImageAlt, string? leadImageCredit, bool hasLeadImage, string? publicBaseUrl = null)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(title))
        {
            problems.Add("Der Beitrag hat keinen Titel.");
        }

        foreach (var placeholder in ReportDraft.Placeholders.Where(p => body.Contains(p, StringComparison.Ordinal)))
        {
            problems.Add($"Im Text steht noch der Platzhalter „{placeholder}“. Ersetzen Sie ihn durch Ihren eigenen Text oder löschen Sie ihn.");
        }

        if (hasLeadImage && string.IsNullOrWhiteSpace(leadImageAlt))
        {
            problems.Add("Das Titelbild hat keinen Alternativtext. Beschreiben Sie in der Medienverwaltung, was darauf zu sehen ist.");
        }

        if (hasLeadImage && string.IsNullOrWhiteSpace(leadImageCredit))
        {
            problems.Add("Beim Titelbild fehlt der Bildnachweis (zum Beispiel „© LPR Sachsen“).");
        }

        var document = Markdown.Parse(body ?? "", Pipeline);
        var previous = 1;
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            // "# " becomes h2 on the page (the title is the h1), so levels count from 2.
            var level = Math.Max(heading.Level, 2);
            if (level > previous + 1)
            {
                problems.Add($"Die Überschrift „{PlainText(heading.Inline)}“ überspringt eine Ebene (von Ebene {previous} auf {level}). Verwenden Sie die Ebenen der Reihe nach.");
            }

            previous = level;
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            var text = PlainText(link).Trim().TrimEnd('.', '!', ':', '…');
            if (link.IsImage)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    problems.Add($"Ein Bild im Text ({link.Url}) hat keinen Alternativtext: Schreiben Sie ihn zwischen die eckigen Klammern.");
                }

                if (!MediaStorage.IsOwnMediaUrl(link.Url, publicBaseUrl))
                {
                    problems.Add($"Das Bild „{link.Url}“ liegt nicht in der Medienverwaltung des Portals. Laden Sie es unter „Medien“ hoch und fügen Sie es von dort ein; Bilder von anderen Servern werden nicht angezeigt.");
                }
            }
            else if (MeaninglessLinkTexts.Contains(text) || (link.Url is { } url && text.Equals(url, StringComparison.OrdinalIgnoreCase) && !link.IsAutoLink))
            {
                problems.Add($"Der Linktext „{text}“ sagt nicht, wohin der Link führt. Nennen Sie das Ziel, zum Beispiel „Programm des Fachtags“.");
            }
        }

        return problems;
    }

    private static string PlainText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        foreach (var child in inline.Descendants<LiteralInline>())
        {
            text.Append(child.Content.ToString());
        }

        foreach (var code in inline.Descendants<CodeInline>())
        {
            text.Append(code.Content);
        }

        return text.ToString();
    }
}
