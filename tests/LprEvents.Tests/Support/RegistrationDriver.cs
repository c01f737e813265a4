using System.Net;
using AngleSharp.Dom;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Email;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Support;

/// <summary>Registers the way a person does it: form page, fields, submit, e-mail, link.</summary>
public sealed class RegistrationDriver(LprWebFactory factory)
{
    public HttpClient Client { get; } = factory.CreateClient(new() { AllowAutoRedirect = false });

    public static Dictionary<string, string> ValidFields(string email, string firstName = "Anna") => new()
    {
        ["FirstName"] = firstName,
        ["LastName"] = "Müller",
        ["Email"] = email,
        ["Organisation"] = "Stadtverwaltung Freiberg",
        ["OrganisationType"] = "Kommune",
        ["Function"] = "Präventionsbeauftragte",
        ["PhotoConsent"] = "true",
        ["PrivacyConsent"] = "true",
    };

    public async Task<IDocument> FormAsync(string slug)
    {
        var (response, page) = await Client.GetPageAsync($"/veranstaltungen/{slug}/anmeldung");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return page;
    }

    /// <summary>Fills the form: the region preselected by the page unless given, the first group of every slot unless given.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string slug, Dictionary<string, string> fields, bool pickDefaults = true) =>
        SubmitUntilAsync(slug, fields, TestContext.Current.CancellationToken, pickDefaults);

    /// <summary>As <see cref="SubmitAsync"/>, the client giving up when <paramref name="giveUp"/> is cancelled.</summary>
    public async Task<HttpResponseMessage> SubmitUntilAsync(string slug, Dictionary<string, string> fields, CancellationToken giveUp, bool pickDefaults = true)
    {
        var form = await FormAsync(slug);
        var values = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
        };
        if (pickDefaults)
        {
            if (!values.ContainsKey("RegionId")
                && (form.QuerySelector("#RegionId option[selected]") ?? form.QuerySelectorAll("#RegionId option").Skip(1).FirstOrDefault())?.GetAttribute("value") is { Length: > 0 } region)
            {
                values["RegionId"] = region;
            }

            foreach (var radio in form.QuerySelectorAll("input[type=radio][name^='Sessions[']").GroupBy(r => r.GetAttribute("name")!))
            {
                values.TryAdd(radio.Key, radio.First().GetAttribute("value")!);
            }
        }

        return await Client.PostAsync(
            new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative),
            new FormUrlEncodedContent(values),
            giveUp);
    }

    /// <summary>
    /// Uses one of the private page's buttons (bestaetigen, abmelden, loeschen, programm). Cancelling and deleting go
    /// the way a person does: the link on the private page, then the form on the confirmation page it leads to.
    /// </summary>
    public async Task<HttpResponseMessage> PostPrivateAsync(string privatePath, string action, Dictionary<string, string>? fields = null)
    {
        var (_, page) = await Client.GetPageAsync(privatePath);
        if (ConfirmationPages.TryGetValue(action, out var confirmPath))
        {
            var link = page.QuerySelector($"a[href='{privatePath}/{confirmPath}']")
                ?? throw new Xunit.Sdk.XunitException($"the private page offers no '{confirmPath}'");
            (_, page) = await Client.GetPageAsync(link.GetAttribute("href")!);
            var form = page.QuerySelector($"form[action='{privatePath}/{action}']")
                ?? throw new Xunit.Sdk.XunitException($"the confirmation page has no form for '{action}'");
            fields = new Dictionary<string, string>(fields ?? [])
            {
                ["bestaetigt"] = form.QuerySelector("input[name=bestaetigt]")!.GetAttribute("value")!,
            };
        }

        var values = new Dictionary<string, string>(fields ?? [])
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        };
        return await Client.PostAsync(new Uri($"{privatePath}/{action}", UriKind.Relative), new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);
    }

    /// <summary>The confirmation page in front of each destructive button of the private page.</summary>
    public static readonly IReadOnlyDictionary<string, string> ConfirmationPages = new Dictionary<string, string>
    {
        ["abmelden"] = "absagen",
        ["loeschen"] = "daten-loeschen",
    };

    public static string AntiforgeryToken(IDocument page) =>
        page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new Xunit.Sdk.XunitException("the page has no antiforgery token");

    /// <summary>Runs the outbox once, as the background worker would.</summary>
    public Task<int> DeliverMailAsync() => factory.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);

    public Task<MaintenanceReport> RunMaintenanceAsync() => factory.Services.GetRequiredService<RegistrationMaintenance>().RunOnceAsync(TestContext.Current.CancellationToken);

    /// <summary>Registers and confirms through the pages and the e-mail; returns the private link path.</summary>
    public async Task<string> RegisterAndConfirmAsync(string slug, string email, Dictionary<string, string>? extra = null)
    {
        var fields = ValidFields(email);
        foreach (var (key, value) in extra ?? [])
        {
            fields[key] = value;
        }

        var response = await SubmitAsync(slug, fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await DeliverMailAsync();
        var mail = Mailbox.To(factory.MailFolder, email).Last(m => (m.Subject ?? "").StartsWith("Bitte bestätigen", StringComparison.Ordinal));
        var path = Mailbox.PrivatePath(mail);
        var confirm = await PostPrivateAsync(path, "bestaetigen");
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.StartsWith(path + "?hinweis=", confirm.Headers.Location?.OriginalString, StringComparison.Ordinal);
        await DeliverMailAsync();
        return path;
    }

    /// <summary>Adds an event that tests can shape freely: registration open now, starting in 20 days.</summary>
    public async Task<Event> AddEventAsync(string slug, int capacity, bool waitingList, params (string Title, int Capacity)[] groups)
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var region = await scope.Db.Regions.SingleAsync(r => r.Slug == "chemnitz", TestContext.Current.CancellationToken);
        var e = NewEvent($"Testtreffen {slug}", slug, capacity, waitingList, now);
        e.Regions.Add(region);
        foreach (var (title, groupCapacity) in groups)
        {
            e.Sessions.Add(new Session
            {
                Title = title,
                Kind = SessionKind.SmallGroup,
                StartsAtUtc = e.StartsAtUtc.AddHours(2),
                EndsAtUtc = e.StartsAtUtc.AddHours(3),
                Capacity = groupCapacity,
            });
        }

        scope.Db.Events.Add(e);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return e;
    }

    public async Task<Participant> ParticipantAsync(string email)
    {
        await using var scope = factory.CreateDbScope();
        return await scope.Db.Participants.AsNoTracking().Include(p => p.Sessions)
            .SingleAsync(p => p.EmailNormalized == RegistrationService.NormalizeEmail(email) && p.Status != ParticipantStatus.Cancelled, TestContext.Current.CancellationToken);
    }

    public async Task<List<Participant>> ParticipantsAsync(int eventId)
    {
        await using var scope = factory.CreateDbScope();
        return await scope.Db.Participants.AsNoTracking().Include(p => p.Sessions).Where(p => p.EventId == eventId).ToListAsync(TestContext.Current.CancellationToken);
    }

    public static string EventSlugOf(LprEventsDbContext db, string titleStart) =>
        db.Events.AsNoTracking().Where(e => e.Title.StartsWith(titleStart)).Select(e => e.Slug).Single();

    /// <summary>A published event with registration open now, starting in 20 days, in no region yet.</summary>
    public static Event NewEvent(string title, string slug, int capacity, bool waitingList, DateTime now) =>
        new()
        {
            Title = title,
            Slug = slug,
            Kind = EventKind.Workshop,
            StartsAtUtc = now.AddDays(20),
            EndsAtUtc = now.AddDays(20).AddHours(5),
            VenueName = "Rathaus Chemnitz",
            VenueCity = "Chemnitz",
            Status = EventStatus.Published,
            Capacity = capacity,
            WaitingListEnabled = waitingList,
            RegistrationOpensAtUtc = now.AddDays(-1),
            RegistrationClosesAtUtc = now.AddDays(19),
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
}
