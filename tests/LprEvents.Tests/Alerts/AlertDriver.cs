using System.Net;
using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Alerts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace LprEvents.Tests.Alerts;

/// <summary>Subscribes the way a person does it: form, e-mail, link, button; and arranges articles and events for the digest.</summary>
public sealed partial class AlertDriver(LprWebFactory factory)
{
    private readonly RegistrationDriver _registration = new(factory);

    public HttpClient Client => _registration.Client;

    public static Dictionary<string, string> ValidFields(string email) => new()
    {
        ["Email"] = email,
        ["PrivacyConsent"] = "true",
    };

    /// <summary>Posts the form with the regions named by slug ("alle" ticks „alle Regionen“).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(Dictionary<string, string> fields, params string[] regionSlugs)
    {
        var (_, form) = await Client.GetPageAsync("/benachrichtigungen");
        var values = fields.ToList();
        values.Add(new("__RequestVerificationToken", RegistrationDriver.AntiforgeryToken(form)));
        foreach (var slug in regionSlugs)
        {
            values.Add(slug == "alle" ? new("AllRegions", "true") : new("RegionIds", (await RegionIdAsync(slug)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return await Client.PostAsync(new Uri("/benachrichtigungen", UriKind.Relative), new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);
    }

    public Task<int> DeliverMailAsync() => _registration.DeliverMailAsync();

    public Task<int> RunDigestAsync() => factory.Services.GetRequiredService<AlertDigest>().RunOnceAsync(TestContext.Current.CancellationToken);

    public Task<Web.Services.Registration.MaintenanceReport> RunMaintenanceAsync() => _registration.RunMaintenanceAsync();

    /// <summary>Subscribes, follows the e-mailed link and presses „Abonnement bestätigen“; returns the management path.</summary>
    public async Task<string> SubscribeAndConfirmAsync(string email, params string[] regionSlugs)
    {
        var response = await SubmitAsync(ValidFields(email), regionSlugs);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await DeliverMailAsync();
        var path = ManagePath(Mailbox.To(factory.MailFolder, email)[^1]);
        var confirmed = await PostManageAsync(path, "bestaetigen");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        return path;
    }

    /// <summary>Uses a form of the management page (bestaetigen, regionen) with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostManageAsync(string managePath, string action, IEnumerable<KeyValuePair<string, string>>? fields = null)
    {
        var (_, page) = await Client.GetPageAsync(managePath);
        var values = (fields ?? []).ToList();
        values.Add(new("__RequestVerificationToken", RegistrationDriver.AntiforgeryToken(page)));
        return await Client.PostAsync(new Uri($"{managePath}/{action}", UriKind.Relative), new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);
    }

    public async Task<int> RegionIdAsync(string slug)
    {
        await using var scope = factory.CreateDbScope();
        return await scope.Db.Regions.Where(r => r.Slug == slug).Select(r => r.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    public async Task<AlertSubscription?> SubscriptionAsync(string email)
    {
        var normalized = email.ToLowerInvariant();
        await using var scope = factory.CreateDbScope();
        return await scope.Db.AlertSubscriptions.AsNoTracking().Include(s => s.Regions).Include(s => s.Links)
            .SingleOrDefaultAsync(s => s.EmailNormalized == normalized, TestContext.Current.CancellationToken);
    }

    /// <summary>Adds an article in the given regions, visible from <paramref name="publishedAtUtc"/>.</summary>
    public async Task AddArticleAsync(string slug, string regionSlug, DateTime publishedAtUtc, ArticleStatus status = ArticleStatus.Published)
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            Title = $"Bericht {slug}",
            Slug = slug,
            Teaser = $"Kurzfassung {slug}: Prävention vor Ort.",
            Body = "Text",
            Status = status,
            Date = DateOnly.FromDateTime(publishedAtUtc),
            PublishedAtUtc = status == ArticleStatus.Draft ? null : publishedAtUtc,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        article.Regions.Add(await scope.Db.Regions.SingleAsync(r => r.Slug == regionSlug, TestContext.Current.CancellationToken));
        scope.Db.Articles.Add(article);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Adds an event in a region, public since <paramref name="publishedAtUtc"/> (null: a draft), starting in 30 days.</summary>
    public async Task AddEventAsync(string slug, string regionSlug, DateTime? publishedAtUtc)
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var e = new Event
        {
            Title = $"Treffen {slug}",
            Slug = slug,
            Kind = EventKind.Vernetzungstreffen,
            StartsAtUtc = now.AddDays(30),
            EndsAtUtc = now.AddDays(30).AddHours(4),
            VenueName = "Rathaus",
            VenueCity = "Görlitz",
            Summary = $"Worum es bei {slug} geht.",
            Status = publishedAtUtc is null ? EventStatus.Draft : EventStatus.Published,
            PublishedAtUtc = publishedAtUtc,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        e.Regions.Add(await scope.Db.Regions.SingleAsync(r => r.Slug == regionSlug, TestContext.Current.CancellationToken));
        scope.Db.Events.Add(e);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public IReadOnlyList<MimeMessage> Digests(string email) =>
        Mailbox.To(factory.MailFolder, email).Where(m => (m.Subject ?? "").StartsWith("Neu in Ihren Regionen", StringComparison.Ordinal)).ToList();

    /// <summary>The management link in a message's plain text, as a path.</summary>
    public static string ManagePath(MimeMessage message)
    {
        var match = ManageLink().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"no management link in '{message.Subject}'");
        return match.Groups["path"].Value;
    }

    [GeneratedRegex(@"https://veranstaltungen\.test(?<path>/benachrichtigungen/verwalten/[0-9a-f]{64})")]
    private static partial Regex ManageLink();
}
