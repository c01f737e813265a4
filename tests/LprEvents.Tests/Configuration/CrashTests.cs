using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LprEvents.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// The app killed with SIGKILL while 200 registrations and their confirmations are in flight, then started again on
/// the same database: whatever a person was told had worked is there, once, and every e-mail still goes out.
/// </summary>
public sealed class CrashTests
{
    private const int Registrations = 200;

    [Fact]
    public async Task SigkillDuringRegistrationsAndConfirmations_LosesNothingConfirmed_DuplicatesNothing_AndSendsEveryMail()
    {
        var watch = Stopwatch.StartNew();
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        var settings = AppProcess.ProductionSettings(folder);
        settings["Email__OutboxPollSeconds"] = "1";
        // Claims last 16 s here (five minutes by default): what the killed process had claimed goes out within the test.
        settings["Email__ClaimSeconds"] = "15";
        settings["Email__Smtp__ConnectTimeoutSeconds"] = "2";
        settings["Email__Smtp__CommandTimeoutSeconds"] = "2";
        settings["Serilog__MinimumLevel__Default"] = "Warning";
        var mailFolder = Path.Combine(folder, "mail");
        var database = $"Data Source={Path.Combine(folder, "data", "lprevents.db")};Pooling=False";
        var registered = new ConcurrentDictionary<string, bool>();
        var confirmed = new ConcurrentDictionary<string, bool>();
        var run = Guid.NewGuid().ToString("N")[..8];
        try
        {
            string slug;
            using (var app = await AppProcess.StartAsync(settings))
            {
                using var client = app.Client();
                slug = await AppProcessRegistration.OpenEventSlugAsync(client);
                await AppProcessRegistration.MakeRoomAsync(database, slug);

                using var stop = new CancellationTokenSource();
                var registering = Parallel.ForEachAsync(Enumerable.Range(0, Registrations), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop.Token }, async (i, ct) =>
                {
                    var email = $"crash-{run}-{i:000}@example.org";
                    using var own = app.Client();
                    try
                    {
                        var response = await AppProcessRegistration.RegisterAsync(own, slug, email);
                        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.EndsWith("/anmeldung/eingegangen", StringComparison.Ordinal) == true)
                        {
                            registered[email] = true;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException || ex is Xunit.Sdk.XunitException)
                    {
                        // Killed while this one was on its way: no success page, so no promise was made.
                    }
                });
                var confirming = ConfirmWhatArrivesAsync(app, mailFolder, confirmed, stop.Token);

                // The kill comes in the middle: once a third of the registrations and some confirmations are through,
                // and at the latest at two thirds of the registrations (on a fast machine they outrun the e-mails).
                var deadline = Stopwatch.StartNew();
                while ((registered.Count < Registrations / 3 || (confirmed.Count < 5 && registered.Count < Registrations * 2 / 3)) && deadline.Elapsed < TimeSpan.FromSeconds(40))
                {
                    await Task.Delay(50, TestContext.Current.CancellationToken);
                }

                app.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(Swallow(registering), Swallow(confirming));
            }

            Assert.InRange(registered.Count, Registrations / 3, Registrations - 1);
            Assert.NotEmpty(confirmed);

            long claimedAtRestart;
            using (var restarted = await AppProcess.StartAsync(settings))
            {
                // Every e-mail that was waiting goes out after the restart; those the killed process had claimed (one may
                // have been on the wire) once their claims expire (OutboxSender.ClaimDuration, 16 s here).
                var ours = $"ToAddress LIKE 'crash-{run}-%' AND Status = 'Pending'";
                claimedAtRestart = await ScalarAsync(database, $"SELECT COUNT(*) FROM OutboxMessages WHERE {ours} AND LockedUntilUtc IS NOT NULL");
                var drain = Stopwatch.StartNew();
                while (await ScalarAsync(database, $"SELECT COUNT(*) FROM OutboxMessages WHERE {ours}") > 0 && drain.Elapsed < TimeSpan.FromSeconds(45))
                {
                    await Task.Delay(250, TestContext.Current.CancellationToken);
                }

                Assert.Equal(0, await ScalarAsync(database, $"SELECT COUNT(*) FROM OutboxMessages WHERE {ours}"));
                Assert.NotEqual(0, await ScalarAsync(database, $"SELECT COUNT(*) FROM OutboxMessages WHERE ToAddress LIKE 'crash-{run}-%' AND Status = 'Sent'"));
                await restarted.StopAsync();
            }

            // Every registration that got its success page is there, once; no address twice.
            var rows = await RowsAsync(database, $"SELECT Email, Status FROM Participants WHERE Email LIKE 'crash-{run}-%'");
            Assert.All(registered.Keys, email => Assert.Single(rows, r => r.Email == email));
            Assert.Equal(rows.Count, rows.Select(r => r.Email).Distinct().Count());
            // Every confirmation that got its success page holds.
            Assert.All(confirmed.Keys, email => Assert.Equal("Confirmed", rows.Single(r => r.Email == email).Status));

            // Each registration's request e-mail went out; a message sent twice (on the wire at the kill) has one Message-ID.
            var mails = Mailbox.Read(mailFolder).Where(m => m.To.Mailboxes.Any(b => b.Address.StartsWith($"crash-{run}-", StringComparison.Ordinal))).ToList();
            Assert.All(rows, r => Assert.Contains(mails, m => m.To.Mailboxes.Single().Address == r.Email && (m.Subject ?? "").StartsWith("Bitte bestätigen", StringComparison.Ordinal)));
            Assert.All(rows.Where(r => r.Status == "Confirmed"), r => Assert.Contains(mails, m => m.To.Mailboxes.Single().Address == r.Email && !(m.Subject ?? "").StartsWith("Bitte bestätigen", StringComparison.Ordinal)));
            foreach (var same in mails.GroupBy(m => (m.To.Mailboxes.Single().Address, m.Subject)).Where(g => g.Count() > 1))
            {
                Assert.Single(same.Select(m => m.MessageId).Distinct());
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"{registered.Count} registered, {confirmed.Count} confirmed before the kill; {mails.Count} e-mails, {claimedAtRestart} claimed at the kill; {watch.Elapsed.TotalSeconds:0} s");
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(150));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Confirms every registration whose e-mail has arrived, as the people would, until cancelled.</summary>
    private static async Task ConfirmWhatArrivesAsync(AppProcess app, string mailFolder, ConcurrentDictionary<string, bool> confirmed, CancellationToken ct)
    {
        var tried = new HashSet<string>();
        using var client = app.Client();
        while (!ct.IsCancellationRequested)
        {
            foreach (var mail in Mailbox.Read(mailFolder).Where(m => (m.Subject ?? "").StartsWith("Bitte bestätigen", StringComparison.Ordinal)))
            {
                var email = mail.To.Mailboxes.Single().Address;
                if (!tried.Add(email))
                {
                    continue;
                }

                try
                {
                    var response = await AppProcessRegistration.ConfirmAsync(client, Mailbox.PrivatePath(mail));
                    if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("?hinweis=", StringComparison.Ordinal) == true)
                    {
                        confirmed[email] = true;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException || ex is Xunit.Sdk.XunitException)
                {
                    return;
                }
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<List<(string Email, string Status)>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
