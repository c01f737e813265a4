using System.Net;
using System.Net.Sockets;
using Ical.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using netDumbster.smtp;

namespace LprEvents.Tests.Registration;

/// <summary>E-mail through a real SMTP server on 127.0.0.1, started by the test: what arrived is what counts.</summary>
public sealed class SmtpDeliveryTests : IDisposable
{
    private readonly int _port = FreePort();
    private readonly LprWebFactory _factory;
    private readonly RegistrationDriver _driver;
    private SimpleSmtpServer? _smtp;

    public SmtpDeliveryTests()
    {
        _factory = new LprWebFactory();
        _factory.ExtraSettings["Email:Mode"] = "Smtp";
        _factory.ExtraSettings["Email:Smtp:Host"] = "127.0.0.1";
        _factory.ExtraSettings["Email:Smtp:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory.ExtraSettings["Email:Smtp:UseTls"] = "false";
        _factory.ExtraSettings["Email:From"] = "Landespräventionsrat Sachsen <veranstaltungen@lpr.example>";
        _driver = new RegistrationDriver(_factory);
    }

    public void Dispose()
    {
        _smtp?.Dispose();
        _factory.Dispose();
    }

    private void StartSmtp() => _smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(_port).Build();

    private List<MimeMessage> Received() =>
        _smtp!.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();

    [Fact]
    public async Task ConfirmationLinkFromTheSmtpMail_Works_AndTheConfirmationCarriesAValidCalendar()
    {
        StartSmtp();
        var e = await _driver.AddEventAsync("smtp-test", capacity: 5, waitingList: true);

        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("sabine@landkreis.example"));
        Assert.Equal(1, await _driver.DeliverMailAsync());

        var confirmMail = Assert.Single(Received());
        Assert.Equal("sabine@landkreis.example", confirmMail.To.Mailboxes.Single().Address);
        Assert.Equal("veranstaltungen@lpr.example", confirmMail.From.Mailboxes.Single().Address);
        Assert.NotNull(confirmMail.HtmlBody);
        var path = Mailbox.PrivatePath(confirmMail);
        var (page, _) = await _driver.Client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        await _driver.PostPrivateAsync(path, "bestaetigen");
        Assert.Equal(1, await _driver.DeliverMailAsync());

        var confirmed = Received().Single(m => (m.Subject ?? "").StartsWith("Anmeldung bestätigt", StringComparison.Ordinal));
        var calendar = Calendar.Load(Mailbox.Text(Mailbox.Calendar(confirmed)!))!;
        var entry = Assert.Single(calendar.Events);
        Assert.Equal(e.StartsAtUtc, entry.DtStart!.AsUtc);
        Assert.Equal(e.EndsAtUtc, entry.DtEnd!.AsUtc);
        Assert.Equal("Rathaus Chemnitz, Chemnitz", entry.Location);
        Assert.Equal("PUBLISH", calendar.Method);
    }

    [Fact]
    public async Task WhenTheMailServerIsDown_TheMessageWaitsAndArrivesExactlyOnceWhenItIsBack()
    {
        var e = await _driver.AddEventAsync("smtp-ausfall", capacity: 5, waitingList: true);
        await _driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("thomas@stadt.example"));

        Assert.Equal(0, await _driver.DeliverMailAsync());
        await using (var scope = _factory.CreateDbScope())
        {
            var message = await scope.Db.OutboxMessages.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal(OutboxStatus.Pending, message.Status);
            Assert.Equal(1, message.Attempts);
            Assert.NotNull(message.LastError);
            Assert.True(message.NextAttemptAtUtc > _factory.Time.GetUtcNow().UtcDateTime);
        }

        StartSmtp();
        Assert.Equal(0, await _driver.DeliverMailAsync());
        Assert.Equal(0, _smtp!.ReceivedEmailCount);

        _factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await _driver.DeliverMailAsync());
        Assert.Equal(0, await _driver.DeliverMailAsync());
        _factory.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _driver.DeliverMailAsync());

        var mail = Assert.Single(Received());
        Assert.StartsWith("Bitte bestätigen Sie Ihre Anmeldung", mail.Subject, StringComparison.Ordinal);
        await using var check = _factory.CreateDbScope();
        var sent = await check.Db.OutboxMessages.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
