using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LprEvents.BrowserTests.Support;
using LprEvents.Tests.Support;
using LprEvents.Web.Data;
using LprEvents.Web.Services.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LprEvents.BrowserTests;

/// <summary>
/// A person registers in Chromium, finds the e-mail in the pickup folder, confirms, downloads the calendar
/// file and cancels; the first person on the waiting list moves up and is e-mailed.
/// </summary>
public sealed class RegistrationBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string EventTitle = "Vernetzungstreffen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge";

    [Fact]
    public async Task RegisterConfirmDownloadCalendarCancel_AndTheWaitingPersonMovesUp()
    {
        BrowserFixture.RequireBrowser();
        await LeaveOnePlaceAsync();

        // Anna registers through the event page and the form.
        var anna = await browser.NewPageAsync();
        await anna.GotoAsync("/veranstaltungen");
        await anna.GetByRole(AriaRole.Link, new() { Name = EventTitle }).ClickAsync();
        await Assertions.Expect(anna.Locator(".registration-box .state__places")).ToHaveTextAsync("Noch 1 Platz frei");
        await anna.GetByRole(AriaRole.Link, new() { Name = "Jetzt anmelden" }).ClickAsync();
        await Assertions.Expect(anna.Locator("h1")).ToHaveTextAsync("Anmeldung");
        await AssertNoAxeViolationsAsync(anna, "anmeldung-formular");

        // First a mistake: the e-mail address is incomplete. The page says so and keeps what was typed.
        await FillFormAsync(anna, "Anna", "Hähnel", "anna.haehnel@pirna");
        await anna.GetByRole(AriaRole.Button, new() { Name = "Verbindlich anmelden" }).ClickAsync();
        await Assertions.Expect(anna.Locator(".error-summary")).ToContainTextAsync("Bitte geben Sie eine gültige E-Mail-Adresse an");
        await Assertions.Expect(anna.GetByLabel("Vorname")).ToHaveValueAsync("Anna");
        await AssertNoAxeViolationsAsync(anna, "anmeldung-fehler");
        await anna.ScreenshotAsync(new() { Path = Shot("anmeldung-fehler"), FullPage = true });

        await anna.GetByLabel("E-Mail-Adresse").FillAsync("anna.haehnel@pirna.de");
        await anna.GetByRole(AriaRole.Button, new() { Name = "Verbindlich anmelden" }).ClickAsync();
        await Assertions.Expect(anna.Locator("h1")).ToHaveTextAsync("Bitte bestätigen Sie Ihre E-Mail-Adresse");
        await anna.ScreenshotAsync(new() { Path = Shot("anmeldung-eingegangen"), FullPage = true });

        // The confirmation e-mail lands in the pickup folder; Anna opens the link and confirms.
        await DeliverMailAsync();
        var confirmMail = Mailbox.To(browser.Factory.MailFolder, "anna.haehnel@pirna.de").Single();
        Assert.Equal($"Bitte bestätigen Sie Ihre Anmeldung: {EventTitle}", confirmMail.Subject);
        var annaLink = Mailbox.PrivatePath(confirmMail);
        await anna.GotoAsync(annaLink);
        await Assertions.Expect(anna.Locator(".state__label")).ToHaveTextAsync("Noch nicht bestätigt");
        await anna.GetByRole(AriaRole.Button, new() { Name = "E-Mail-Adresse bestätigen" }).ClickAsync();
        await Assertions.Expect(anna.Locator(".state__label")).ToHaveTextAsync("Teilnahme bestätigt");
        await AssertNoAxeViolationsAsync(anna, "anmeldung-privat");
        await anna.ScreenshotAsync(new() { Path = Shot("anmeldung-privat"), FullPage = true });

        // Bernd registers too late for a place and lands on the waiting list.
        var bernd = await browser.NewPageAsync();
        await bernd.GotoAsync($"/veranstaltungen/{await EventSlugAsync()}/anmeldung");
        await FillFormAsync(bernd, "Bernd", "Seidel", "bernd.seidel@polizei.example");
        await bernd.GetByRole(AriaRole.Button, new() { Name = "Für die Warteliste anmelden" }).ClickAsync();
        await DeliverMailAsync();
        await bernd.GotoAsync(Mailbox.PrivatePath(Mailbox.To(browser.Factory.MailFolder, "bernd.seidel@polizei.example").Single()));
        await bernd.GetByRole(AriaRole.Button, new() { Name = "E-Mail-Adresse bestätigen" }).ClickAsync();
        await Assertions.Expect(bernd.Locator(".state__label")).ToHaveTextAsync("Auf der Warteliste, Platz 1");

        // Anna downloads her calendar entry ...
        var download = await anna.RunAndWaitForDownloadAsync(() => anna.GetByRole(AriaRole.Link, new() { Name = "Termin in den Kalender übernehmen (.ics)" }).ClickAsync());
        var ics = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.StartsWith("BEGIN:VCALENDAR", ics, StringComparison.Ordinal);
        Assert.Equal(EventTitle, Ical.Net.Calendar.Load(ics)!.Events.Single().Summary);

        // ... and then cancels after all.
        // The page asks first and says what happens to her seat.
        await anna.GetByRole(AriaRole.Link, new() { Name = "Anmeldung absagen", Exact = true }).ClickAsync();
        await Assertions.Expect(anna.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung wirklich absagen?" })).ToBeVisibleAsync();
        await Assertions.Expect(anna.Locator("#folge")).ToContainTextAsync("geht an die nächste Person auf der Warteliste");
        await AssertNoAxeViolationsAsync(anna, "anmeldung-absagen-frage");
        await anna.GetByRole(AriaRole.Button, new() { Name = "Ja, Anmeldung absagen", Exact = true }).ClickAsync();
        await Assertions.Expect(anna.Locator(".notice")).ToContainTextAsync("Sie haben sich abgemeldet.");
        await Assertions.Expect(anna.Locator(".state__label")).ToHaveTextAsync("Abgesagt");

        // Bernd moves up and is told by e-mail.
        await DeliverMailAsync();
        var movedUp = Mailbox.To(browser.Factory.MailFolder, "bernd.seidel@polizei.example").Single(m => (m.Subject ?? "").StartsWith("Sie sind nachgerückt", StringComparison.Ordinal));
        Assert.NotNull(Mailbox.Calendar(movedUp));
        await bernd.ReloadAsync();
        await Assertions.Expect(bernd.Locator(".state__label")).ToHaveTextAsync("Teilnahme bestätigt");

        await anna.Context.CloseAsync();
        await bernd.Context.CloseAsync();
    }

    private static async Task FillFormAsync(IPage page, string first, string last, string email)
    {
        await page.GetByLabel("Vorname").FillAsync(first);
        await page.GetByLabel("Nachname").FillAsync(last);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Organisation", new() { Exact = true }).FillAsync("Stadt Pirna, Ordnungsamt");
        await page.GetByLabel("Kommune").CheckAsync();
        await page.GetByLabel("Region").SelectOptionAsync(new SelectOptionValue { Label = "Sächsische Schweiz-Osterzgebirge" });
        await page.GetByLabel("Kleingruppe: Junge Menschen beteiligen").CheckAsync();
        await page.GetByLabel("Nein, bitte keine Fotos von mir veröffentlichen.").CheckAsync();
        await page.GetByLabel("Ich habe die Datenschutzerklärung gelesen", new() { Exact = false }).CheckAsync();
    }

    private async Task LeaveOnePlaceAsync()
    {
        await using var scope = browser.Factory.CreateDbScope();
        var e = await scope.Db.Events.SingleAsync(x => x.Title == EventTitle, TestContext.Current.CancellationToken);
        e.Capacity = await scope.Db.Participants.CountAsync(p => p.EventId == e.Id && p.Status == LprEvents.Web.Domain.ParticipantStatus.Confirmed, TestContext.Current.CancellationToken) + 1;
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private async Task<string> EventSlugAsync()
    {
        await using var scope = browser.Factory.CreateDbScope();
        return await scope.Db.Events.Where(x => x.Title == EventTitle).Select(x => x.Slug).SingleAsync(TestContext.Current.CancellationToken);
    }

    private Task<int> DeliverMailAsync() =>
        browser.Factory.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png");

    private static async Task AssertNoAxeViolationsAsync(IPage page, string name)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(
            result.Violations.Length == 0,
            $"{name}: " + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
    }
}
