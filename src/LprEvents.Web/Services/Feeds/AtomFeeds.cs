using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using LprEvents.Web.Domain;
using LprEvents.Web.ViewModels.Shared;

namespace LprEvents.Web.Services.Feeds;

/// <summary>One article as a feed entry needs it: the public text, dates, credited author and lead image.</summary>
public sealed record FeedArticle(
    int Id,
    string Title,
    string Slug,
    string Teaser,
    string Body,
    DateOnly Date,
    DateTime? PublishedAtUtc,
    DateTime UpdatedAtUtc,
    string? AuthorName,
    MediaAsset? LeadImage,
    List<RegionLink> Regions);

/// <summary>What one feed is about: its stable id, titles and the page it stands for.</summary>
public sealed record FeedInfo(string Id, string Title, string Subtitle, string SelfPath, string AlternatePath);

/// <summary>
/// Atom 1.0 feeds (RFC 4287) of articles, written with System.ServiceModel.Syndication. Entries carry the whole
/// article as sanitised HTML with absolute links, the lead image with its alt text, the article's own date as
/// <c>published</c> and the last save as <c>updated</c>, and the public author name or "Redaktion" (never a login).
/// Ids are tag: URIs on the article's id, so they survive a changed slug or host name.
/// </summary>
public sealed class AtomFeeds(MarkdownRenderer markdown, PublicUrls urls)
{
    /// <summary>Entries per feed: the newest articles only; a reader that polls keeps the older ones itself.</summary>
    public const int Size = 20;

    public const string ContentType = "application/atom+xml; charset=utf-8";

    private const string Publisher = "Landespräventionsrat Sachsen";

    private const string TagAuthority = "tag:lpr.sachsen.de,2026:";

    public static FeedInfo Site() => new(
        TagAuthority + "beitraege",
        "Landespräventionsrat Sachsen: Aktuelles",
        "Berichte und Nachrichten des Landespräventionsrates Sachsen",
        FeedPaths.Atom,
        "/aktuelles");

    public static FeedInfo Region(string name, string slug) => new(
        TagAuthority + "beitraege:region:" + slug,
        $"Landespräventionsrat Sachsen: Region {name}",
        $"Berichte und Nachrichten aus der Region {name}",
        FeedPaths.RegionAtom(slug),
        $"/regionen/{slug}");

    public static string EntryId(int articleId) => TagAuthority + "beitrag:" + articleId.ToString(CultureInfo.InvariantCulture);

    /// <param name="articles">Newest first, at most <see cref="Size"/>.</param>
    /// <param name="nowUtc">The feed's <c>updated</c> when it has no entries.</param>
    public byte[] Write(FeedInfo info, IReadOnlyList<FeedArticle> articles, DateTime nowUtc)
    {
        var feed = new SyndicationFeed
        {
            Id = info.Id,
            Title = new TextSyndicationContent(info.Title),
            Description = new TextSyndicationContent(info.Subtitle),
            Language = "de",
            LastUpdatedTime = articles.Count == 0 ? Utc(nowUtc) : articles.Max(LastChange),
            Generator = "LprEvents",
            Copyright = new TextSyndicationContent(Publisher),
        };
        feed.Authors.Add(new SyndicationPerson { Name = Publisher });
        feed.Links.Add(new SyndicationLink(new Uri(urls.Absolute(info.SelfPath)), "self", info.Title, "application/atom+xml", 0));
        feed.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(urls.Absolute(info.AlternatePath)), "text/html"));
        feed.Items = articles.Select(Entry).ToList();

        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false) };
        using (var writer = XmlWriter.Create(stream, settings))
        {
            writer.WriteStartDocument();
            feed.SaveAsAtom10(writer);
        }

        return stream.ToArray();
    }

    private SyndicationItem Entry(FeedArticle a)
    {
        var url = urls.Absolute($"/aktuelles/{a.Slug}");
        var item = new SyndicationItem
        {
            Id = EntryId(a.Id),
            Title = new TextSyndicationContent(a.Title),
            Content = SyndicationContent.CreateHtmlContent(ContentHtml(a, url)),
            PublishDate = new DateTimeOffset(a.Date.ToDateTime(TimeOnly.MinValue), BerlinTime.Zone.GetUtcOffset(a.Date.ToDateTime(TimeOnly.MinValue))),
            LastUpdatedTime = Utc(a.UpdatedAtUtc),
        };
        if (a.Teaser.Length > 0)
        {
            item.Summary = new TextSyndicationContent(a.Teaser);
        }

        item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(url), "text/html"));
        // Readers see the public name an editor chose, or the editorial team: never a login (Article.Author).
        item.Authors.Add(new SyndicationPerson { Name = a.AuthorName ?? "Redaktion" });
        foreach (var region in a.Regions)
        {
            item.Categories.Add(new SyndicationCategory(region.Slug, null, region.Name));
        }

        return item;
    }

    private string ContentHtml(FeedArticle a, string url)
    {
        var html = new StringBuilder();
        if (ImageView.From(a.LeadImage) is { } image)
        {
            var widths = image.Widths;
            var (width, height) = widths.Count == 0 || image.Width == 0
                ? (image.Width, image.Height)
                : (widths[widths.Count / 2], (int)Math.Round(image.Height * (double)widths[widths.Count / 2] / image.Width));
            html.Append(CultureInfo.InvariantCulture, $"<figure><img src=\"{Encode(urls.Absolute(image.Src))}\" alt=\"{Encode(image.AltText)}\"");
            if (width > 0 && height > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $" width=\"{width}\" height=\"{height}\"");
            }

            html.Append("><figcaption>");
            if (image.Caption.Length > 0)
            {
                html.Append(Encode(image.Caption)).Append(' ');
            }

            html.Append(CultureInfo.InvariantCulture, $"<small>{Encode(image.CreditLine)}</small></figcaption></figure>");
        }

        if (a.Teaser.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{Encode(a.Teaser)}</strong></p>");
        }

        html.Append(HtmlLinks.MakeAbsolute(markdown.Render(a.Body), url));
        return html.ToString();
    }

    /// <summary>A newly visible scheduled article changes the feed on its publication time, even when nobody saved it then.</summary>
    private static DateTimeOffset LastChange(FeedArticle a) =>
        Utc(a.PublishedAtUtc is { } published && published > a.UpdatedAtUtc ? published : a.UpdatedAtUtc);

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static string Encode(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);
}
