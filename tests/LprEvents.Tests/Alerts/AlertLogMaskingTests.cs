using LprEvents.Tests.Configuration;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;

namespace LprEvents.Tests.Alerts;

/// <summary>The tokens of alert links open a subscription: like private links, they never reach a log.</summary>
public sealed class AlertLogMaskingTests
{
    [Theory]
    [InlineData("/benachrichtigungen/verwalten/{0}", "/benachrichtigungen/verwalten/***")]
    [InlineData("/benachrichtigungen/verwalten/{0}/regionen", "/benachrichtigungen/verwalten/***/regionen")]
    [InlineData("https://veranstaltungen.test/benachrichtigungen/abmelden/{0}", "https://veranstaltungen.test/benachrichtigungen/abmelden/***")]
    [InlineData("<https://veranstaltungen.test/benachrichtigungen/abmelden/{0}>", "<https://veranstaltungen.test/benachrichtigungen/abmelden/***>")]
    public void AlertLinkShapes_AreMasked(string shape, string expected)
    {
        var token = LprEvents.Web.Services.Registration.PrivateTokens.New();

        Assert.Equal(expected, SecretMasking.MaskLogText(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, token)));
    }

    [Fact]
    public async Task AlertTokens_NeverReachAnyLogSink_EvenAtDebug()
    {
        using var factory = new LprWebFactory { SeedDemo = false };
        var logFolder = Path.Combine(factory.Folder, "logs");
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        var driver = new AlertDriver(factory);

        var path = await driver.SubscribeAndConfirmAsync("protokoll@example.org", "chemnitz");
        await driver.Client.GetAsync(new Uri(path.Replace("/verwalten/", "/abmelden/", StringComparison.Ordinal), UriKind.Relative), TestContext.Current.CancellationToken);
        await driver.Client.PostAsync(new Uri(path.Replace("/verwalten/", "/abmelden/", StringComparison.Ordinal), UriKind.Relative), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), TestContext.Current.CancellationToken);

        var log = await LoggingTests.ReadLogsAsync(logFolder, "HTTP POST /benachrichtigungen/abmelden/*** responded 200");
        Assert.Contains("HTTP POST /benachrichtigungen/verwalten/***/bestaetigen responded 302", log, StringComparison.Ordinal);
        Assert.Contains("HTTP POST /benachrichtigungen/abmelden/*** responded 200", log, StringComparison.Ordinal);
        Assert.DoesNotContain(path.Split('/')[^1], log, StringComparison.Ordinal);
        Assert.DoesNotContain("protokoll@example.org", log, StringComparison.Ordinal);
    }
}
