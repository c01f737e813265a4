using System.Collections.Concurrent;
using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace LprEvents.Tests.Cluster;

/// <summary>
/// Two instances behind nginx, sharing the database and Redis (ADR 0026): what a visitor, an editor and an operator
/// notice must not depend on which instance answers.
/// </summary>
public sealed class MultiInstanceTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AppInstance A => cluster.Instances[0];

    private AppInstance B => cluster.Instances[1];

    [Fact]
    public async Task SignInOnOne_AdminPageOnTheOther_AndAFormRenderedByOnePostedToTheOther()
    {
        cluster.RequireServers();
        var editor = new CookieJar();
        using var toA = cluster.Direct(A, editor);
        using var toB = cluster.Direct(B, editor);

        var signIn = await SignInAsync(toA);
        using var dashboard = await toB.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        var page = Html.Parse(await dashboard.Content.ReadAsStringAsync(Ct));

        Assert.Equal((HttpStatusCode.Redirect, "/admin"), (signIn.StatusCode, signIn.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("Übersicht", page.Text("h1"));

        var e = await AddEventAsync("zwei-instanzen", capacity: 10);
        var visitor = new CookieJar();
        using var formFromA = cluster.Direct(A, visitor, "10.20.1.1");
        using var postToB = cluster.Direct(B, visitor, "10.20.1.1");
        var registered = await RegisterAsync(formFromA, postToB, e.Slug, "quer@example.org");

        Assert.Equal($"/veranstaltungen/{e.Slug}/anmeldung/eingegangen", registered.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PublishingOnOne_MakesTheCachedPageFreshOnTheOther()
    {
        cluster.RequireServers();
        using var readerA = cluster.Direct(A, new CookieJar());
        using var readerB = cluster.Direct(B, new CookieJar());

        Assert.DoesNotContain("Still eingetragen", await TextAsync(readerB, "/aktuelles"));
        // Written behind the app's back: only an eviction shows it. A never rendered /aktuelles, so it serves B's page
        // from the shared cache.
        await using (var db = cluster.Database())
        {
            db.Articles.Add(new Article
            {
                Title = "Still eingetragen",
                Slug = "still-eingetragen",
                Body = "Ohne die App geschrieben.",
                Status = ArticleStatus.Published,
                Date = new DateOnly(2026, 1, 5),
                PublishedAtUtc = DateTime.UtcNow.AddMinutes(-5),
                CreatedAtUtc = DateTime.UtcNow,
                UpdatedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        Assert.DoesNotContain("Still eingetragen", await TextAsync(readerA, "/aktuelles"));

        var editor = new CookieJar();
        using var adminA = cluster.Direct(A, editor);
        await SignInAsync(adminA);
        var (_, form) = await adminA.GetPageAsync("/admin/beitraege/neu");
        using var published = await adminA.PostAsync(
            new Uri("/admin/beitraege/neu", UriKind.Relative),
            new FormUrlEncodedContent(AdminSession.FormValues(form, new() { ["Title"] = "Frisch veröffentlicht", ["Body"] = "Auf Instanz A veröffentlicht.", ["aktion"] = "veroeffentlichen" }, form.QuerySelector("#artikel-formular"))),
            Ct);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var onB = await TextAsync(readerB, "/aktuelles");
        Assert.Contains("Frisch veröffentlicht", onB);
        Assert.Contains("Still eingetragen", onB);
    }

    [Fact]
    public async Task HundredRegistrationsAcrossBoth_HoldCapacity_AndEveryEmailGoesOutExactlyOnce()
    {
        cluster.RequireServers();
        const int people = 100;
        const int capacity = 30;
        var e = await AddEventAsync("hundert", capacity);
        var before = cluster.Smtp!.Messages.Count;

        // Through nginx, ten at a time; each person's form page and post may go to either instance. Two processes on
        // one SQLite file wait for each other's write lock at most Database:SqliteBusyTimeoutSeconds; on a loaded
        // machine a registration may get the 503 page "überlastet" (nothing stored, the form kept), and the person
        // sends it again, as the page asks. Anything else than the redirect or that 503 fails at once.
        var overloaded = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, people), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = Ct }, async (i, _) =>
        {
            using var browser = cluster.Through(new CookieJar());
            for (var attempt = 1; ; attempt++)
            {
                using var response = await RegisterAsync(browser, browser, e.Slug, $"person{i:000}@example.org");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 3)
                {
                    Interlocked.Increment(ref overloaded);
                    await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                    continue;
                }

                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"person{i:000}: {(int)response.StatusCode} on attempt {attempt}");
                Assert.Equal($"/veranstaltungen/{e.Slug}/anmeldung/eingegangen", response.Headers.Location?.OriginalString);
                break;
            }
        });
        TestContext.Current.TestOutputHelper?.WriteLine($"{overloaded} registrations answered 503 and were sent again");
        var requests = await WaitForMailAsync(before + people);
        var links = requests.Where(m => m.To.Mailboxes.Single().Address.StartsWith("person", StringComparison.Ordinal)).Select(Mailbox.PrivatePath).ToList();
        Assert.Equal(people, links.Count);

        await Parallel.ForEachAsync(links, new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = Ct }, async (path, _) =>
        {
            using var browser = cluster.Through(new CookieJar());
            var (_, page) = await browser.GetPageAsync(path);
            using var confirmed = await browser.PostAsync(
                new Uri($"{path}/bestaetigen", UriKind.Relative),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page) }),
                Ct);
            Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        });
        await WaitForMailAsync(before + 2 * people);
        // Both senders keep polling every second: a duplicate would arrive within a few polls.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var perRecipient = Received(before)
            .GroupBy(m => m.To.Mailboxes.Single().Address)
            .Where(g => g.Key.StartsWith("person", StringComparison.Ordinal))
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(people, perRecipient.Count);
        Assert.All(perRecipient, r => Assert.Equal(2, r.Value));
        await using var db = cluster.Database();
        var states = await db.Participants.Where(p => p.EventId == e.Id).GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, Ct);
        Assert.Equal(capacity, states[ParticipantStatus.Confirmed]);
        Assert.Equal(people - capacity, states[ParticipantStatus.WaitingList]);
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.Status != OutboxStatus.Sent && m.ToAddress.StartsWith("person"), Ct));
        // nginx balanced the load: both instances logged requests for the registration form.
        Assert.Contains($"/veranstaltungen/{e.Slug}/anmeldung", A.OutputText, StringComparison.Ordinal);
        Assert.Contains($"/veranstaltungen/{e.Slug}/anmeldung", B.OutputText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimits_AreCountedOnceAcrossBoth()
    {
        cluster.RequireServers();
        var e = await AddEventAsync("grenze", capacity: 10);
        var visitor = new CookieJar();
        using var toA = cluster.Direct(A, visitor, "10.99.0.7");
        using var toB = cluster.Direct(B, visitor, "10.99.0.7");
        var (_, form) = await toA.GetPageAsync($"/veranstaltungen/{e.Slug}/anmeldung");
        var token = RegistrationDriver.AntiforgeryToken(form);

        var accepted = 0;
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 2 * ClusterFixture.RateLimitPermits && refused is null; i++)
        {
            // An empty form: the rate limit counts every post, valid or not; the page answers with German messages.
            var response = await (i % 2 == 0 ? toA : toB).PostAsync(
                new Uri($"/veranstaltungen/{e.Slug}/anmeldung", UriKind.Relative),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
                Ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                accepted++;
                response.Dispose();
            }
        }

        Assert.Equal(ClusterFixture.RateLimitPermits, accepted);
        Assert.NotNull(refused);
        Assert.Equal("Zu viele Anfragen", Html.Parse(await refused.Content.ReadAsStringAsync(Ct)).Text("h1"));
        refused.Dispose();
    }

    [Fact]
    public async Task WhileRedisIsDown_PagesAndFormsStillWork_AndEachInstanceWarns()
    {
        cluster.RequireServers();
        var e = await AddEventAsync("ohne-redis", capacity: 10);
        var marks = cluster.Instances.Select(i => i.Output.Count).ToArray();
        cluster.StopRedis();
        try
        {
            using var browser = cluster.Through(new CookieJar());
            for (var i = 0; i < 4; i++)
            {
                using var page = await browser.GetAsync(new Uri("/aktuelles", UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            var registered = await RegisterAsync(browser, browser, e.Slug, "ohne-redis@example.org");
            Assert.Equal($"/veranstaltungen/{e.Slug}/anmeldung/eingegangen", registered.Headers.Location?.OriginalString);
            Assert.All(cluster.Instances, (instance, index) =>
                Assert.Contains(instance.Output.Skip(marks[index]), line => line.Contains("Redis connection lost", StringComparison.Ordinal)));
        }
        finally
        {
            cluster.StartRedis();
        }

        // Back by itself: both instances reconnect within seconds (the other tests count on Redis).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Enumerable.Range(0, marks.Length).All(i => cluster.Instances[i].Output.Skip(marks[i]).Any(l => l.Contains("Redis connection restored", StringComparison.Ordinal))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the instances did not reconnect to Redis within 30 s");
            await Task.Delay(200, Ct);
        }
    }

    private async Task<HttpResponseMessage> SignInAsync(HttpClient client)
    {
        var (_, page) = await client.GetPageAsync("/admin/anmelden");
        return await client.PostAsync(
            new Uri("/admin/anmelden", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = cluster.AdminEmail,
                ["Password"] = cluster.AdminPassword,
                ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
            }),
            Ct);
    }

    /// <summary>The form page from <paramref name="formFrom"/>, the post to <paramref name="postTo"/> (same visitor).</summary>
    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient formFrom, HttpClient postTo, string slug, string email)
    {
        var (_, form) = await formFrom.GetPageAsync($"/veranstaltungen/{slug}/anmeldung");
        var fields = RegistrationDriver.ValidFields(email);
        fields["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(form);
        fields["RegionId"] = form.QuerySelectorAll("#RegionId option").Skip(1).First().GetAttribute("value")!;
        return await postTo.PostAsync(new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative), new FormUrlEncodedContent(fields), Ct);
    }

    private async Task<Event> AddEventAsync(string slug, int capacity)
    {
        await using var db = cluster.Database();
        var region = await db.Regions.FirstAsync(r => r.Slug == "chemnitz", Ct);
        var e = RegistrationDriver.NewEvent($"Treffen {slug}", slug, capacity, waitingList: true, DateTime.UtcNow);
        e.Regions.Add(region);
        db.Events.Add(e);
        await db.SaveChangesAsync(Ct);
        return e;
    }

    private static async Task<string> TextAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.Parse(await response.Content.ReadAsStringAsync(Ct)).Body!.TextContent;
    }

    private List<MimeMessage> Received(int skip) =>
        cluster.Smtp!.Messages.Skip(skip).Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();

    /// <summary>Waits (at most a minute) until the SMTP server holds <paramref name="total"/> messages; returns those after the first.</summary>
    private async Task<List<MimeMessage>> WaitForMailAsync(int total)
    {
        // Under CI the browser tests run beside this one; a message whose SMTP session broke is retried after the
        // outbox's first back-off (30 s), so allow two of them.
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (cluster.Smtp!.Messages.Count < total)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {cluster.Smtp.Messages.Count} of {total} e-mails arrived within 150 s");
            await Task.Delay(250, Ct);
        }

        return Received(0);
    }
}
