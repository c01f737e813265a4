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
}
