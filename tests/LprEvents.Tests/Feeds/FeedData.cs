using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Feeds;

/// <summary>The application without demo content (the 13 regions only): each test adds the articles and events it reads.</summary>
public sealed class EmptySiteFactory : LprWebFactory
{
    public EmptySiteFactory()
    {
        SeedDemo = false;
    }
}

/// <summary>Articles and events written straight into the database, shaped as each test needs.</summary>
public static class FeedData
{
    public static DateTime Now(LprWebFactory factory) => factory.Time.GetUtcNow().UtcDateTime;

    public static async Task<Article> AddArticleAsync(
        LprWebFactory factory,
        string slug,
        ArticleStatus status = ArticleStatus.Published,
        DateTime? publishedAtUtc = null,
        DateOnly? date = null,
        string body = "Ein Absatz.",
        string teaser = "Kurz gesagt.",
        string[]? regions = null,
        MediaAsset? leadImage = null,
        string? publicAuthorName = null,
        DateTime? updatedAtUtc = null,
        bool deleted = false)
    {
        await using var scope = factory.CreateDbScope();
        var now = Now(factory);
        var slugs = regions ?? [];
        DateTime? published = status == ArticleStatus.Draft ? null : publishedAtUtc ?? now.AddHours(-1);
        var article = new Article
        {
            Title = $"Beitrag {slug}",
            Slug = slug,
            Teaser = teaser,
            Body = body,
            Status = status,
            PublishedAtUtc = published,
            Date = date ?? DateOnly.FromDateTime(BerlinTime.ToLocal(published ?? now)),
            Author = "redakteurin@lpr.example",
            CreatedAtUtc = now.AddDays(-1),
            UpdatedAtUtc = updatedAtUtc ?? now.AddMinutes(-30),
            DeletedAtUtc = deleted ? now.AddMinutes(-5) : null,
        };
        if (leadImage is not null)
        {
            scope.Db.MediaAssets.Add(leadImage);
            article.LeadImage = leadImage;
        }

        if (publicAuthorName is not null)
        {
            var user = new ApplicationUser { UserName = $"{slug}@lpr.example", Email = $"{slug}@lpr.example", PublicName = publicAuthorName };
            scope.Db.Users.Add(user);
            article.AuthorUser = user;
        }

        foreach (var region in await scope.Db.Regions.Where(r => slugs.Contains(r.Slug)).ToListAsync(TestContext.Current.CancellationToken))
        {
            article.Regions.Add(region);
        }

        scope.Db.Articles.Add(article);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return article;
    }

    /// <summary>An event at a Berlin local time (the way an editor types it).</summary>
    public static async Task<Event> AddEventAsync(
        LprWebFactory factory,
        string slug,
        DateTime localStart,
        EventStatus status = EventStatus.Published,
        string[]? regions = null,
        string? onlineUrl = null)
    {
        await using var scope = factory.CreateDbScope();
        var now = Now(factory);
        var slugs = regions ?? [];
        var e = new Event
        {
            Title = $"Treffen {slug}",
            Slug = slug,
            Kind = EventKind.Vernetzungstreffen,
            StartsAtUtc = BerlinTime.ToUtc(localStart),
            EndsAtUtc = BerlinTime.ToUtc(localStart.AddHours(3)),
            VenueName = "Rathaus",
            VenueStreet = "Am Markt 1",
            VenuePostcode = "09599",
            VenueCity = "Freiberg",
            Summary = "Austausch der Präventionsräte.",
            Description = "Ausführliche Beschreibung.",
            OnlineUrl = onlineUrl,
            Status = status,
            Capacity = 20,
            RegistrationOpensAtUtc = now.AddDays(-1),
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        foreach (var region in await scope.Db.Regions.Where(r => slugs.Contains(r.Slug)).ToListAsync(TestContext.Current.CancellationToken))
        {
            e.Regions.Add(region);
        }

        scope.Db.Events.Add(e);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return e;
    }

    public static MediaAsset Image(string name, string altText) => new()
    {
        Kind = MediaKind.Image,
        FileName = $"{name}.jpg",
        ContentType = "image/jpeg",
        AltText = altText,
        Caption = "Bildunterschrift",
        Credit = "Erika Muster",
        Width = 1600,
        Height = 900,
        VariantWidths = "480,960,1600",
        CreatedAtUtc = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc),
    };
}
