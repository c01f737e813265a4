using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using LprEvents.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Cluster;

/// <summary>
/// Production as an operator runs it, on this machine (ADR 0026): Debian's nginx with the repository's site file
/// (deploy/nginx/lprevents.conf, with test ports and a throw-away certificate) in front of two app processes started
/// as the systemd unit starts them (deploy/systemd/lprevents@.service), both on one SQLite file and one Debian
/// redis-server, sending e-mail to a local SMTP server (ScriptedSmtpServer). Everything binds 127.0.0.1 on free ports and is
/// stopped when the class is done, also after a failure. Without nginx or redis-server the tests skip, except under
/// CI=true, where .ci/run installs them.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    public const string Host = "veranstaltungen.lpr.sachsen.de";

    /// <summary>Registration form posts per client and 10 minutes, for the test of shared counting.</summary>
    public const int RateLimitPermits = 120;

    private readonly List<Process> _servers = [];
    private string? _redisPath;
    private X509Certificate2? _certificate;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "lprevents-cluster", Guid.NewGuid().ToString("N"));

    public string? SkipReason { get; private set; }

    public string DatabasePath => Path.Combine(Folder, "lprevents.db");

    public int NginxPort { get; private set; }

    public int RedisPort { get; private set; }

    /// <summary>The mail server: serves sessions in parallel, as real ones do (netDumbster greets one connection at a time,
    /// and each instance's outbox keeps its sessions open for a whole run).</summary>
    public ScriptedSmtpServer? Smtp { get; private set; }

    public int SmtpPort { get; private set; }

    public AppInstance[] Instances { get; private set; } = [];

    public string AdminEmail { get; } = "admin@lpr.example";

    public string AdminPassword { get; private set; } = "";

    private Process? Redis { get; set; }

    public async ValueTask InitializeAsync()
    {
        var nginx = Executable("nginx", "/usr/sbin/nginx");
        _redisPath = Executable("redis-server", "/usr/bin/redis-server");
        if (nginx is null || _redisPath is null)
        {
            SkipReason = $"The multi-instance test needs Debian's nginx and redis-server ({(nginx is null ? "nginx" : "redis-server")} is missing; apt-get install nginx redis-server).";
            return;
        }

        Directory.CreateDirectory(Folder);
        try
        {
            await StartAsync(nginx);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Skips the calling test where the servers are absent on a developer machine; fails under CI.</summary>
    public void RequireServers()
    {
        if (SkipReason is null)
        {
            return;
        }

        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), $"CI=true but: {SkipReason} .ci/run installs both.");
        Assert.Skip(SkipReason);
    }

    private async Task StartAsync(string nginx)
    {
        var ct = TestContext.Current.CancellationToken;
        SmtpPort = FreePort();
        Smtp = new ScriptedSmtpServer(SmtpPort);
        RedisPort = FreePort();
        StartRedis();

        var environment = AppEnvironment();
        // Creates and migrates the shared database once and creates the first administrator, as an operator does before the start.
        var (exitCode, output) = await WebProject.RunAsync(new Dictionary<string, string?>(environment) { ["Database__CreateIfMissing"] = "true" }, "create-admin", AdminEmail);
        Assert.True(exitCode == 0, output);
        AdminPassword = OneTimePassword().Match(output).Groups[1].Value;

        Instances = [new AppInstance("A", FreePort()), new AppInstance("B", FreePort())];
        foreach (var instance in Instances)
        {
            instance.Start(_servers, environment);
        }

        NginxPort = FreePort();
        WriteNginxConfiguration();
        _servers.Add(StartProcess("nginx", nginx, ["-p", Folder, "-c", Path.Combine(Folder, "nginx.conf"), "-g", "daemon off;"], null));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        foreach (var instance in Instances)
        {
            await instance.WaitUntilReadyAsync(timeout.Token);
        }

        using var client = Through(new CookieJar());
        while ((await TryGetAsync(client, "/health/ready", timeout.Token)) != HttpStatusCode.OK)
        {
            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>The settings of both instances: the unit file's, then Production on this machine's test servers.</summary>
    private Dictionary<string, string?> AppEnvironment() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = null,
        ["DOTNET_gcServer"] = "0",
        ["Site__PublicBaseUrl"] = $"https://{Host}",
        ["ReverseProxy__KnownProxies__0"] = "127.0.0.1",
        ["Database__Provider"] = "Sqlite",
        ["ConnectionStrings__Default"] = $"Data Source={DatabasePath}",
        ["Media__RootPath"] = Path.Combine(Folder, "media"),
        ["Email__Mode"] = "Smtp",
        ["Email__Smtp__Host"] = "127.0.0.1",
        ["Email__Smtp__Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email__Smtp__UseTls"] = "false",
        ["Email__OutboxPollSeconds"] = "1",
        ["Redis__Configuration"] = $"127.0.0.1:{RedisPort}",
        ["Registration__RateLimitPermits"] = RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Long, so that only an eviction (never the clock) can make a cached page fresh during the test.
        ["Caching__PublicPageSeconds"] = "3600",
        ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(Folder, "logs", "lprevents-.log"),
    };

    /// <summary>The repository's site file with test ports, no IPv6, and a certificate made for this run.</summary>
    private void WriteNginxConfiguration()
    {
        var site = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx", "lprevents.conf"));
        site = Replace(site, "server 127.0.0.1:5001", $"server 127.0.0.1:{Instances[0].Port}");
        site = Replace(site, "server 127.0.0.1:5002", $"server 127.0.0.1:{Instances[1].Port}");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{FreePort()};");
        site = Replace(site, "listen 443 ssl;", $"listen 127.0.0.1:{NginxPort} ssl;");
        site = Regex.Replace(site, @"^\s*listen \[::\].*$", "", RegexOptions.Multiline);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(Folder, "site.pem"), _certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Folder, "site.key"), key.ExportPkcs8PrivateKeyPem());
        site = Replace(site, Regex.Match(site, @"ssl_certificate\s+\S+;").Value, $"ssl_certificate {Path.Combine(Folder, "site.pem")};");
        site = Replace(site, Regex.Match(site, @"ssl_certificate_key\s+\S+;").Value, $"ssl_certificate_key {Path.Combine(Folder, "site.key")};");

        var temp = Path.Combine(Folder, "nginx-temp");
        Directory.CreateDirectory(temp);
        // Workers run as nobody when the tests run as root (CI): they may need to buffer to disk.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, (UnixFileMode)0x1FF);
        }
        File.WriteAllText(Path.Combine(Folder, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{Folder}}/nginx.pid;
            error_log {{Folder}}/nginx-error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{Folder}}/nginx-access.log;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
            {{site}}
            }
            """);
    }

    private static string Replace(string text, string old, string replacement)
    {
        Assert.True(old.Length > 0 && text.Contains(old, StringComparison.Ordinal), $"deploy/nginx/lprevents.conf no longer contains '{old}': adjust the multi-instance test");
        return text.Replace(old, replacement, StringComparison.Ordinal);
    }

    public void StartRedis()
    {
        Redis = StartProcess("redis", _redisPath!, ["--port", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], null);
        _servers.Add(Redis);
        var deadline = Stopwatch.StartNew();
        while (!Answers(RedisPort))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "redis-server did not start");
            Thread.Sleep(100);
        }
    }

    public void StopRedis()
    {
        Redis!.Kill(entireProcessTree: true);
        Redis.WaitForExit(5000);
    }

    /// <summary>A client that talks https to nginx, as a browser does.</summary>
    public HttpClient Through(CookieJar jar) =>
        Client(NginxPort, tls: true, jar, new Dictionary<string, string>());

    /// <summary>
    /// A client that talks to one instance directly, as nginx does: plain http with the forwarded headers (the test
    /// runs on 127.0.0.1, the configured proxy), so it can pick the client address the rate limits see.
    /// </summary>
    public HttpClient Direct(AppInstance instance, CookieJar jar, string clientAddress = "10.20.0.1") =>
        Client(instance.Port, tls: false, jar, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = clientAddress });

    private HttpClient Client(int port, bool tls, CookieJar jar, Dictionary<string, string> headers)
    {
        var thumbprint = _certificate?.GetCertHashString();
        var sockets = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint;
        return new HttpClient(new JarHandler(jar, headers) { InnerHandler = sockets })
        {
            BaseAddress = new Uri($"{(tls ? "https" : "http")}://{Host}:{port}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>A DbContext on the shared database, for arranging data and checking rows.</summary>
    public SqliteLprEventsDbContext Database() =>
        new(new DbContextOptionsBuilder<SqliteLprEventsDbContext>().UseSqlite($"Data Source={DatabasePath}").Options);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Enumerable.Reverse(_servers))
        {
            try
            {
                if (!server.HasExited)
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }

            server.Dispose();
        }

        _servers.Clear();
        Smtp?.Dispose();
        _certificate?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    internal static Process StartProcess(string name, string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment, ConcurrentQueue<string>? output = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        process.OutputDataReceived += (_, e) => output?.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output?.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task<HttpStatusCode?> TryGetAsync(HttpClient client, string path, CancellationToken ct)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), ct);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Executable(string name, string fallback) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .Append(fallback)
            .FirstOrDefault(File.Exists);

    internal static string RepositoryRoot() => Path.GetFullPath(Path.Combine(WebProject.OutputFolder(), "..", "..", "..", "..", ".."));

    [GeneratedRegex(@"One-time password:\s+(\S+)")]
    private static partial Regex OneTimePassword();
}

/// <summary>One app process, started with the systemd unit's command line and environment.</summary>
public sealed class AppInstance(string name, int port)
{
    public string Name { get; } = name;

    public int Port { get; } = port;

    /// <summary>Everything the process wrote to the console (its log), line by line.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    private Process? _process;

    public string OutputText => string.Join('\n', Output);

    internal void Start(List<Process> servers, Dictionary<string, string?> settings)
    {
        var unit = File.ReadAllLines(Path.Combine(ClusterFixture.RepositoryRoot(), "deploy", "systemd", "lprevents@.service"));
        var environment = new Dictionary<string, string?>();
        foreach (var line in unit.Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)))
        {
            var (key, value) = (line["Environment=".Length..].Split('=', 2)[0], line["Environment=".Length..].Split('=', 2)[1]);
            environment[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var execStart = Assert.Single(unit, l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ');
        Assert.Equal("/usr/bin/dotnet", execStart[0]);
        Assert.EndsWith("/LprEvents.Web.dll", execStart[1], StringComparison.Ordinal);
        var arguments = execStart.Skip(2).Select(a => a.Replace("%i", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        _process = ClusterFixture.StartProcess(
            Name,
            "dotnet",
            [Path.Combine(WebProject.OutputFolder(), "LprEvents.Web.dll"), .. arguments],
            environment,
            Output);
        servers.Add(_process);
    }

    internal async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        // /health/* answers over plain http (load balancers probe that way); the host name must be the public one.
        using var probe = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri($"http://{ClusterFixture.Host}:{Port}/") };
        while (await ClusterFixture.TryGetAsync(probe, "/health/ready", ct) != HttpStatusCode.OK)
        {
            Assert.False(_process!.HasExited, $"instance {Name} exited: {OutputText}");
            await Task.Delay(250, ct);
        }
    }
}

/// <summary>Cookies by name for one visitor, shared by clients to different instances (Secure ones too, over the test's plain http).</summary>
public sealed class CookieJar
{
    private readonly ConcurrentDictionary<string, string> _cookies = new();

    public string? Header => _cookies.IsEmpty ? null : string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    public void Take(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            var pair = value.Split(';', 2)[0].Split('=', 2);
            if (pair.Length == 2 && pair[1].Length > 0 && !value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies[pair[0].Trim()] = pair[1];
            }
            else
            {
                _cookies.TryRemove(pair[0].Trim(), out _);
            }
        }
    }
}

internal sealed class JarHandler(CookieJar jar, Dictionary<string, string> headers) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (jar.Header is { } cookies)
        {
            request.Headers.Add("Cookie", cookies);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        // As nginx sends it ($host): the name without the port, so that both instances see the same address.
        request.Headers.Host = ClusterFixture.Host;

        var response = await base.SendAsync(request, cancellationToken);
        jar.Take(response);
        return response;
    }
}
