using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;

namespace LprEvents.Tests.Registration;

/// <summary>
/// Cancelling and deleting one's data from the private page ask first and say what will happen; nothing happens
/// until the participant answers "Ja" on that page.
/// </summary>
public sealed class ConfirmationStepTests : IDisposable
{
    private readonly LprWebFactory _factory = new();
    private readonly RegistrationDriver _driver;

    public ConfirmationStepTests() => _driver = new RegistrationDriver(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task CancelButton_LeadsToAQuestionWithTheConsequence_AndCancelsNothingYet()
    {
        var e = await _driver.AddEventAsync("test-frage-absagen", capacity: 5, waitingList: true);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "frage@example.org");
        var (_, privatePage) = await _driver.Client.GetPageAsync(path);
        var link = privatePage.QuerySelectorAll("a").Single(a => Html.Normalise(a.TextContent) == "Anmeldung absagen");

        var (response, page) = await _driver.Client.GetPageAsync(link.GetAttribute("href")!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Anmeldung wirklich absagen?", page.Text("h1"));
        Assert.Equal(
            $"Wenn Sie absagen, geben Sie Ihren Platz für „{e.Title}“ sofort frei; er geht an die nächste Person auf der Warteliste und ist dann nicht mehr für Sie reserviert.",
            page.Text("#folge"));
        Assert.Equal("Ja, Anmeldung absagen", page.Text("form[action$='/abmelden'] button"));
        Assert.Equal(path, page.QuerySelectorAll("a").Single(a => Html.Normalise(a.TextContent) == "Nein, zurück zu meiner Anmeldung").GetAttribute("href"));
        Assert.Equal(ParticipantStatus.Confirmed, (await _driver.ParticipantAsync("frage@example.org")).Status);
    }

    [Fact]
    public async Task DeleteButton_LeadsToAQuestionWithTheConsequence_AndDeletesNothingYet()
    {
        var e = await _driver.AddEventAsync("test-frage-loeschen", capacity: 5, waitingList: true);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "bleibt@example.org");
        var (_, privatePage) = await _driver.Client.GetPageAsync(path);
        var link = privatePage.QuerySelectorAll("a").Single(a => Html.Normalise(a.TextContent) == "Anmeldung absagen und Daten löschen");

        var (response, page) = await _driver.Client.GetPageAsync(link.GetAttribute("href")!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ihre Daten wirklich löschen?", page.Text("h1"));
        Assert.Equal(
            $"Wenn Sie Ihre Daten löschen, sagen wir Ihre Teilnahme an „{e.Title}“ ab und löschen Ihren Namen, Ihre E-Mail-Adresse und alle übrigen Angaben sofort und endgültig; dieser Link funktioniert danach nicht mehr.",
            page.Text("#folge"));
        Assert.Equal("Ja, Anmeldung absagen und Daten löschen", page.Text("form[action$='/loeschen'] button"));
        var participant = await _driver.ParticipantAsync("bleibt@example.org");
        Assert.Equal(("Anna", ParticipantStatus.Confirmed), (participant.FirstName, participant.Status));
    }

    [Fact]
    public async Task WaitingListParticipant_IsToldTheyLoseTheirPlaceOnTheWaitingList()
    {
        var e = await _driver.AddEventAsync("test-frage-warteliste", capacity: 1, waitingList: true);
        await _driver.RegisterAndConfirmAsync(e.Slug, "platz@example.org");
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, "wartend@example.org");

        var (_, page) = await _driver.Client.GetPageAsync(path + "/absagen");

        Assert.Equal(
            $"Wenn Sie absagen, verlieren Sie Ihren Platz auf der Warteliste für „{e.Title}“ sofort und rücken nicht mehr nach.",
            page.Text("#folge"));
    }

    [Theory]
    [InlineData("abmelden", "absagen")]
    [InlineData("loeschen", "daten-loeschen")]
    public async Task APostWithoutTheConfirmation_ChangesNothingAndShowsTheQuestion(string action, string question)
    {
        var e = await _driver.AddEventAsync($"test-ohne-{question}", capacity: 5, waitingList: true);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, $"{question}@example.org");
        var (_, privatePage) = await _driver.Client.GetPageAsync(path);

        var response = await _driver.Client.PostAsync(
            new Uri($"{path}/{action}", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(privatePage) }),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{path}/{question}", response.Headers.Location?.OriginalString);
        var participant = await _driver.ParticipantAsync($"{question}@example.org");
        Assert.Equal(ParticipantStatus.Confirmed, participant.Status);
        Assert.Null(participant.AnonymisedAtUtc);
    }

    [Theory]
    [InlineData("absagen")]
    [InlineData("daten-loeschen")]
    public async Task QuestionPage_KeepsTheTokenOutOfRefererHeadersAndSearchEngines(string question)
    {
        var e = await _driver.AddEventAsync($"test-privat-{question}", capacity: 5, waitingList: true);
        var path = await _driver.RegisterAndConfirmAsync(e.Slug, $"privat-{question}@example.org");

        var (response, page) = await _driver.Client.GetPageAsync($"{path}/{question}");

        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("noindex", page.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionPage_ForAnUnknownToken_IsNotFound()
    {
        var (response, _) = await _driver.Client.GetPageAsync("/anmeldung/kein-echter-schluessel/absagen");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
