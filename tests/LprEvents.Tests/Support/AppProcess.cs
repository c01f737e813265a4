using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AngleSharp.Dom;

namespace LprEvents.Tests.Support;

/// <summary>
/// The built app as its own process in Production, as an operator runs it behind nginx: plain http on loopback,
/// the proxy's headers (Host, X-Forwarded-Proto) added by <see cref="Client"/>. Everything it writes to the
/// console is kept in <see cref="Output"/>. Killed (SIGKILL) on dispose if still running.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public IReadOnlyList<string> Output => [.. _output];

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The settings of a production start on a SQLite file in <paramref name="folder"/> (demo content on, so that there is
    /// something to register for; the file is created on the first start, as a first install asks for explicitly).
    /// </summary>
    public static Dictionary<string, string?> ProductionSettings(string folder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Site__PublicBaseUrl"] = LprWebFactory.DefaultPublicBaseUrl,
        ["ReverseProxy__KnownProxies__0"] = "127.0.0.1",
        ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(folder, "data", "lprevents.db")}",
        ["Database__CreateIfMissing"] = "true",
        ["Seed__Demo"] = "true",
        ["Media__RootPath"] = Path.Combine(folder, "media"),
        ["Email__PickupDirectory"] = Path.Combine(folder, "mail"),
        ["Registration__RateLimitPermits"] = "100000",
        ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(folder, "logs", "lprevents-.log"),
    };

    /// <summary>Starts the app on a free loopback port and waits (at most <paramref name="timeout"/>) until it answers <c>/health/live</c>.</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var port = FreePort();
        var start = WebProject.StartInfo(environment);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var app = new AppProcess(Process.Start(start)!, port);
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(120)))
        {
            if (app.HasExited)
            {
                throw new Xunit.Sdk.XunitException("The app exited at start:\n" + string.Join('\n', app.Output));
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
                request.Headers.Host = new Uri(LprWebFactory.DefaultPublicBaseUrl).Host;
                if ((await probe.SendAsync(request, TestContext.Current.CancellationToken)).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // Starting slowly.
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        app.Dispose();
        throw new TimeoutException("The app did not answer /health/live in time.");
    }

    /// <summary>A client that talks to the app as nginx would forward a browser's https request, with its own cookies.</summary>
    public HttpClient Client() => new(new ProxyHeaders(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }))
    {
        BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Ends the process at once, as <c>kill -9</c> does: no shutdown, no flushing.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Asks the app to stop (SIGTERM) and waits for it, so that its logs are written.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The headers nginx adds, and the browser's cookies (Secure ones too: the browser's side is https).</summary>
    private sealed class ProxyHeaders(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly ConcurrentDictionary<string, string> _cookies = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = new Uri(LprWebFactory.DefaultPublicBaseUrl).Host;
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
            if (!_cookies.IsEmpty)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var cookie in setCookies)
                {
                    var pair = cookie.Split(';')[0];
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    _cookies[pair[..equals]] = pair[(equals + 1)..];
                }
            }

            return response;
        }
    }
}

/// <summary>Registration through the form of a running <see cref="AppProcess"/>, as a browser does it.</summary>
public static class AppProcessRegistration
{
    /// <summary>Form page, then the filled-in form; returns the answer to the POST.</summary>
    public static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string slug, string email, string firstName = "Anna")
    {
        var (form, page) = await client.GetPageAsync($"/veranstaltungen/{slug}/anmeldung");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var values = new Dictionary<string, string>(RegistrationDriver.ValidFields(email, firstName))
        {
            ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
        };
        DefaultChoices(page, values);
        return await client.PostAsync(new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative), new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);
    }

    /// <summary>Makes room for everyone in the event <paramref name="slug"/> and its small groups, directly in the SQLite file.</summary>
    public static async Task MakeRoomAsync(string connectionString, string slug)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE Events SET Capacity = 100000, WaitingListEnabled = 1 WHERE Slug = '{slug}'; UPDATE Sessions SET Capacity = 100000 WHERE EventId = (SELECT Id FROM Events WHERE Slug = '{slug}');";
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A demo event whose registration is open now (the process runs on the real clock).</summary>
    public static async Task<string> OpenEventSlugAsync(HttpClient client)
    {
        var (_, list) = await client.GetPageAsync("/veranstaltungen");
        foreach (var link in list.QuerySelectorAll("a[href^='/veranstaltungen/']").Select(a => a.GetAttribute("href")!).Distinct())
        {
            var form = await client.GetAsync(new Uri(link + "/anmeldung", UriKind.Relative), TestContext.Current.CancellationToken);
            if (form.StatusCode == HttpStatusCode.OK && (await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Contains("__RequestVerificationToken", StringComparison.Ordinal))
            {
                return link["/veranstaltungen/".Length..];
            }
        }

        throw new Xunit.Sdk.XunitException("no demo event is open for registration");
    }

    /// <summary>The private page's confirmation button.</summary>
    public static async Task<HttpResponseMessage> ConfirmAsync(HttpClient client, string privatePath)
    {
        var (_, page) = await client.GetPageAsync(privatePath);
        var values = new Dictionary<string, string> { ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page) };
        return await client.PostAsync(new Uri(privatePath + "/bestaetigen", UriKind.Relative), new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);
    }

    private static void DefaultChoices(IDocument form, Dictionary<string, string> values)
    {
        if ((form.QuerySelector("#RegionId option[selected]") ?? form.QuerySelectorAll("#RegionId option").Skip(1).FirstOrDefault())?.GetAttribute("value") is { Length: > 0 } region)
        {
            values["RegionId"] = region;
        }

        foreach (var radio in form.QuerySelectorAll("input[type=radio][name^='Sessions[']").GroupBy(r => r.GetAttribute("name")!))
        {
            values.TryAdd(radio.Key, radio.First().GetAttribute("value")!);
        }
    }
}
