using LprEvents.Tests.Support;

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

            var log = string.Concat(Directory.GetFiles(logFolder).Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }));

            Assert.Contains("HTTP GET /aktuelles responded 200", log, StringComparison.Ordinal);
            Assert.Contains("HTTP GET /gibt-es-nicht responded 404", log, StringComparison.Ordinal);
            Assert.DoesNotContain("region=chemnitz", log, StringComparison.Ordinal);
            Assert.Contains("HTTP GET /anmeldung/*** responded 404", log, StringComparison.Ordinal);
            Assert.DoesNotContain(new string('a', 64), log, StringComparison.Ordinal);
        }
    }
}
