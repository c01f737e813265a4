using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LprEvents.BrowserTests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LprEvents.BrowserTests;

/// <summary>An editor at work in Chromium: report with photo, accessibility gate, publishing; check-in and exports.</summary>
public sealed class AdminBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> SignInAsync(string role)
    {
        string email;
        string password;
        await using (var scope = browser.Factory.Services.CreateAsyncScope())
        {
            email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@lpr.example";
            password = (await scope.ServiceProvider.GetRequiredService<AdminAccounts>().CreateAsync(email, role, role)).Password!;
        }

        var page = await browser.NewPageAsync();
        await page.GotoAsync("/admin");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Anmelden");
        await AssertAccessibleAsync(page, "admin-anmelden");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Übersicht");
        return page;
    }

    [Fact]
    public async Task Editor_WritesAReportWithAnUploadedPhoto_IsStoppedByTheGate_PublishesIt_AndCitizensSeeIt()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await AssertAccessibleAsync(page, "admin-uebersicht");

        // Upload a photo into the media library.
        await page.GetByRole(AriaRole.Link, new() { Name = "Medien", Exact = true }).ClickAsync();
        await page.SetInputFilesAsync("#datei", new FilePayload { Name = "kleingruppe.jpg", MimeType = "image/jpeg", Buffer = Jpeg() });
        await page.GetByLabel("Alternativtext (bei Bildern Pflicht)").FillAsync("Teilnehmende arbeiten an einer Stellwand");
        await page.GetByLabel("Bildnachweis", new() { Exact = true }).FillAsync("© LPR Sachsen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToContainTextAsync("kleingruppe.jpg");
        await AssertAccessibleAsync(page, "admin-medien");
        var snippet = page.GetByLabel("In den Text einfügen (Markdown) kleingruppe.jpg");
        await Assertions.Expect(snippet).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^!\[Teilnehmende arbeiten an einer Stellwand\]\(/medien/.+-960\.jpg\)$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Kopieren In den Text einfügen (Markdown) kleingruppe.jpg" }).ClickAsync();
        await Assertions.Expect(page.Locator("#kopiert")).ToHaveTextAsync("In die Zwischenablage kopiert.");
        var photo = await page.Locator("table img").First.GetAttributeAsync("src");
        var inBody = photo!.Replace("-480.", "-960.", StringComparison.Ordinal);

        // Write the report; the photo goes in as lead image and, without alt text, into the body.
        await page.GetByRole(AriaRole.Link, new() { Name = "Beiträge", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Neuen Beitrag schreiben" }).ClickAsync();
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync("Werkstattgespräch in Zwickau");
        await page.GetByLabel("Vorspann").FillAsync("Kommunen und Polizei planten gemeinsam.");
        await page.GetByLabel("Text (Markdown)").FillAsync($"## Was besprochen wurde\n\nViel **Austausch**.\n\n![]({inBody})");
        await page.GetByLabel("Teilnehmende arbeiten an einer Stellwand", new() { Exact = false }).CheckAsync();
        await page.GetByLabel("Zwickau", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.Locator("#vorschau h2")).ToHaveTextAsync("Was besprochen wurde");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vorschau", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#vorschau strong")).ToHaveTextAsync("Austausch");
        await AssertAccessibleAsync(page, "admin-beitrag-vorschau");

        await page.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".problems")).ToContainTextAsync("hat keinen Alternativtext");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-beitrag-sperre.png"), FullPage = true });

        await page.GetByLabel("Text (Markdown)").FillAsync($"## Was besprochen wurde\n\nViel **Austausch**.\n\n![Gruppe an der Stellwand]({inBody})");
        await page.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToHaveTextAsync("Der Beitrag ist veröffentlicht.");

        // A citizen finds it on the public site.
        var citizen = await browser.NewPageAsync();
        await citizen.GotoAsync("/aktuelles");
        await citizen.GetByRole(AriaRole.Link, new() { Name = "Werkstattgespräch in Zwickau" }).ClickAsync();
        await Assertions.Expect(citizen.Locator(".lead-image img")).ToHaveAttributeAsync("alt", "Teilnehmende arbeiten an einer Stellwand");
        await Assertions.Expect(citizen.Locator(".prose img")).ToHaveAttributeAsync("alt", "Gruppe an der Stellwand");
        await Assertions.Expect(citizen.Locator(".lead-image figcaption")).ToContainTextAsync("© LPR Sachsen");
        await citizen.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-beitrag-oeffentlich.png"), FullPage = true });
        await page.Context.CloseAsync();
        await citizen.Context.CloseAsync();
    }

    [Fact]
    public async Task ArticleEditor_LeavingWithUnsavedChangesAsksFirst_SavingDoesNot()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        var asked = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            asked.Add(dialog.Type);
            _ = dialog.DismissAsync(); // "stay on the page"
        };

        // Untouched: leaving is silent.
        await page.GotoAsync("/admin/beitraege/neu");
        await page.GetByRole(AriaRole.Link, new() { Name = "Beiträge", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/beitraege$"));
        Assert.Empty(asked);

        // Typed something: the browser asks, and staying keeps the text.
        await page.GotoAsync("/admin/beitraege/neu");
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync("Angefangener Bericht");
        await page.GetByRole(AriaRole.Link, new() { Name = "Beiträge", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Titel", new() { Exact = true })).ToHaveValueAsync("Angefangener Bericht");
        Assert.Equal(["beforeunload"], asked);

        // Saving is never held up.
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToBeVisibleAsync();
        Assert.Single(asked);

        // Publishing, then unpublishing: the question names the consequence and passes axe.
        await page.GetByLabel("Text (Markdown)").FillAsync("Ein kurzer Text über das Treffen.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToHaveTextAsync("Der Beitrag ist veröffentlicht.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zurückziehen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#folge")).ToContainTextAsync("verschwindet sofort von der Website");
        await AssertAccessibleAsync(page, "admin-beitrag-zurueckziehen-frage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, Beitrag zurückziehen" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Entwurf – nur in der Redaktion sichtbar")).ToBeVisibleAsync();

        // The versions page shows the word that changed.
        await page.GetByRole(AriaRole.Link, new() { Name = "frühere Fassungen", Exact = false }).ClickAsync();
        await Assertions.Expect(page.Locator(".diff-legend")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "admin-beitrag-versionen");
        Assert.Single(asked);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ArticleEditor_AutosavesALiveArticleIntoItsPendingVersion_ReadersKeepThePublishedText()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await page.GotoAsync("/admin/beitraege/neu");
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync("Autosave im Browser");
        await page.GetByLabel("Text (Markdown)").FillAsync("Veröffentlichter Text.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToHaveTextAsync("Der Beitrag ist veröffentlicht.");

        await page.GetByLabel("Text (Markdown)").FillAsync("Halb geschriebene Korrektur.");
        await Assertions.Expect(page.Locator("#automatisch-gespeichert")).ToContainTextAsync("Automatisch gespeichert um", new() { Timeout = 20_000 });
        var reader = await browser.NewPageAsync();
        await reader.GotoAsync("/aktuelles/autosave-im-browser");
        await Assertions.Expect(reader.Locator("main")).ToContainTextAsync("Veröffentlichter Text.");
        await Assertions.Expect(reader.Locator("main")).Not.ToContainTextAsync("Halb geschriebene Korrektur.");
        await reader.Context.CloseAsync();

        // Autosaved means nothing to lose: reloading does not ask, and the editor finds the pending version.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#geaenderte-fassung")).ToContainTextAsync("Geänderte Fassung wartet");
        await Assertions.Expect(page.GetByLabel("Text (Markdown)")).ToHaveValueAsync("Halb geschriebene Korrektur.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Änderungen veröffentlichen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice--success")).ToHaveTextAsync("Der Beitrag ist veröffentlicht.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Editor_ChecksSomeoneInAndDownloadsCsvAndXlsx()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await page.GetByRole(AriaRole.Link, new() { Name = "Veranstaltungen", Exact = true }).ClickAsync();
        await AssertAccessibleAsync(page, "admin-veranstaltungen");
        await page.GetByRole(AriaRole.Link, new() { Name = "Fachtag Sicherheitskonzepte für Großveranstaltungen" }).ClickAsync();
        await AssertAccessibleAsync(page, "admin-teilnehmende");

        await page.GetByRole(AriaRole.Link, new() { Name = "Einlass" }).ClickAsync();
        await page.SetViewportSizeAsync(390, 844);
        var first = page.Locator(".checkin-list li").First;
        var name = (await first.Locator("strong").TextContentAsync())!;
        var row = await first.GetAttributeAsync("id");
        await first.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator($"#{row} button")).ToContainTextAsync("ist da");
        await AssertAccessibleAsync(page, "admin-einlass");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "admin-einlass.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);

        await page.GetByRole(AriaRole.Link, new() { Name = "Teilnehmende", Exact = true }).ClickAsync();
        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await csvDownload.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Nachname;Vorname;E-Mail", csv, StringComparison.Ordinal);
        var lastName = name.Split(',')[0];
        Assert.Contains(csv.Split("\r\n"), line => line.StartsWith(lastName + ";", StringComparison.Ordinal) && line.Contains(";anwesend;", StringComparison.Ordinal));

        var xlsxDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export Excel (XLSX)" }).ClickAsync());
        await using var stream = File.OpenRead(await xlsxDownload.PathAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(28, rows.Count);
        Assert.Contains(rows, r => (string)r["Nachname"] == lastName && (string)r["Status"] == "anwesend");

        await page.GetByRole(AriaRole.Link, new() { Name = "Statistik" }).ClickAsync();
        await AssertAccessibleAsync(page, "admin-statistik");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AdminOnlyPages_AreAccessible()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.AdminRole);
        await page.GetByRole(AriaRole.Link, new() { Name = "Protokoll" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Protokoll");
        await AssertAccessibleAsync(page, "admin-protokoll");
        await page.GetByRole(AriaRole.Link, new() { Name = "Konto" }).ClickAsync();
        await AssertAccessibleAsync(page, "admin-konto");
        await page.GotoAsync("/admin/beitraege");
        await AssertAccessibleAsync(page, "admin-beitraege");
        await page.GotoAsync("/admin/benutzer");
        await AssertAccessibleAsync(page, "admin-benutzer");
        await page.GotoAsync("/admin/konto/zwei-faktor");
        await AssertAccessibleAsync(page, "admin-zwei-faktor");
        await page.GotoAsync("/admin/veranstaltungen/neu");
        await AssertAccessibleAsync(page, "admin-veranstaltung-neu");
        await page.GotoAsync("/admin/veranstaltungen/1/bearbeiten");
        await AssertAccessibleAsync(page, "admin-veranstaltung-bearbeiten");
        await page.GotoAsync("/admin/beitraege/1/versionen");
        await AssertAccessibleAsync(page, "admin-versionen");
        await page.GotoAsync("/admin/veranstaltungen/2/anwesenheitsliste");
        await AssertAccessibleAsync(page, "admin-anwesenheitsliste");
        await page.GotoAsync("/admin/veranstaltungen/2/namensschilder");
        await AssertAccessibleAsync(page, "admin-namensschilder");
        await page.GotoAsync("/admin/veranstaltungen/2/absagen");
        await AssertAccessibleAsync(page, "admin-absagen-bestaetigen");
        await page.GotoAsync("/admin/kein-zugriff");
        await AssertAccessibleAsync(page, "admin-kein-zugriff");
        await page.GotoAsync("/admin/passwort-setzen?email=x%40lpr.example&token=abc");
        await AssertAccessibleAsync(page, "admin-passwort-setzen");
        await page.GotoAsync("/admin/anmelden/zwei-faktor");
        await AssertAccessibleAsync(page, "admin-zwei-faktor-code");
        await page.GotoAsync("/admin/beitraege/2/loeschen");
        await AssertAccessibleAsync(page, "admin-beitrag-loeschen-bestaetigen");
        await page.GotoAsync("/admin/beitraege/2/ansicht");
        await AssertAccessibleAsync(page, "admin-beitrag-ganzseitige-vorschau");
        await page.GotoAsync("/admin/beitraege?status=papierkorb");
        await AssertAccessibleAsync(page, "admin-papierkorb");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PreviewLink_ShowsTheDraftToAColleagueWithoutAccount_Accessibly()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await page.GotoAsync("/admin/beitraege/neu");
        await page.Locator("#Title").FillAsync("Entwurf zur Abstimmung im Browser");
        await page.GetByLabel("Text (Markdown)").FillAsync("Bitte lesen und Rückmeldung geben.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Vorschau-Link erstellen" }).ClickAsync();
        var notice = await page.Locator(".notice--success").InnerTextAsync();
        var link = System.Text.RegularExpressions.Regex.Match(notice, @"http://\S+/vorschau/[0-9a-f]{64}").Value;
        Assert.False(string.IsNullOrEmpty(link), notice);

        var colleague = await browser.NewPageAsync();
        await colleague.GotoAsync(link);
        await Assertions.Expect(colleague.Locator("h1")).ToHaveTextAsync("Entwurf zur Abstimmung im Browser");
        await Assertions.Expect(colleague.Locator(".notice--warning")).ToContainTextAsync("Vorschau");
        await AssertAccessibleAsync(colleague, "vorschau-link");
        await colleague.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DiscardingAWaitingVersion_AsksFirst_Accessibly()
    {
        BrowserFixture.RequireBrowser();
        var page = await SignInAsync(IdentitySetup.EditorRole);
        await page.GotoAsync("/admin/beitraege/3");
        await page.GetByLabel("Text (Markdown)").FillAsync("Eine geänderte Fassung, die noch wartet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Änderungen verwerfen" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("verwerfen");
        await AssertAccessibleAsync(page, "admin-beitrag-verwerfen-frage");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TwoEditorsOnOneArticle_TheSecondSeesAnAccessibleConflictPage()
    {
        BrowserFixture.RequireBrowser();
        var first = await SignInAsync(IdentitySetup.EditorRole);
        var second = await SignInAsync(IdentitySetup.EditorRole);
        await first.GotoAsync("/admin/beitraege/2");
        await second.GotoAsync("/admin/beitraege/2");

        await first.GetByLabel("Text (Markdown)").FillAsync("Erste Fassung.");
        await first.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();
        // The article is live: the save waits as its pending version (ADR 0020); the second editor still conflicts.
        await Assertions.Expect(first.Locator(".notice--success")).ToHaveTextAsync("Gespeichert als geänderte Fassung – auf der Website gilt weiter die veröffentlichte. „Änderungen veröffentlichen“ schaltet sie frei.");
        await second.GetByLabel("Text (Markdown)").FillAsync("Zweite Fassung.");
        await second.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();

        await Assertions.Expect(second.Locator("h1")).ToHaveTextAsync("Jemand anderes hat den Beitrag inzwischen geändert");
        await Assertions.Expect(second.Locator("#Body")).ToHaveValueAsync("Zweite Fassung.");
        await Assertions.Expect(second.Locator(".markdown-source")).ToHaveTextAsync("Erste Fassung.");
        await AssertAccessibleAsync(second, "admin-konflikt");
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    [Fact]
    public async Task TwoEditorsOnOneEvent_TheSecondSeesAnAccessibleConflictPage()
    {
        BrowserFixture.RequireBrowser();
        var first = await SignInAsync(IdentitySetup.EditorRole);
        var second = await SignInAsync(IdentitySetup.EditorRole);
        await first.GotoAsync("/admin/veranstaltungen/1/bearbeiten");
        await second.GotoAsync("/admin/veranstaltungen/1/bearbeiten");

        await first.Locator("#Title").FillAsync("Erster Titel");
        await first.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();
        await Assertions.Expect(first.Locator(".notice--success")).ToContainTextAsync("Gespeichert.");
        await second.Locator("#VenueName").FillAsync("Zweiter Ort");
        await second.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }).ClickAsync();

        await Assertions.Expect(second.Locator("h1")).ToHaveTextAsync("Jemand anderes hat die Veranstaltung inzwischen geändert");
        await Assertions.Expect(second.Locator(".conflict")).ToContainTextAsync("Zweiter Ort");
        await Assertions.Expect(second.Locator(".conflict")).ToContainTextAsync("Erster Titel");
        await AssertAccessibleAsync(second, "admin-veranstaltung-konflikt");
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    private static byte[] Jpeg()
    {
        using var image = new Image<Rgb24>(1200, 675, new Rgb24(11, 90, 54));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"), FullPage = true });
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(
            result.Violations.Length == 0,
            $"{name}: " + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
    }
}
