using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LprEvents.BrowserTests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LprEvents.BrowserTests;

/// <summary>The meeting desk on the laptop staff bring to the door: a 1366 × 768 screen.</summary>
public sealed class MeetingDeskBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ParticipantTable_WithLongNamesAndOrganisations_FitsA1366PixelScreenWithoutScrollingSideways()
    {
        BrowserFixture.RequireBrowser();
        var eventId = await AddEventWithLongEntriesAsync();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await page.SetViewportSizeAsync(1366, 768);

        await page.GotoAsync($"/admin/veranstaltungen/{eventId}/teilnehmende");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(6);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-teilnehmende-1366.png"), FullPage = true });

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.querySelector('.table-wrap').scrollWidth, document.querySelector('.table-wrap').clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the page scrolls sideways: {widths[0]} > {widths[1]}");
        Assert.True(widths[2] <= widths[3], $"the table scrolls sideways inside its box: {widths[2]} > {widths[3]}");
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help}")));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Door_AddsAWalkInToAFullEvent_AfterTheWarning()
    {
        BrowserFixture.RequireBrowser();
        var eventId = await AddEventWithLongEntriesAsync();
        var page = await SignInAsync(IdentitySetup.EditorRole);

        await page.GotoAsync($"/admin/veranstaltungen/{eventId}/einlass");
        await page.GetByRole(AriaRole.Link, new() { Name = "Person ohne Anmeldung aufnehmen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--warning")).ToContainTextAsync("Alle 3 Plätze sind vergeben");
        await page.GetByLabel("Vorname").FillAsync("Jana");
        await page.GetByLabel("Nachname").FillAsync("Köhler");
        await page.GetByLabel("Organisation (freiwillig)").FillAsync("Polizeirevier Pirna");
        await page.GetByLabel("Art der Organisation").SelectOptionAsync("Polizei");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen und einchecken" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Bestätigen Sie, dass die Person trotzdem teilnimmt.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-vor-ort-voll.png"), FullPage = true });
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help}")));

        await page.GetByLabel("Trotzdem aufnehmen – über die Zahl der Plätze hinaus").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen und einchecken" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Einlass");
        await Assertions.Expect(page.Locator(".checkin-list li", new() { HasText = "Köhler, Jana" }).Locator("button")).ToContainTextAsync("ist da");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EventEditor_EditsTwoProgramItemsInPlace_WithoutReloadingThePage()
    {
        BrowserFixture.RequireBrowser();
        var eventId = await AddEventWithLongEntriesAsync();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await page.GotoAsync($"/admin/veranstaltungen/{eventId}/bearbeiten");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        var rows = page.Locator("section[aria-labelledby=programm] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        await rows.Nth(0).GetByRole(AriaRole.Link, new() { Name = "Bearbeiten" }).ClickAsync();
        await rows.Nth(2).GetByRole(AriaRole.Link, new() { Name = "Bearbeiten" }).ClickAsync();
        var forms = page.Locator("section[aria-labelledby=programm] .program-edit form");
        await Assertions.Expect(forms).ToHaveCountAsync(2);
        await forms.Nth(0).GetByLabel("Titel").FillAsync("Begrüßung und Kennenlernen");
        await forms.Nth(1).GetByLabel("Plätze (nur bei wählbaren Kleingruppen)").FillAsync("1");
        await forms.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=programm] .program-edit .error-summary")).ToContainTextAsync("Sie braucht mindestens 3 Plätze.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-programm-bearbeiten.png"), FullPage = true });
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));

        await forms.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Assertions.Expect(page.Locator("section[aria-labelledby=programm] tbody")).ToContainTextAsync("Begrüßung und Kennenlernen");
        await Assertions.Expect(page.Locator("section[aria-labelledby=programm] .program-status")).ToHaveTextAsync("„Begrüßung und Kennenlernen“ ist gespeichert.");
        await Assertions.Expect(page.Locator("section[aria-labelledby=programm] .program-edit form")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await page.Context.CloseAsync();
    }

    private async Task<int> AddEventWithLongEntriesAsync()
    {
        await using var scope = browser.Factory.CreateDbScope();
        var now = browser.Factory.Time.GetUtcNow().UtcDateTime;
        var e = new Event
        {
            Title = "Vernetzungstreffen Kommunale Kriminalprävention im Landkreis Sächsische Schweiz-Osterzgebirge",
            Slug = $"breite-{Guid.NewGuid():N}",
            Kind = EventKind.Workshop,
            StartsAtUtc = now.AddDays(20),
            EndsAtUtc = now.AddDays(20).AddHours(5),
            VenueName = "Landratsamt Sächsische Schweiz-Osterzgebirge, Großer Sitzungssaal",
            VenueCity = "Pirna",
            Status = EventStatus.Published,
            Capacity = 3,
            WaitingListEnabled = true,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        var group = new Session
        {
            Title = "Kleingruppe Sicherheitspartnerschaften zwischen Kommunen, Polizeidirektionen und Zivilgesellschaft",
            Kind = SessionKind.SmallGroup,
            StartsAtUtc = e.StartsAtUtc.AddHours(2),
            EndsAtUtc = e.StartsAtUtc.AddHours(3),
            Capacity = 20,
        };
        e.Sessions.Add(new Session { Title = "Begrüßung", Kind = SessionKind.Talk, StartsAtUtc = e.StartsAtUtc, EndsAtUtc = e.StartsAtUtc.AddMinutes(30) });
        e.Sessions.Add(group);
        (string First, string Last, string Org, ParticipantStatus Status)[] people =
        [
            ("Maria-Magdalena", "Schulze-Oberwiesenthal", "Landeshauptstadt Dresden, Geschäftsbereich Ordnung und Sicherheit, Abteilung Kommunale Kriminalprävention", ParticipantStatus.Confirmed),
            ("Hans-Joachim", "von Brandenstein-Zeppelin", "Polizeidirektion Görlitz, Fachdienst Prävention und Opferschutz", ParticipantStatus.Attended),
            ("Friederike", "Großkopf-Weißenfels", "Arbeitsgemeinschaft Soziale Arbeit im Sport und Kommunikation (ASSKomm) e. V.", ParticipantStatus.Confirmed),
            ("Anna", "Müller", "Stadtverwaltung Freiberg", ParticipantStatus.WaitingList),
            ("Konstantin", "Oberschönhausen-Lichtenstein", "Kreisverwaltung Mittelsachsen – Jugendamt, Sachgebiet Kinder- und Jugendschutz", ParticipantStatus.WaitingList),
            ("Lea", "Kühn", "Verein für Straffälligenhilfe und Bewährungshilfe Chemnitz e. V.", ParticipantStatus.AwaitingConfirmation),
        ];
        foreach (var (first, last, org, status) in people)
        {
            // Real addresses are long and often have no hyphen a line could break at.
            var email = $"{first}.{last}@kriminalpraeventionlandkreisbeispiel.sachsen.de".ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            var participant = new Participant
            {
                FirstName = first,
                LastName = last,
                Email = email,
                EmailNormalized = email,
                Organisation = org,
                OrganisationType = OrganisationType.VereinTraeger,
                Function = "Sachgebietsleiterin Prävention und Netzwerkkoordination",
                AccessibilityNeeds = "Rollstuhlgerechter Zugang und ein Platz nahe am Ausgang",
                DietaryNeeds = "vegetarisch, laktosefrei",
                PhotoConsent = status != ParticipantStatus.Attended,
                PrivacyConsentVersion = "test",
                Status = status,
                CreatedAtUtc = now,
                ConfirmedAtUtc = status == ParticipantStatus.AwaitingConfirmation ? null : now,
            };
            participant.Sessions.Add(group);
            e.Participants.Add(participant);
        }

        scope.Db.Events.Add(e);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return e.Id;
    }

    private async Task<IPage> SignInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@lpr.example";
        string password;
        await using (var scope = browser.Factory.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<AdminAccounts>().CreateAsync(email, role, role)).Password!;
        }

        var page = await browser.NewPageAsync(1366, 768);
        await page.GotoAsync("/admin");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Übersicht");
        return page;
    }
}
