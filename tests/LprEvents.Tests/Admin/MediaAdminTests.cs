using System.Net;
using System.Net.Http.Headers;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace LprEvents.Tests.Admin;

public sealed class MediaAdminTests(LprWebFactory factory) : IClassFixture<LprWebFactory>
{
    private static byte[] JpegWithGpsPosition(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(11, 90, 54));
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.GPSLatitudeRef, "N");
        image.Metadata.ExifProfile.SetValue(ExifTag.GPSLatitude, [new Rational(50, 1), new Rational(55, 1), new Rational(0, 1)]);
        image.Metadata.ExifProfile.SetValue(ExifTag.Make, "Testkamera");
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    private static byte[] SmallPdf() => "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    private static async Task<HttpResponseMessage> UploadAsync(AdminSession editor, byte[] bytes, string fileName, string alt, string credit)
    {
        var (_, page) = await editor.Client.GetPageAsync("/admin/medien");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(RegistrationDriver.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(alt), "AltText" },
            { new StringContent("Bildunterschrift"), "Caption" },
            { new StringContent(credit), "Credit" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Add(file, "datei", fileName);
        return await editor.Client.PostAsync(new Uri("/admin/medien", UriKind.Relative), content, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Upload_Jpeg_StoresVariantsWithoutLocationAndServesThem()
    {
        var editor = await AdminSession.SignInAsync(factory);

        var response = await UploadAsync(editor, JpegWithGpsPosition(2000, 1125), "Kleingruppe Freiberg.jpg", "Teilnehmende an einer Stellwand", "© LPR Sachsen");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = factory.CreateDbScope();
        var asset = await scope.Db.MediaAssets.OrderByDescending(m => m.Id).FirstAsync(TestContext.Current.CancellationToken);
        Assert.Equal("480,960,1600", asset.VariantWidths);
        Assert.Equal((2000, 1125), (asset.Width!.Value, asset.Height!.Value));
        foreach (var width in new[] { 480, 960, 1600 })
        {
            var served = await editor.Client.GetAsync(new Uri(LprEvents.Web.Services.MediaStorage.VariantUrl(asset.FileName, width), UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            using var variant = Image.Load(await served.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            Assert.Equal(width, variant.Width);
            Assert.Null(variant.Metadata.ExifProfile?.Values.FirstOrDefault(v => v.Tag == ExifTag.GPSLatitude));
            Assert.Null(variant.Metadata.ExifProfile?.Values.FirstOrDefault(v => v.Tag == ExifTag.Make));
        }
    }

    [Fact]
    public async Task Upload_TextFileNamedJpg_IsRefusedInGerman()
    {
        var editor = await AdminSession.SignInAsync(factory);

        var response = await UploadAsync(editor, "<script>alert(1)</script>"u8.ToArray(), "foto.jpg", "Alt", "© LPR");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Diese Datei ist kein JPEG-, PNG- oder WebP-Bild und keine PDF-Datei.", page.Text(".error-summary p"));
    }

    [Fact]
    public async Task Upload_ImageWithoutAltText_IsRefused()
    {
        var editor = await AdminSession.SignInAsync(factory);

        var response = await UploadAsync(editor, JpegWithGpsPosition(800, 450), "foto.jpg", "", "© LPR");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Bitte beschreiben Sie im Alternativtext", page.Text(".error-summary p"), StringComparison.Ordinal);
        Assert.Equal("© LPR", page.QuerySelector("#Credit")?.GetAttribute("value"));
    }

    [Fact]
    public async Task UploadedPdf_IsServedAsADownloadWithItsGermanNameAndNoSniffing()
    {
        var editor = await AdminSession.SignInAsync(factory);
        var uploaded = await UploadAsync(editor, SmallPdf(), "Programm Präventionstag Görlitz.pdf", "", "© LPR");
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        await using var scope = factory.CreateDbScope();
        var asset = await scope.Db.MediaAssets.OrderByDescending(m => m.Id).FirstAsync(TestContext.Current.CancellationToken);

        var reader = factory.CreateClient();
        var served = await reader.GetAsync(new Uri(LprEvents.Web.Services.MediaStorage.Url(asset.FileName), UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/pdf", served.Content.Headers.ContentType?.MediaType);
        var disposition = served.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Equal("Programm Präventionstag Görlitz.pdf", disposition?.FileNameStar);
        Assert.Equal(asset.FileName, disposition?.FileName?.Trim('"'));
        Assert.Contains("filename*=UTF-8''Programm%20Pr%C3%A4ventionstag%20G%C3%B6rlitz.pdf", served.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task UploadedImage_StaysInline()
    {
        var editor = await AdminSession.SignInAsync(factory);
        await UploadAsync(editor, JpegWithGpsPosition(800, 450), "Foto Bautzen.jpg", "Podium mit drei Personen", "© LPR");
        await using var scope = factory.CreateDbScope();
        var asset = await scope.Db.MediaAssets.OrderByDescending(m => m.Id).FirstAsync(TestContext.Current.CancellationToken);

        var served = await factory.CreateClient().GetAsync(new Uri(LprEvents.Web.Services.MediaStorage.VariantUrl(asset.FileName, 480), UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Null(served.Content.Headers.ContentDisposition);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
    }

    /// <summary>
    /// Whatever lands in the media folder besides uploads (a copied backup, a file an operator put there) must not
    /// become a page of this site: a served .html or .svg runs script in the portal's origin.
    /// </summary>
    [Theory]
    [InlineData("seite.html")]
    [InlineData("seite.htm")]
    [InlineData("grafik.svg")]
    [InlineData("skript.js")]
    [InlineData("daten.xml")]
    [InlineData("seite.xhtml")]
    [InlineData("notiz.txt")]
    public async Task MediaFolder_DoesNotServeFilesThatAreNeitherImagesNorPdfs(string fileName)
    {
        var folder = Path.Combine(factory.Folder, "media");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, fileName), "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", TestContext.Current.CancellationToken);

        var served = await factory.CreateClient().GetAsync(new Uri($"/medien/{fileName}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.NotEqual("image/svg+xml", served.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Library_ShowsEachImagesPublicAddressAndAMarkdownSnippetWithItsAltText()
    {
        var editor = await AdminSession.SignInAsync(factory);
        await UploadAsync(editor, JpegWithGpsPosition(2000, 1125), "Stellwand Plauen.jpg", "Zwei Frauen [links] an einer Stellwand", "© LPR Sachsen");
        string fileName;
        await using (var scope = factory.CreateDbScope())
        {
            fileName = await scope.Db.MediaAssets.Where(m => m.OriginalFileName == "Stellwand Plauen.jpg").Select(m => m.FileName).SingleAsync(TestContext.Current.CancellationToken);
        }

        var (_, page) = await editor.Client.GetPageAsync("/admin/medien");
        var row = page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("Stellwand Plauen.jpg", StringComparison.Ordinal));
        var address = row.QuerySelectorAll("input[readonly]")[0];
        var snippet = row.QuerySelectorAll("input[readonly]")[1];

        var path = "/medien/" + Path.GetFileNameWithoutExtension(fileName) + "-960" + Path.GetExtension(fileName);
        Assert.Equal("Öffentliche Adresse Stellwand Plauen.jpg", Html.Normalise(row.QuerySelector($"label[for='{address.Id}']")!.TextContent));
        Assert.Equal("https://veranstaltungen.test" + path, address.GetAttribute("value"));
        Assert.Equal("In den Text einfügen (Markdown) Stellwand Plauen.jpg", Html.Normalise(row.QuerySelector($"label[for='{snippet.Id}']")!.TextContent));
        Assert.Equal($"![Zwei Frauen \\[links\\] an einer Stellwand]({path})", snippet.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Null(row.QuerySelector(".notice--warning"));
    }

    [Fact]
    public async Task Library_WhenAltTextOnlyRepeatsTheCaption_SaysSo()
    {
        var editor = await AdminSession.SignInAsync(factory);
        await UploadAsync(editor, JpegWithGpsPosition(800, 450), "Doppelt.jpg", "Bildunterschrift", "© LPR Sachsen");

        var (_, page) = await editor.Client.GetPageAsync("/admin/medien");
        var row = page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("Doppelt.jpg", StringComparison.Ordinal));

        Assert.StartsWith("Alternativtext und Bildunterschrift sind gleich: Screenreader lesen dann dasselbe zweimal vor.", Html.Normalise(row.QuerySelector(".notice--warning")!.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credit_TypedWithFoto_IsShownAsTypedOnThePublicArticle()
    {
        var editor = await AdminSession.SignInAsync(factory);
        await UploadAsync(editor, JpegWithGpsPosition(1600, 900), "Podium Görlitz.jpg", "Drei Personen auf einem Podium", "Foto: Anna Berger");
        int imageId;
        await using (var scope = factory.CreateDbScope())
        {
            imageId = await scope.Db.MediaAssets.Where(m => m.OriginalFileName == "Podium Görlitz.jpg").Select(m => m.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var published = await editor.PostFormAsync("/admin/beitraege/neu", new()
        {
            ["Title"] = "Podium in Görlitz mit Bildnachweis",
            ["Body"] = "Drei Fachleute diskutierten.",
            ["LeadImageId"] = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["aktion"] = "veroeffentlichen",
        }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var (response, article) = await factory.CreateClient().GetPageAsync("/aktuelles/podium-in-goerlitz-mit-bildnachweis");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Foto: Anna Berger", article.Text(".lead-image__credit"));
        Assert.DoesNotContain("Bild: Foto:", article.BodyText(), StringComparison.Ordinal);
    }
}
