using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>Findings of a review, each pinned by a test.</summary>
public sealed class HardeningTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task LockedEditor_LosesAccessAtTheNextRequest()
    {
        var admin = await AdminSession.SignInAsync(_factory, IdentitySetup.AdminRole);
        var editor = await AdminSession.SignInAsync(_factory);
        Assert.Equal(HttpStatusCode.OK, (await editor.Client.GetAsync(new Uri("/admin", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        var (_, users) = await admin.Client.GetPageAsync("/admin/benutzer");
        var lockForm = users.QuerySelectorAll("form[action$='/sperren']").First(f => f.ParentElement!.ParentElement!.TextContent.Contains(editor.Email, StringComparison.Ordinal));
        var locked = await admin.PostAsync(lockForm.GetAttribute("action")!, users, [], lockForm);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);

        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await editor.Client.GetAsync(new Uri("/admin", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/admin/anmelden", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvExport_NeutralisesFormulasTypedIntoThePublicForm()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int eventId;
        await using (var scope = _factory.CreateDbScope())
        {
            var p = await scope.Db.Participants.Include(x => x.Event).FirstAsync(x => x.Event.Title.StartsWith("Fachtag"), TestContext.Current.CancellationToken);
            p.LastName = "=HYPERLINK(\"http://example.org/x\",\"Klick\")";
            p.Organisation = "@SUM(1+1)";
            eventId = p.EventId;
            await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var csv = Encoding.UTF8.GetString(await editor.Client.GetByteArrayAsync(new Uri($"/admin/veranstaltungen/{eventId}/export.csv", UriKind.Relative), TestContext.Current.CancellationToken));

        Assert.DoesNotContain(";=HYPERLINK", "\n" + csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\n=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";@SUM", csv, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OfASmallFileClaimingHugeDimensions_IsRefusedBeforeDecoding()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var (_, page) = await editor.Client.GetPageAsync("/admin/medien");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(RegistrationDriver.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent("Alt"), "AltText" },
            { new StringContent("© LPR"), "Credit" },
        };
        var file = new ByteArrayContent(PngHeader(30000, 30000));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "datei", "riesig.png");

        var response = await editor.Client.PostAsync(new Uri("/admin/medien", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var result = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Das Bild hat zu viele Bildpunkte", result.Text(".error-summary p"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_ToAnAddressWithUmlautsAndApostrophe_WorksAndCanBeSentAgain()
    {
        var admin = await AdminSession.SignInAsync(_factory, IdentitySetup.AdminRole);
        foreach (var email in new[] { "jürgen.o'brien@gemeinde.example", "jürgen.o'brien@gemeinde.example" })
        {
            var response = await admin.PostFormAsync("/admin/benutzer", new() { ["Email"] = email, ["Role"] = "Editor" }, "form[action='/admin/benutzer/einladen']");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        await new RegistrationDriver(_factory).DeliverMailAsync();
        Assert.Equal(2, Mailbox.To(_factory.MailFolder, "jürgen.o'brien@gemeinde.example").Count);
    }

    [Fact]
    public async Task MorePlaces_MoveTheWaitingListUpInOrder()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Events.Where(e => e.Title.StartsWith("Fachtag")).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var (_, form) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/bearbeiten");
        var saved = await editor.PostAsync($"/admin/veranstaltungen/{id}/bearbeiten", form, new() { ["Capacity"] = "27" }, form.QuerySelector("#veranstaltung-formular"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await using var check = _factory.CreateDbScope();
        Assert.Equal(27, await check.Db.Participants.CountAsync(p => p.EventId == id && p.Status == ParticipantStatus.Confirmed, TestContext.Current.CancellationToken));
        Assert.Equal(1, await check.Db.Participants.CountAsync(p => p.EventId == id && p.Status == ParticipantStatus.WaitingList, TestContext.Current.CancellationToken));

        var (_, again) = await editor.Client.GetPageAsync($"/admin/veranstaltungen/{id}/bearbeiten");
        var cleared = await editor.PostAsync($"/admin/veranstaltungen/{id}/bearbeiten", again, new() { ["Capacity"] = "" }, again.QuerySelector("#veranstaltung-formular"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cleared.StatusCode);
    }

    /// <summary>A PNG that is only a header: IHDR with the given size, then IEND.</summary>
    private static byte[] PngHeader(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(stream, "IHDR", ihdr);
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
