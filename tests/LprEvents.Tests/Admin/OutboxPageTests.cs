using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Admin;

/// <summary>The "E-Mail-Ausgang" page and the outbox's age on /health/ready, as an administrator and a load balancer see them.</summary>
public sealed class OutboxPageTests : IDisposable
{
    private static readonly string Token = new('b', 64);

    private readonly LprWebFactory _factory = new() { SeedDemo = false };

    public void Dispose() => _factory.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> AddAsync(string address, OutboxStatus status, TimeSpan age, string? lastError = null, int attempts = 0)
    {
        await using var scope = _factory.CreateDbScope();
        var created = _factory.Time.GetUtcNow().UtcDateTime - age;
        var message = new OutboxMessage
        {
            Kind = "confirm-address",
            ToAddress = address,
            Subject = "Bitte bestätigen Sie Ihre Anmeldung: Fachtag Prävention",
            TextBody = $"Geheimer Text https://veranstaltungen.test/anmeldung/{Token}",
            HtmlBody = $"<p>Geheimer Text <a href=\"https://veranstaltungen.test/anmeldung/{Token}\">Link</a></p>",
            Status = status,
            Attempts = attempts,
            LastError = lastError,
            CreatedAtUtc = created,
            NextAttemptAtUtc = created,
        };
        scope.Db.OutboxMessages.Add(message);
        await scope.Db.SaveChangesAsync(Ct);
        return message.Id;
    }

    private Task<int> DeliverAsync() => _factory.Services.GetRequiredService<OutboxSender>().SendDueAsync(Ct);

    [Fact]
    public async Task AdminSeesWaitingAndFailedMailWithTheReason_RetryQueuesItAgain_AndItIsDelivered()
    {
        // The sender is off in tests: the waiting one stays waiting until DeliverAsync.
        await AddAsync("wartet@example.org", OutboxStatus.Pending, TimeSpan.FromMinutes(20));
        var failedId = await AddAsync("abgelehnt@example.org", OutboxStatus.Failed, TimeSpan.FromHours(2), "Empfänger vom Mailserver dauerhaft abgelehnt (SMTP 550): 5.1.1 User unknown", attempts: 1);
        var admin = await AdminSession.SignInAsync(_factory, IdentitySetup.AdminRole);

        var (response, page) = await admin.Client.GetPageAsync("/admin/e-mail-ausgang");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("E-Mail-Ausgang", page.Text("h1"));
        Assert.Contains("E-Mail-Ausgang", page.Texts("nav a"));
        Assert.Equal(["1 wartend", "1 fehlgeschlagen", "0 versandt (in den letzten 24 Stunden geschrieben)"], page.Texts(".counts li"));
        Assert.Contains("Die älteste wartende E-Mail wurde vor 20 Minuten geschrieben. Das ist länger als 15 Minuten", page.BodyText(), StringComparison.Ordinal);
        Assert.Equal("Wartende E-Mails, älteste zuerst", page.Text("table caption"));
        var waitingRow = Html.Normalise(page.QuerySelector("tbody tr")!.TextContent);
        Assert.Contains("wartet@example.org", waitingRow, StringComparison.Ordinal);
        Assert.Contains("vor 20 Minuten", waitingRow, StringComparison.Ordinal);
        Assert.All(page.QuerySelectorAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        Assert.DoesNotContain(Token, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Geheimer Text", page.BodyText(), StringComparison.Ordinal);

        (_, page) = await admin.Client.GetPageAsync("/admin/e-mail-ausgang?liste=fehlgeschlagen");
        var failedRow = Html.Normalise(page.QuerySelector("tbody tr")!.TextContent);
        Assert.Contains("abgelehnt@example.org", failedRow, StringComparison.Ordinal);
        Assert.Contains("Empfänger vom Mailserver dauerhaft abgelehnt (SMTP 550): 5.1.1 User unknown", failedRow, StringComparison.Ordinal);
        Assert.Contains("Erneut versuchen", failedRow, StringComparison.Ordinal);

        var retry = await admin.PostFormAsync("/admin/e-mail-ausgang?liste=fehlgeschlagen", [], $"form[action='/admin/e-mail-ausgang/{failedId}/erneut']");
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        (_, page) = await admin.Client.GetPageAsync(retry.Headers.Location!.OriginalString);
        Assert.Contains($"E-Mail {failedId} wird erneut versucht.", page.Text("[role=status]"), StringComparison.Ordinal);
        Assert.Equal("Keine fehlgeschlagenen E-Mails.", page.Text(".outbox-empty"));

        await using (var scope = _factory.CreateDbScope())
        {
            var row = await scope.Db.OutboxMessages.SingleAsync(m => m.Id == failedId, Ct);
            Assert.Equal(OutboxStatus.Pending, row.Status);
            Assert.Equal(0, row.Attempts);
            Assert.True(await scope.Db.AuditLog.AnyAsync(a => a.Action == "retried" && a.EntityType == "OutboxMessage" && a.EntityId == failedId.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.UserName == admin.Email, Ct));
        }

        Assert.Equal(2, await DeliverAsync());
        Assert.Single(Mailbox.To(_factory.MailFolder, "abgelehnt@example.org"));
        Assert.Single(Mailbox.To(_factory.MailFolder, "wartet@example.org"));
        (_, page) = await admin.Client.GetPageAsync("/admin/e-mail-ausgang");
        Assert.Equal(["0 wartend", "0 fehlgeschlagen", "2 versandt (in den letzten 24 Stunden geschrieben)"], page.Texts(".counts li"));
        Assert.Equal("Keine E-Mail wartet.", page.Text(".outbox-empty"));
    }

    [Fact]
    public async Task RetryAll_QueuesEveryFailedMessage_AndEditorsHaveNoAccess()
    {
        await AddAsync("eins@example.org", OutboxStatus.Failed, TimeSpan.FromHours(1), "Nach 12 Versuchen aufgegeben.", attempts: 12);
        await AddAsync("zwei@example.org", OutboxStatus.Failed, TimeSpan.FromHours(1), "Nach 12 Versuchen aufgegeben.", attempts: 12);
        var admin = await AdminSession.SignInAsync(_factory, IdentitySetup.AdminRole);

        var response = await admin.PostFormAsync("/admin/e-mail-ausgang?liste=fehlgeschlagen", [], "form[action='/admin/e-mail-ausgang/erneut']");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await admin.Client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("2 E-Mails werden erneut versucht.", page.Text("[role=status]"));
        Assert.Equal(2, await DeliverAsync());

        var editor = await AdminSession.SignInAsync(_factory);
        var denied = await editor.Client.GetAsync(new Uri("/admin/e-mail-ausgang", UriKind.Relative), Ct);
        Assert.StartsWith("/admin/kein-zugriff", denied.Headers.Location?.OriginalString, StringComparison.Ordinal);
        (_, page) = await editor.Client.GetPageAsync("/admin");
        Assert.DoesNotContain("E-Mail-Ausgang", page.Texts("nav a"));
    }

    [Fact]
    public async Task Ready_IsDegradedWithTheAge_WhenTheOldestWaitingMailIsOlderThanTheLimit_AndHealthyOnceItIsSent()
    {
        var client = _factory.CreateClient();
        await AddAsync("langsam@example.org", OutboxStatus.Pending, TimeSpan.FromMinutes(14));

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Ct));

        _factory.Time.Advance(TimeSpan.FromMinutes(2));
        ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        var body = await ready.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded\noutbox: Degraded – Oldest waiting e-mail: 960 s (limit 900 s).", body);
        Assert.DoesNotContain("@", body, StringComparison.Ordinal);

        Assert.Equal(1, await DeliverAsync());
        ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Ct));
    }
}
