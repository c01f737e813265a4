using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Registration;

/// <summary>Bad input of every kind gets a 4xx or a German message next to the field, never a 500, and loses nothing typed.</summary>
public sealed class RegistrationInputTests(LprWebFactory factory) : IClassFixture<LprWebFactory>
{
    private readonly RegistrationDriver _driver = new(factory);

    private async Task<string> SlugAsync()
    {
        await using var scope = factory.CreateDbScope();
        return RegistrationDriver.EventSlugOf(scope.Db, "Vernetzungstreffen Dresden");
    }

    [Fact]
    public async Task EmptyForm_ShowsGermanMessagesNextToTheFieldsAndASummary()
    {
        var slug = await SlugAsync();

        var response = await _driver.SubmitAsync(slug, [], pickDefaults: false);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Fehler: ", page.Title, StringComparison.Ordinal);
        var summary = page.Texts(".error-summary li");
        Assert.Contains("Bitte geben Sie Ihren Vornamen an.", summary);
        Assert.Contains("Bitte geben Sie Ihre E-Mail-Adresse an.", summary);
        Assert.Contains("Bitte wählen Sie die Art Ihrer Organisation.", summary);
        Assert.Contains("Bitte wählen Sie Ihre Region.", summary);
        Assert.Contains("Bitte stimmen Sie der Datenschutzerklärung zu, damit wir Ihre Anmeldung bearbeiten können.", summary);
        Assert.Contains(summary, s => s.StartsWith("Bitte wählen Sie eine Kleingruppe", StringComparison.Ordinal));
        Assert.Equal("#FirstName", page.QuerySelector(".error-summary a")?.GetAttribute("href"));
        Assert.Equal("Fehler: Bitte geben Sie Ihren Vornamen an.", page.Text("#FirstName-fehler"));
        Assert.Equal("true", page.QuerySelector("#FirstName")?.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task InvalidEmail_KeepsEverythingTypedAndExplains()
    {
        var slug = await SlugAsync();
        var fields = RegistrationDriver.ValidFields("anna at freiberg");
        fields["AccessibilityNeeds"] = "Rollstuhlplatz, bitte";

        var response = await _driver.SubmitAsync(slug, fields);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@freiberg.de."], page.Texts(".error-summary li"));
        Assert.Equal("Anna", page.QuerySelector("#FirstName")?.GetAttribute("value"));
        Assert.Equal("anna at freiberg", page.QuerySelector("#Email")?.GetAttribute("value"));
        Assert.Equal("Stadtverwaltung Freiberg", page.QuerySelector("#Organisation")?.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("#OrganisationType-Kommune[checked]"));
        Assert.NotNull(page.QuerySelector("#PhotoConsent-ja[checked]"));
        Assert.NotNull(page.QuerySelector("#PrivacyConsent[checked]"));
        Assert.Equal("Rollstuhlplatz, bitte", page.Text("#AccessibilityNeeds"));
        Assert.NotNull(page.QuerySelector("input[name='Sessions[0]'][checked]"));
    }

    public static TheoryData<string, string, string> BadValues() => new()
    {
        { "FirstName", new string('x', 5000), "Der Vorname darf höchstens 100 Zeichen lang sein." },
        { "LastName", "Müller\r\nBcc: alle@example.org", "Bitte geben Sie den Nachnamen ohne Zeilenumbrüche an." },
        { "Organisation", new string('ä', 100_000), "Die Organisation darf höchstens 200 Zeichen lang sein." },
        { "Email", new string('a', 300) + "@example.org", "Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein." },
        { "Email", "anna@", "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@freiberg.de." },
        { "Email", "<script>@x.de", "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@freiberg.de." },
        { "OrganisationType", "999", "Der Wert „999“ ist ungültig." },
        { "OrganisationType", "Geheimdienst", "Der Wert „Geheimdienst“ ist hier nicht gültig." },
        { "RegionId", "abc", "Der Wert „abc“ ist hier nicht gültig." },
        { "RegionId", "123456", "Bitte wählen Sie Ihre Region aus der Liste." },
        { "Sessions[0]", "123456", "Bitte wählen Sie eine Kleingruppe aus der Liste." },
        { "Sessions[7]", "1", "Bitte wählen Sie nur aus den angebotenen Kleingruppen." },
        { "PhotoConsent", "vielleicht", "Der Wert „vielleicht“ ist hier nicht gültig." },
        { "DietaryNeeds", new string('v', 1001), "Bitte fassen Sie sich kürzer (höchstens 1000 Zeichen)." },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task BadValue_GetsAGermanMessageAndStoresNothing(string field, string value, string message)
    {
        var slug = await SlugAsync();
        var fields = RegistrationDriver.ValidFields($"bad-{Guid.NewGuid():N}@example.org");
        fields[field] = value;

        var response = await _driver.SubmitAsync(slug, fields);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, page.Texts(".error-summary li"));
        var normalized = fields["Email"].ToLowerInvariant();
        await using var scope = factory.CreateDbScope();
        Assert.False(await scope.Db.Participants.AnyAsync(p => p.EmailNormalized == normalized, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ForgedStatusAndIdFields_AreIgnored()
    {
        var slug = await SlugAsync();
        var fields = RegistrationDriver.ValidFields("forged@example.org");
        fields["Status"] = "Confirmed";
        fields["Id"] = "1";
        fields["EventId"] = "1";
        fields["TokenHash"] = new string('0', 64);

        var response = await _driver.SubmitAsync(slug, fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var participant = await _driver.ParticipantAsync("forged@example.org");
        Assert.Equal(ParticipantStatus.AwaitingConfirmation, participant.Status);
        await using var scope = factory.CreateDbScope();
        Assert.False(await scope.Db.ParticipantLinks.AnyAsync(l => l.TokenHash == new string('0', 64), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Honeypot_Filled_LooksLikeSuccessButStoresNothing()
    {
        var slug = await SlugAsync();
        var fields = RegistrationDriver.ValidFields("bot@example.org");
        fields["Website"] = "http://spam.example";

        var response = await _driver.SubmitAsync(slug, fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = factory.CreateDbScope();
        Assert.False(await scope.Db.Participants.AnyAsync(p => p.EmailNormalized == "bot@example.org", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PostWithoutAntiforgeryToken_Is400WithAGermanPage()
    {
        var slug = await SlugAsync();
        var response = await _driver.Client.PostAsync(
            new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative),
            new FormUrlEncodedContent(RegistrationDriver.ValidFields("csrf@example.org")),
            TestContext.Current.CancellationToken);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Anfrage nicht möglich", page.Text("h1"));
    }

    [Theory]
    [InlineData("/anmeldung/abc")]
    [InlineData("/anmeldung/0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("/anmeldung/0000000000000000000000000000000000000000000000000000000000000000/kalender.ics")]
    [InlineData("/anmeldung/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/anmeldung/%3Cscript%3E")]
    [InlineData("/anmeldung/")]
    public async Task WrongOrMissingToken_IsAPlain404(string url)
    {
        var response = await _driver.Client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ConfirmWithAWrongToken_Is404NotAnError()
    {
        var (_, form) = await _driver.Client.GetPageAsync($"/veranstaltungen/{await SlugAsync()}/anmeldung");
        var response = await _driver.Client.PostAsync(
            new Uri("/anmeldung/0000000000000000000000000000000000000000000000000000000000000000/bestaetigen", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(form) }),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Online-Seminar", "Die Anmeldung ist ab")]
    [InlineData("Vernetzungstreffen Chemnitz, Mittelsachsen", "Diese Veranstaltung hat bereits stattgefunden.")]
    public async Task ClosedRegistration_SaysWhyAndAcceptsNothing(string titleStart, string message)
    {
        string slug;
        await using (var scope = factory.CreateDbScope())
        {
            slug = RegistrationDriver.EventSlugOf(scope.Db, titleStart);
        }

        var (get, page) = await _driver.Client.GetPageAsync($"/veranstaltungen/{slug}/anmeldung");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Anmeldung nicht möglich", page.Text("h1"));
        Assert.Contains(message, page.Text(".notice"), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form[action$='/anmeldung']"));

        var token = RegistrationDriver.AntiforgeryToken((await _driver.FormAsync(await SlugAsync())));
        var fields = RegistrationDriver.ValidFields("closed@example.org");
        fields["__RequestVerificationToken"] = token;
        var post = await _driver.Client.PostAsync(new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative), new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("Anmeldung nicht möglich", await post.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await using var check = factory.CreateDbScope();
        Assert.False(await check.Db.Participants.AnyAsync(p => p.EmailNormalized == "closed@example.org", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RegistrationPage_SetsOnlyTheAntiforgerySessionCookie()
    {
        var response = await _driver.Client.GetAsync(new Uri($"/veranstaltungen/{await SlugAsync()}/anmeldung", UriKind.Relative), TestContext.Current.CancellationToken);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Antiforgery.", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownEvent_RegistrationIs404()
    {
        var response = await _driver.Client.GetAsync(new Uri("/veranstaltungen/gibt-es-nicht/anmeldung", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class RegistrationRateLimitTests
{
    [Fact]
    public async Task ManyPostsFromOneClient_AreRejectedWithA429GermanPage()
    {
        using var factory = new LprWebFactory { RateLimitPermits = 2 };
        var driver = new RegistrationDriver(factory);
        string slug;
        await using (var scope = factory.CreateDbScope())
        {
            slug = RegistrationDriver.EventSlugOf(scope.Db, "Vernetzungstreffen Dresden");
        }

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await driver.SubmitAsync(slug, RegistrationDriver.ValidFields($"flut{i}@example.org"));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        var page = Html.Parse(await last!.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Zu viele Anfragen", page.Text("h1"));
    }
}
