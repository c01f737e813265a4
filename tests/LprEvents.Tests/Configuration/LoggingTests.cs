using System.Net;
using System.Text.Json;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>A test host with appsettings.json's levels ("Microsoft": "Warning"); the test host's own defaults are lower.</summary>
    private static LprWebFactory WithShippedLevels()
    {
        var factory = new LprWebFactory();
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Information";
        factory.ExtraSettings["Serilog:MinimumLevel:Override:Microsoft"] = "Warning";
        return factory;
    }

    [Fact]
    public async Task WithTheShippedLevels_APageWritesOneRequestLine_NotTheFrameworksDebugLines()
    {
        using var factory = WithShippedLevels();
        var logFolder = Path.Combine(factory.Folder, "logs");
        var client = factory.CreateClient();
        await client.GetAsync(new Uri("/aktuelles", UriKind.Relative), TestContext.Current.CancellationToken);

        var log = await ReadLogsAsync(logFolder, "HTTP GET /aktuelles responded 200");

        Assert.DoesNotContain("ControllerActionInvoker", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[DBG]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAndPublicPages_WriteNoWarningAnOperatorWouldChase()
    {
        using var factory = WithShippedLevels();
        var logFolder = Path.Combine(factory.Folder, "logs");
        var client = factory.CreateClient();
        foreach (var path in new[] { "/", "/aktuelles", "/veranstaltungen", "/regionen", "/suche?q=Prävention", "/feed.xml", "/kalender.ics", "/sitemap.xml" })
        {
            await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        }

        await client.GetAsync(new Uri("/ende-des-tests", UriKind.Relative), TestContext.Current.CancellationToken);
        var log = await ReadLogsAsync(logFolder, "HTTP GET /ende-des-tests responded 404");

        // EF Core's warning for Skip/Take without OrderBy (the search index's start-up count had it).
        Assert.DoesNotContain("row limiting operator", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERR]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestItsClientGaveUpOn_IsNoErrorLine_ButA499AtDebug()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var factory = new LprWebFactory
        {
            BeforePipeline = app => app.Use(async (context, next) =>
            {
                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/veranstaltungen/test-abandoned"))
                {
                    arrived.TrySetResult();
                }

                await next(context);
            }),
        };
        var logFolder = Path.Combine(factory.Folder, "logs");
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Debug";
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-abandoned", capacity: 5, waitingList: false);

        // The registration waits for the database's write turn, which the test holds; meanwhile its client gives up.
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
        var turn = await LprEvents.Web.Data.SqliteWriterTurns.EnterAsync(db, TestContext.Current.CancellationToken);
        using (var impatient = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            var posting = driver.SubmitUntilAsync(e.Slug, RegistrationDriver.ValidFields("geduld@example.org"), impatient.Token);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await impatient.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => posting);
        }

        turn!.Dispose();
        var log = "";
        for (var i = 0; i < 300 && !log.Contains("anmeldung responded 499", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            log = ReadLogs(logFolder);
        }

        Assert.Contains("HTTP POST /veranstaltungen/test-abandoned/anmeldung responded 499", log, StringComparison.Ordinal);
        Assert.DoesNotContain("anmeldung responded 500", log, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERR]", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore.Database.Transaction", true, false)]
    [InlineData("Microsoft.EntityFrameworkCore.Database.Command", true, false)]
    [InlineData("Microsoft.EntityFrameworkCore.Database.Transaction", false, true)]
    [InlineData("LprEvents.Web.Services.Registration.RegistrationService", true, true)]
    public void DatabaseErrorOfARequestWhoseClientLeft_IsNoErrorLine(string source, bool clientLeft, bool kept)
    {
        using var left = new CancellationTokenSource();
        if (clientLeft)
        {
            left.Cancel();
        }

        var accessor = new HttpContextAccessor { HttpContext = new DefaultHttpContext { RequestAborted = left.Token } };
        var error = new Serilog.Events.LogEvent(DateTimeOffset.UtcNow, Serilog.Events.LogEventLevel.Error, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("An error occurred using a transaction."),
            [new Serilog.Events.LogEventProperty("SourceContext", new Serilog.Events.ScalarValue(source))]);

        Assert.Equal(kept, new LprEvents.Web.Configuration.AbandonedRequestDatabaseErrors(accessor).IsEnabled(error));
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

    [Fact]
    public async Task InProduction_TheConsoleWritesOneJsonObjectPerLine_WithRequestIdAndRouteTemplate_AndNoParticipantData()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        var settings = AppProcess.ProductionSettings(folder);
        settings["Serilog__MinimumLevel__Default"] = "Debug";
        settings["Email__OutboxPollSeconds"] = "1";
        const string email = "json.protokoll@example.org";
        const string firstName = "Kunigunde";
        try
        {
            using (var app = await AppProcess.StartAsync(settings))
            {
                using var client = app.Client();
                var slug = await AppProcessRegistration.OpenEventSlugAsync(client);
                var registered = await AppProcessRegistration.RegisterAsync(client, slug, email, firstName);
                Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
                var mail = await WaitForMailAsync(Path.Combine(folder, "mail"), email);
                var privatePath = Mailbox.PrivatePath(mail);
                Assert.Equal(HttpStatusCode.Redirect, (await AppProcessRegistration.ConfirmAsync(client, privatePath)).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/gibt-es-nicht?q=" + Uri.EscapeDataString(email), UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
                await app.StopAsync();

                var token = privatePath.Split('/')[^1];
                var lines = app.Output.Where(l => l.Length > 0).ToList();
                var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
                Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _) && e.TryGetProperty("@m", out _), e.ToString()));
                var confirmation = Assert.Single(events, e => Request(e, "POST", "/anmeldung/***/bestaetigen", 302));
                Assert.Equal("anmeldung/{token}/bestaetigen", Text(confirmation, "Route"));
                Assert.False(string.IsNullOrEmpty(Text(confirmation, "RequestId")));
                var registration = Assert.Single(events, e => Request(e, "POST", $"/veranstaltungen/{slug}/anmeldung", 302));
                Assert.Equal("veranstaltungen/{slug}/anmeldung", Text(registration, "Route"));
                // The service's own line about the new registration belongs to the same request.
                Assert.Contains(events, e => Text(e, "@m").Contains("awaits e-mail confirmation", StringComparison.Ordinal) && Text(e, "RequestId") == Text(registration, "RequestId"));
                var all = string.Join('\n', lines);
                Assert.DoesNotContain(email, all, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Uri.EscapeDataString(email), all, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(firstName, all, StringComparison.Ordinal);
                Assert.DoesNotContain(token, all, StringComparison.Ordinal);

                // The file sink writes the same JSON.
                var file = ReadLogs(Path.Combine(folder, "logs"));
                Assert.All(file.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l));
                Assert.Contains("anmeldung/{token}/bestaetigen", file, StringComparison.Ordinal);
                Assert.DoesNotContain(token, file, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task JsonEvents_OfASignedInEditor_CarryTheAccountIdButNotTheAddress()
    {
        using var factory = new LprWebFactory();
        var logFolder = Path.Combine(factory.Folder, "logs");
        factory.ExtraSettings["Logs:Format"] = "Json";
        factory.ExtraSettings["Serilog:MinimumLevel:Default"] = "Information";
        var admin = await AdminSession.SignInAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(new Uri("/admin/veranstaltungen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        string userId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(admin.Email))!.Id;
        }

        var log = await ReadLogsAsync(logFolder, "HTTP \\\"GET\\\" \\\"/admin/veranstaltungen\\\" responded 200");
        var events = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var page = Assert.Single(events, e => Request(e, "GET", "/admin/veranstaltungen", 200));
        Assert.Equal(userId, Text(page, "UserId"));
        Assert.Equal("admin/veranstaltungen", Text(page, "Route"));
        Assert.DoesNotContain(admin.Email, log, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The request-completed event of one request.</summary>
    private static bool Request(JsonElement e, string method, string path, int status) =>
        Text(e, "RequestMethod") == method && Text(e, "RequestPath") == path && Text(e, "StatusCode") == status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.ToString() : "";

    internal static async Task<MimeKit.MimeMessage> WaitForMailAsync(string folder, string address)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (Mailbox.To(folder, address) is [var mail, ..])
            {
                return mail;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"no e-mail to {address}");
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
