using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LprEvents.Tests.Support;

namespace LprEvents.Tests.Configuration;

/// <summary>Oversized bodies, slow clients and malformed forms get a 4xx (a German page where a browser waits for one), and the server stays unharmed.</summary>
public sealed class RequestLimitsTests
{
    public static TheoryData<string, string> MalformedForms => new()
    {
        { "NUL in a value", "FirstName=%00&LastName=M%00ller" },
        { "NUL in a name", "First%00Name=Anna" },
        { "broken percent-encoding", "FirstName=%E9%ZZ%&LastName=%" },
        { "invalid UTF-8", "FirstName=%C3%28%FF%FE" },
        { "too many fields", string.Join('&', Enumerable.Range(0, 1500).Select(i => $"f{i}=1")) },
        { "an over-long name", new string('k', 3000) + "=1" },
        { "an over-long value", "FirstName=" + new string('a', 1024 * 1024 + 1) },
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task MalformedForms_AreAnswered400WithTheGermanPage_NeverA500(string what, string body)
    {
        using var factory = new LprWebFactory();
        var driver = new RegistrationDriver(factory);
        await using var scope = factory.CreateDbScope();
        var slug = RegistrationDriver.EventSlugOf(scope.Db, "Vernetzungstreffen Dresden");
        var form = await driver.FormAsync(slug);
        var withToken = body + "&__RequestVerificationToken=" + Uri.EscapeDataString(RegistrationDriver.AntiforgeryToken(form));

        foreach (var content in new[] { body, withToken })
        {
            using var post = new StringContent(content, Encoding.ASCII, "application/x-www-form-urlencoded");
            var response = await driver.Client.PostAsync(new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative), post, TestContext.Current.CancellationToken);
            var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{what}: {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Equal("Anfrage nicht möglich", page.Text("h1"));
            }
            else
            {
                // Read, and refused with the form's own German messages.
                Assert.Contains("Bitte prüfen Sie Ihre Angaben", page.BodyText(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await driver.Client.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task AnOversizedBody_Is413WithTheGermanPage_BeforeAnythingReadsIt()
    {
        using var server = KestrelServer.Start();
        var slug = await server.SlugAsync();

        var answer = await server.SendAsync(
            $"POST /veranstaltungen/{slug}/anmeldung HTTP/1.1\r\n{KestrelServer.Headers}Accept: text/html\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {5 * 1024 * 1024}\r\n\r\nFirstName=");

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("<h1>Die Anfrage ist zu groß</h1>", WebUtility.HtmlDecode(answer), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await server.GetStatusAsync("/veranstaltungen"));
    }

    [Fact]
    public async Task SlowClients_AreDisconnected_WhileOthersAreServed()
    {
        using var server = KestrelServer.Start(("Limits:RequestHeadersTimeoutSeconds", "2"), ("Limits:MinDataRateGraceSeconds", "2"));
        var slug = await server.SlugAsync();

        // Headers that never end, and a body that trickles in at one byte a second.
        using var slowHeaders = await server.ConnectAsync("GET /veranstaltungen HTTP/1.1\r\nHost: veranstaltungen.test\r\nX-Slow: ");
        using var slowBody = await server.ConnectAsync(
            $"POST /veranstaltungen/{slug}/anmeldung HTTP/1.1\r\n{KestrelServer.Headers}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nFirstName=");
        var trickle = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 20 && slowBody.Connected; i++)
                {
                    await slowBody.GetStream().WriteAsync("a"u8.ToArray(), TestContext.Current.CancellationToken);
                    await Task.Delay(1000, TestContext.Current.CancellationToken);
                }
            }
            catch (IOException)
            {
                // Dropped by the server: what the test expects.
            }
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, await server.GetStatusAsync("/veranstaltungen"));
        var watch = Stopwatch.StartNew();
        var headersAnswer = await KestrelServer.ReadToCloseAsync(slowHeaders, TimeSpan.FromSeconds(15));
        var headersClosedAfter = watch.Elapsed;
        var bodyAnswer = await KestrelServer.ReadToCloseAsync(slowBody, TimeSpan.FromSeconds(20));
        var bodyClosedAfter = watch.Elapsed;
        await trickle;

        Assert.True(headersAnswer.Closed, "the connection with unfinished headers is still open");
        Assert.InRange(headersClosedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True(headersAnswer.Text.Length == 0 || headersAnswer.Text.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), headersAnswer.Text);
        Assert.True(bodyAnswer.Closed, "the trickling upload is still open");
        Assert.InRange(bodyClosedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.DoesNotContain("HTTP/1.1 500", bodyAnswer.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await server.GetStatusAsync("/veranstaltungen"));
    }

    /// <summary>The app on Kestrel (the test server has no request limits), behind a pretend proxy on loopback.</summary>
    private sealed class KestrelServer : IDisposable
    {
        private readonly LprWebFactory _factory;

        private KestrelServer(LprWebFactory factory, int port)
        {
            _factory = factory;
            Port = port;
        }

        public int Port { get; }

        /// <summary>What nginx adds: the public host name and the original scheme.</summary>
        public static string Headers => "Host: veranstaltungen.test\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 198.51.100.7\r\n";

        public static KestrelServer Start(params (string Key, string Value)[] settings)
        {
            var port = FreePort();
            var factory = new LprWebFactory();
            factory.ExtraSettings["ReverseProxy:KnownProxies:0"] = "127.0.0.1";
            foreach (var (key, value) in settings)
            {
                factory.ExtraSettings[key] = value;
            }

            factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
            factory.StartServer();
            return new KestrelServer(factory, port);
        }

        public async Task<string> SlugAsync()
        {
            await using var scope = _factory.CreateDbScope();
            return RegistrationDriver.EventSlugOf(scope.Db, "Vernetzungstreffen Dresden");
        }

        public async Task<HttpStatusCode> GetStatusAsync(string path)
        {
            var answer = await SendAsync($"GET {path} HTTP/1.1\r\n{Headers}Connection: close\r\n\r\n");
            return (HttpStatusCode)int.Parse(answer.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Sends the bytes as they are and reads until the server closes or stops answering.</summary>
        public async Task<string> SendAsync(string request)
        {
            using var client = await ConnectAsync(request);
            return (await ReadToCloseAsync(client, TimeSpan.FromSeconds(15))).Text;
        }

        public async Task<TcpClient> ConnectAsync(string start)
        {
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, TestContext.Current.CancellationToken);
            try
            {
                await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(start), TestContext.Current.CancellationToken);
            }
            catch (IOException)
            {
                // The server may close before reading everything (413): its answer is still there to read.
            }

            return client;
        }

        public static async Task<(string Text, bool Closed)> ReadToCloseAsync(TcpClient client, TimeSpan timeout)
        {
            var buffer = new byte[64 * 1024];
            var text = new StringBuilder();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                while (true)
                {
                    var read = await client.GetStream().ReadAsync(buffer, deadline.Token);
                    if (read == 0)
                    {
                        return (text.ToString(), true);
                    }

                    text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    if (IsComplete(text.ToString()))
                    {
                        return (text.ToString(), true);
                    }
                }
            }
            catch (IOException)
            {
                return (text.ToString(), true);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                return (text.ToString(), false);
            }
        }

        public void Dispose() => _factory.Dispose();

        /// <summary>A whole response with a Content-Length body, or a chunked one that has ended.</summary>
        private static bool IsComplete(string text)
        {
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            var head = text[..end];
            var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (length is not null)
            {
                return Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
