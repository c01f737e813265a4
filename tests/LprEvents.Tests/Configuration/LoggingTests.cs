using LprEvents.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace LprEvents.Tests.Configuration;

public sealed class LoggingTests
{
    [Fact]
    public async Task EveryRequest_IsLoggedWithMethodPathStatusAndNoQueryString()
    {
        string logFolder;
        using (var factory = new LprWebFactory())
        {
            factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Information";
            logFolder = Path.Combine(factory.Folder, "logs");
            var client = factory.CreateClient();
            await client.GetAsync(new Uri("/aktuelles?region=chemnitz", UriKind.Relative), TestContext.Current.CancellationToken);
            await client.GetAsync(new Uri("/gibt-es-nicht", UriKind.Relative), TestContext.Current.CancellationToken);
            await client.GetAsync(new Uri("/anmeldung/" + new string('a', 64), UriKind.Relative), TestContext.Current.CancellationToken);

            var log = await ReadLogsAsync(logFolder, "HTTP GET /anmeldung/*** responded 404");

            Assert.Contains("HTTP GET /aktuelles responded 200", log, StringComparison.Ordinal);
            Assert.Contains("HTTP GET /gibt-es-nicht responded 404", log, StringComparison.Ordinal);
            Assert.DoesNotContain("region=chemnitz", log, StringComparison.Ordinal);
            Assert.Contains("HTTP GET /anmeldung/*** responded 404", log, StringComparison.Ordinal);
            Assert.DoesNotContain(new string('a', 64), log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithTheShippedLevels_APageWritesOneRequestLine_NotTheFrameworksDebugLines()
    {
        using var factory = new LprWebFactory();
        var logFolder = Path.Combine(factory.Folder, "logs");
        // appsettings.json's levels ("Microsoft": "Warning"); the test host's own defaults are lowered elsewhere.
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft"] = "Warning";
        var client = factory.CreateClient();
        await client.GetAsync(new Uri("/aktuelles", UriKind.Relative), TestContext.Current.CancellationToken);

        var log = await ReadLogsAsync(logFolder, "HTTP GET /aktuelles responded 200");

        Assert.DoesNotContain("ControllerActionInvoker", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[DBG]", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "Information")]
    [InlineData("Warning", null, "Warning")]
    [InlineData("Verbose", null, "Debug")]
    [InlineData("Warning", "Information", "Information")]
    public void FrameworkLevels_AreFloors_NeverLowerThanConfigured(string? microsoft, string? mvc, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" };
        if (microsoft is not null)
        {
            settings["Serilog:MinimumLevel:Override:Microsoft"] = microsoft;
        }

        if (mvc is not null)
        {
            settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Mvc"] = mvc;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var level = LprEvents.Web.Configuration.LoggingSetup.AtLeast(configuration, "Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker", Serilog.Events.LogEventLevel.Debug);

        Assert.Equal(expected, level.ToString());
    }

    [Fact]
    public async Task PrivateLinkTokens_NeverReachAnyLogSink_WhateverTheLevel()
    {
        using var factory = new LprWebFactory();
        var logFolder = Path.Combine(factory.Folder, "logs");
        // Everything at Debug, framework included: the hosting scope (RequestPath), routing and request lines.
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Debug";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:System"] = "Debug";
        // The console sink's own template, written to a file the test can read.
        factory.ExtraSettings["Serilog:WriteTo:0:Args:configure:0:Name"] = "File";
        factory.ExtraSettings["Serilog:WriteTo:0:Args:configure:0:Args:path"] = Path.Combine(logFolder, "console-.log");
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-logs", capacity: 5, waitingList: true, ("Gruppe A", 5), ("Gruppe B", 5));
        var form = await driver.FormAsync(e.Slug);
        var groupB = form.QuerySelectorAll("input[name='Sessions[0]']")[1].GetAttribute("value")!;

        var path = await driver.RegisterAndConfirmAsync(e.Slug, "protokoll@example.org");
        await driver.Client.GetAsync(new Uri(path + "/kalender.ics", UriKind.Relative), TestContext.Current.CancellationToken);
        await driver.PostPrivateAsync(path, "programm", new() { ["sessions[0]"] = groupB });
        await driver.PostPrivateAsync(path, "abmelden");
        await driver.PostPrivateAsync(path, "loeschen");
        await driver.DeliverMailAsync();
        var tokens = Mailbox.Read(factory.MailFolder).Select(m => Mailbox.Token(m)).Distinct().ToList();

        var log = await ReadLogsAsync(logFolder, "HTTP POST /anmeldung/***/loeschen responded");
        Assert.NotEmpty(tokens);
        Assert.Contains("/anmeldung/***/loeschen", log, StringComparison.Ordinal);
        Assert.Contains("\"RequestPath\":", log, StringComparison.Ordinal);
        Assert.Contains("HTTP POST /anmeldung/***/bestaetigen responded 302", log, StringComparison.Ordinal);
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SetPasswordTokensPasswordsAndAddresses_NeverReachTheLog_EvenAtVerbose()
    {
        using var factory = new LprWebFactory();
        var logFolder = Path.Combine(factory.Folder, "logs");
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Verbose";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Mvc"] = "Verbose";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker"] = "Verbose";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:System"] = "Verbose";
        var admin = await AdminSession.SignInAsync(factory, LprEvents.Web.Configuration.IdentitySetup.AdminRole);
        await admin.PostFormAsync("/admin/benutzer", new() { ["Email"] = "geheim.neu@lpr.example", ["DisplayName"] = "Neu", ["Role"] = "Editor" }, "form[action='/admin/benutzer/einladen']");
        await new RegistrationDriver(factory).DeliverMailAsync();
        var link = System.Text.RegularExpressions.Regex.Match(Mailbox.To(factory.MailFolder, "geheim.neu@lpr.example")[0].TextBody ?? "", @"https?://[^/\s]+(?<path>/admin/passwort-setzen\?\S+)").Groups["path"].Value;
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var (_, page) = await client.GetPageAsync(link);
        const string password = "ein sehr geheimes passwort 4711";
        var set = await client.PostAsync(new Uri("/admin/passwort-setzen", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "geheim.neu@lpr.example",
            ["Token"] = token,
            ["Password"] = password,
            ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
        }), TestContext.Current.CancellationToken);
        Assert.Equal("/admin/anmelden", set.Headers.Location?.OriginalString);

        var log = await ReadLogsAsync(logFolder, "HTTP POST /admin/passwort-setzen responded");
        Assert.Contains("passwort-setzen", log, StringComparison.Ordinal);
        Assert.Contains("[VRB]", log, StringComparison.Ordinal);
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(token), log, StringComparison.Ordinal);
        Assert.DoesNotContain(password, log, StringComparison.Ordinal);
        Assert.DoesNotContain("geheim.neu", log, StringComparison.Ordinal);
    }

    /// <summary>The sinks write asynchronously (appsettings: Serilog.Sinks.Async): waits for the request logged last, so everything before it is in the files too.</summary>
    internal static async Task<string> ReadLogsAsync(string folder, string last)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var log = ReadLogs(folder);
            if (log.Contains(last, StringComparison.Ordinal))
            {
                return log;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return ReadLogs(folder);
    }

    internal static string ReadLogs(string folder) =>
        string.Concat(Directory.GetFiles(folder).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));
}
