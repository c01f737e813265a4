using System.Net;
using System.Text.Json;
using LprEvents.Tests.Support;

namespace LprEvents.Tests.Controllers;

/// <summary>An article without a teaser is described by its first sentences wherever a description shows.</summary>
public sealed class ArticleDescriptionPageTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ArticleWithoutTeaser_IsDescribedByItsFirstSentence_InMetaOpenGraphJsonLdAndTheCard()
    {
        const string first = "Beim Werkstattgespräch in Zwickau planten Kommunen und Polizei gemeinsam die Sicherheit des Stadtfests.";
        var editor = await AdminSession.SignInAsync(_factory);
        var published = await editor.PostFormAsync("/admin/beitraege/neu", new()
        {
            ["Title"] = "Werkstattgespräch ohne Vorspann",
            ["Teaser"] = "",
            ["Body"] = $"## Worum es ging\n\n{first} Danach ging es um die **Anreise**, die Wege für Rettungskräfte und die Absprachen mit dem Veranstalter.",
            ["aktion"] = "veroeffentlichen",
        }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var reader = _factory.CreateClient();

        var (_, page) = await reader.GetPageAsync("/aktuelles/werkstattgespraech-ohne-vorspann");

        Assert.Equal(first, page.QuerySelector("meta[name=description]")?.GetAttribute("content"));
        Assert.Equal(first, page.QuerySelector("meta[property='og:description']")?.GetAttribute("content"));
        var jsonLd = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
        Assert.Equal(first, jsonLd.GetProperty("description").GetString());
        var (_, list) = await reader.GetPageAsync("/aktuelles");
        var card = list.QuerySelectorAll("article.card").Single(c => c.TextContent.Contains("Werkstattgespräch ohne Vorspann", StringComparison.Ordinal));
        Assert.Equal(first, Html.Normalise(card.QuerySelector("p:last-child")!.TextContent));
    }
}
