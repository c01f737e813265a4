using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Services.Alerts;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Alerts;

/// <summary>Double opt-in, the form's answers, and what an address typed by someone else can and cannot do.</summary>
public sealed class AlertSubscriptionTests : IDisposable
{
    private readonly LprWebFactory _factory = new();
    private readonly AlertDriver _driver;

    public AlertSubscriptionTests() => _driver = new AlertDriver(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Subscribe_MailsAConfirmationLink_AndOnlyTheButtonBehindItActivates()
    {
        var response = await _driver.SubmitAsync(AlertDriver.ValidFields("Leser@Example.org"), "chemnitz", "mittelsachsen");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/benachrichtigungen/eingegangen", response.Headers.Location?.OriginalString);
        var stored = await _driver.SubscriptionAsync("leser@example.org");
        Assert.NotNull(stored);
        Assert.Null(stored.ConfirmedAtUtc);
        Assert.Equal(_factory.Time.GetUtcNow().UtcDateTime, stored.ConsentedAtUtc);
        Assert.Equal(["chemnitz", "mittelsachsen"], stored.Regions.Select(r => r.Slug).Order());
        Assert.All(stored.Links, l => Assert.Matches("^[0-9a-f]{64}$", l.TokenHash));

        await _driver.DeliverMailAsync();
        var mail = Assert.Single(Mailbox.To(_factory.MailFolder, "leser@example.org"));
        Assert.Equal("Bitte bestätigen Sie Ihr Abonnement der E-Mail-Benachrichtigungen", mail.Subject);
        Assert.Contains("Chemnitz, Mittelsachsen", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("innerhalb von 48 Stunden", mail.HtmlBody, StringComparison.Ordinal);
        var path = AlertDriver.ManagePath(mail);
        // The link's token is stored only as its hash.
        Assert.DoesNotContain(stored.Links, l => l.TokenHash == path.Split('/')[^1]);

        var (page, document) = await _driver.Client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("Abonnement bestätigen", document.Text("form[action$='/bestaetigen'] button"));
        Assert.Null((await _driver.SubscriptionAsync("leser@example.org"))!.ConfirmedAtUtc);

        var confirm = await _driver.PostManageAsync(path, "bestaetigen");
        Assert.Equal(path + "?hinweis=bestaetigt", confirm.Headers.Location?.OriginalString);
        Assert.NotNull((await _driver.SubscriptionAsync("leser@example.org"))!.ConfirmedAtUtc);
        var (_, after) = await _driver.Client.GetPageAsync(path + "?hinweis=bestaetigt");
        Assert.StartsWith("Vielen Dank! Ihre E-Mail-Adresse ist bestätigt.", after.Text("[role=status]"), StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("form[action$='/bestaetigen']"));
    }

    [Fact]
    public async Task Unconfirmed_IsRemovedAfter48Hours_WithALogEntryWithoutTheAddress()
    {
        await _driver.SubmitAsync(AlertDriver.ValidFields("vergessen@example.org"), "dresden");
        await _driver.DeliverMailAsync();
        var path = AlertDriver.ManagePath(Mailbox.To(_factory.MailFolder, "vergessen@example.org").Single());
        var confirmedPath = await _driver.SubscribeAndConfirmAsync("bestaetigt@example.org", "dresden");

        _factory.Time.Advance(TimeSpan.FromHours(47));
        Assert.Equal(0, (await _driver.RunMaintenanceAsync()).AlertsExpired);
        _factory.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await _driver.RunMaintenanceAsync()).AlertsExpired);

        Assert.Null(await _driver.SubscriptionAsync("vergessen@example.org"));
        Assert.NotNull(await _driver.SubscriptionAsync("bestaetigt@example.org"));
        Assert.Equal(HttpStatusCode.NotFound, (await _driver.Client.GetPageAsync(path)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _driver.Client.GetPageAsync(confirmedPath)).Response.StatusCode);
        await using var scope = _factory.CreateDbScope();
        var log = await scope.Db.DeletionLog.SingleAsync(d => d.Kind == AlertSubscriptions.ExpiredKind, TestContext.Current.CancellationToken);
        Assert.Equal(1, log.Count);
        Assert.False(await scope.Db.OutboxMessages.AnyAsync(m => m.ToAddress == "vergessen@example.org", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnotherPersonsAddress_GetsTheSamePage_ChangesNothing_AndMailsTheOwnerAtMostThreeTimesADay()
    {
        await _driver.SubscribeAndConfirmAsync("inhaberin@example.org", "chemnitz");
        var newcomer = await _driver.SubmitAsync(AlertDriver.ValidFields("neu@example.org"), "dresden");
        var before = Mailbox.To(_factory.MailFolder, "inhaberin@example.org").Count;

        var typist = await _driver.SubmitAsync(AlertDriver.ValidFields("Inhaberin@example.org"), "alle");

        Assert.Equal(newcomer.StatusCode, typist.StatusCode);
        Assert.Equal(newcomer.Headers.Location, typist.Headers.Location);
        var (_, answer) = await _driver.Client.GetPageAsync(typist.Headers.Location!.OriginalString);
        Assert.DoesNotContain("/benachrichtigungen/verwalten/", answer.Body!.InnerHtml, StringComparison.Ordinal);
        var stored = (await _driver.SubscriptionAsync("inhaberin@example.org"))!;
        Assert.False(stored.AllRegions);
        Assert.Equal(["chemnitz"], stored.Regions.Select(r => r.Slug));
        Assert.NotNull(stored.ConfirmedAtUtc);

        await _driver.DeliverMailAsync();
        var owners = Mailbox.To(_factory.MailFolder, "inhaberin@example.org");
        Assert.Equal(before + 1, owners.Count);
        var manage = owners[^1];
        Assert.Equal("Ihr Abonnement der E-Mail-Benachrichtigungen", manage.Subject);
        Assert.Contains("daran hat sich nichts geändert", manage.TextBody, StringComparison.Ordinal);
        var (page, _) = await _driver.Client.GetPageAsync(AlertDriver.ManagePath(manage));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // The confirmation of the owner's own subscription counts too: at most three such e-mails a day.
        for (var i = 0; i < 3; i++)
        {
            await _driver.SubmitAsync(AlertDriver.ValidFields("inhaberin@example.org"), "leipzig");
        }

        await _driver.DeliverMailAsync();
        Assert.Equal(3, Mailbox.To(_factory.MailFolder, "inhaberin@example.org").Count);
        _factory.Time.Advance(TimeSpan.FromDays(1.1));
        await _driver.SubmitAsync(AlertDriver.ValidFields("inhaberin@example.org"), "leipzig");
        await _driver.DeliverMailAsync();
        Assert.Equal(4, Mailbox.To(_factory.MailFolder, "inhaberin@example.org").Count);
        Assert.Equal(["chemnitz"], (await _driver.SubscriptionAsync("inhaberin@example.org"))!.Regions.Select(r => r.Slug));
    }

    [Fact]
    public async Task ManagementPage_ChangesTheRegions_AndRefusesNoRegionInGerman()
    {
        var path = await _driver.SubscribeAndConfirmAsync("wechsel@example.org", "chemnitz");
        var dresden = await _driver.RegionIdAsync("dresden");
        var zwickau = await _driver.RegionIdAsync("zwickau");

        var saved = await _driver.PostManageAsync(path, "regionen", [new("RegionIds", $"{dresden}"), new("RegionIds", $"{zwickau}")]);
        Assert.Equal(path + "?hinweis=gespeichert", saved.Headers.Location?.OriginalString);
        Assert.Equal(["dresden", "zwickau"], (await _driver.SubscriptionAsync("wechsel@example.org"))!.Regions.Select(r => r.Slug).Order());

        var empty = await _driver.PostManageAsync(path, "regionen");
        var page = Html.Parse(await empty.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.StartsWith("Fehler: ", page.Title, StringComparison.Ordinal);
        Assert.StartsWith("Fehler: Bitte wählen Sie mindestens eine Region", page.Text("#RegionIds-fehler"), StringComparison.Ordinal);
        Assert.Equal(2, (await _driver.SubscriptionAsync("wechsel@example.org"))!.Regions.Count);

        await _driver.PostManageAsync(path, "regionen", [new("AllRegions", "true"), new("RegionIds", $"{dresden}")]);
        var all = (await _driver.SubscriptionAsync("wechsel@example.org"))!;
        Assert.True(all.AllRegions);
        Assert.Empty(all.Regions);
    }

    [Fact]
    public async Task BadInput_GetsGermanMessagesNextToTheFields_AndKeepsWhatWasTyped()
    {
        var empty = await _driver.SubmitAsync([]);
        var page = Html.Parse(await empty.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.StartsWith("Fehler: ", page.Title, StringComparison.Ordinal);
        Assert.Equal(
            [
                "Bitte geben Sie Ihre E-Mail-Adresse an.",
                "Bitte wählen Sie mindestens eine Region oder „alle Regionen“.",
                "Bitte willigen Sie in die Verarbeitung Ihrer E-Mail-Adresse ein, damit wir Ihnen die Benachrichtigungen schicken können.",
            ],
            page.Texts(".error-summary li"));
        Assert.Equal("#Email", page.QuerySelector(".error-summary a")?.GetAttribute("href"));
        Assert.Equal("Fehler: Bitte geben Sie Ihre E-Mail-Adresse an.", page.Text("#Email-fehler"));
        Assert.Equal("true", page.QuerySelector("#Email")?.GetAttribute("aria-invalid"));

        var typo = await _driver.SubmitAsync(new() { ["Email"] = "anna at freiberg", ["PrivacyConsent"] = "true" }, "goerlitz");
        page = Html.Parse(await typo.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@freiberg.de."], page.Texts(".error-summary li"));
        Assert.Equal("anna at freiberg", page.QuerySelector("#Email")?.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector($"#RegionIds-{await _driver.RegionIdAsync("goerlitz")}[checked]"));
        Assert.NotNull(page.QuerySelector("#PrivacyConsent[checked]"));

        var unknownRegion = await _driver.SubmitAsync(new() { ["Email"] = "x@example.org", ["PrivacyConsent"] = "true", ["RegionIds"] = "999999" });
        page = Html.Parse(await unknownRegion.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["Bitte wählen Sie nur Regionen aus der Liste."], page.Texts(".error-summary li"));

        var garbage = await _driver.SubmitAsync(new() { ["Email"] = "x@example.org", ["PrivacyConsent"] = "vielleicht", ["RegionIds"] = "abc" });
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        await using var scope = _factory.CreateDbScope();
        Assert.False(await scope.Db.AlertSubscriptions.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Honeypot_AnswersLikeSuccess_AndStoresNothing()
    {
        var fields = AlertDriver.ValidFields("bot@example.org");
        fields["Website"] = "https://spam.example";

        var response = await _driver.SubmitAsync(fields, "dresden");

        Assert.Equal("/benachrichtigungen/eingegangen", response.Headers.Location?.OriginalString);
        Assert.Null(await _driver.SubscriptionAsync("bot@example.org"));
    }

    [Fact]
    public async Task RegionPage_LinksToTheFormWithItsRegionTicked()
    {
        var (_, region) = await _driver.Client.GetPageAsync("/regionen/mittelsachsen");
        var link = region.QuerySelector("main a[href='/benachrichtigungen?region=mittelsachsen']");
        Assert.NotNull(link);

        var (_, form) = await _driver.Client.GetPageAsync(link.GetAttribute("href")!);
        var ticked = form.QuerySelectorAll("input[name=RegionIds][checked]").Select(i => i.GetAttribute("value")).ToList();
        Assert.Equal([$"{await _driver.RegionIdAsync("mittelsachsen")}"], ticked);
        var (_, home) = await _driver.Client.GetPageAsync("/");
        Assert.NotNull(home.QuerySelector("footer a[href='/benachrichtigungen']"));
    }
}

public sealed class AlertRateLimitTests
{
    [Fact]
    public async Task ManyPostsFromOneClient_AreRejectedWithA429GermanPage()
    {
        using var factory = new LprWebFactory { RateLimitPermits = 2 };
        var driver = new AlertDriver(factory);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await driver.SubmitAsync(AlertDriver.ValidFields($"flut{i}@example.org"), "dresden");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("Zu viele Anfragen", Html.Parse(await last!.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Text("h1"));
        Assert.Null(await driver.SubscriptionAsync("flut2@example.org"));
    }
}
