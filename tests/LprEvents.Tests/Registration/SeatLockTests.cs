using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Events;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>
/// Every operation that takes, frees or changes seats runs inside the event lock (docs/decisions/0010).
/// SQLite serialises writers, so concurrent tests pass there even without the lock; these tests watch the
/// SQL instead, and stage races at exact points, so that removing the lock makes them fail on SQLite too.
/// </summary>
public sealed partial class SeatLockTests : IDisposable
{
    private readonly SqlRecorder _sql = new();
    private readonly CommandHook _hook = new();
    private readonly InterceptingWebFactory _factory;
    private readonly RegistrationDriver _driver;

    public SeatLockTests()
    {
        _factory = new InterceptingWebFactory(_sql, _hook);
        _driver = new RegistrationDriver(_factory);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task EveryOperationOnSeats_StartsItsTransactionWithTheEventLock()
    {
        var e = await _driver.AddEventAsync("sperre", capacity: 1, waitingList: true, ("Gruppe A", 5), ("Gruppe B", 5));
        var groupB = e.Sessions.Single(s => s.Title == "Gruppe B").Id;
        var (first, second, third) = (await AddUnconfirmedAsync(e.Id, "erste@example.org"), await AddUnconfirmedAsync(e.Id, "zweite@example.org"), await AddUnconfirmedAsync(e.Id, "dritte@example.org"));
        int region;
        await using (var scope = _factory.CreateDbScope())
        {
            region = await scope.Db.Regions.Select(r => r.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        var edited = new EventInput(
            e.Title, e.Slug, e.Kind, e.StartsAtUtc, e.EndsAtUtc, e.VenueName, e.VenueStreet, e.VenuePostcode, e.VenueCity, e.OnlineUrl, e.Organisers, e.TargetAudience,
            e.Summary, e.Description, e.Regions.Select(r => r.Id).ToList(), e.Status, 2, e.WaitingListEnabled, e.RegistrationOpensAtUtc, e.RegistrationClosesAtUtc,
            e.AskAccessibilityNeeds, e.AskDietaryNeeds, e.LeadImageId, e.Version);
        var request = new RegistrationRequest("Neu", "Person", "neu@example.org", "Gemeinde", OrganisationType.Kommune, "", region, [], null, null, false);
        (string Name, Func<IServiceProvider, CancellationToken, Task> Run)[] operations =
        [
            ("anmelden", (s, ct) => s.GetRequiredService<RegistrationService>().RegisterAsync(e.Id, request, ct)),
            ("bestätigen", (s, ct) => s.GetRequiredService<RegistrationService>().ConfirmAsync(first.Token, ct)),
            ("bestätigen auf die Warteliste", (s, ct) => s.GetRequiredService<RegistrationService>().ConfirmAsync(second.Token, ct)),
            ("Kleingruppe wechseln", (s, ct) => s.GetRequiredService<RegistrationService>().ChangeSessionsAsync(first.Token, [groupB], ct)),
            ("einchecken", (s, ct) => s.GetRequiredService<RegistrationService>().SetAttendanceAsync(first.Id, true, ct)),
            ("einchecken zurücknehmen", (s, ct) => s.GetRequiredService<RegistrationService>().SetAttendanceAsync(first.Id, false, ct)),
            ("nachrücken lassen", (s, ct) => s.GetRequiredService<RegistrationService>().PromoteAsync(second.Id, ct)),
            ("absagen", (s, ct) => s.GetRequiredService<RegistrationService>().CancelAsync(first.Token, ct)),
            ("freie Plätze füllen", (s, ct) => s.GetRequiredService<RegistrationService>().FillFreeSeatsAsync(e.Id, ct)),
            ("durch die Redaktion absagen", (s, ct) => s.GetRequiredService<RegistrationService>().AdminCancelAsync(second.Id, ct)),
            ("Daten löschen", (s, ct) => s.GetRequiredService<RegistrationService>().DeleteDataAsync(third.Token, ct)),
            ("Veranstaltung mit mehr Plätzen speichern", (s, ct) => s.GetRequiredService<EventEditor>().SaveAsync(e.Id, edited, ct)),
            ("Programmpunkt löschen", (s, ct) => s.GetRequiredService<EventEditor>().DeleteSessionAsync(e.Id, groupB, ct)),
            ("Veranstaltung absagen", (s, ct) => s.GetRequiredService<EventNotifications>().CancelEventAsync(e.Id, ct)),
        ];

        var unlocked = new List<string>();
        foreach (var (name, run) in operations)
        {
            _sql.Recording = true;
            await using (var scope = _factory.Services.CreateAsyncScope())
            {
                await run(scope.ServiceProvider, TestContext.Current.CancellationToken);
            }

            _sql.Recording = false;
            var groups = _sql.Take();
            if (!groups.Any(g => g.InTransaction && IsEventLock(g.Commands[0])) || groups.Any(g => !IsSafe(g)))
            {
                unlocked.Add(name);
            }
        }

        Assert.Empty(unlocked);
    }

    [Fact]
    public async Task CheckIn_WhileAnEditorCancelsThePerson_DoesNotGiveTheSeatBack()
    {
        var e = await _driver.AddEventAsync("einlass-absage", capacity: 1, waitingList: true);
        var (first, second) = (await AddUnconfirmedAsync(e.Id, "erste@example.org"), await AddUnconfirmedAsync(e.Id, "zweite@example.org"));
        await ConfirmAsync(first.Token);
        await ConfirmAsync(second.Token);

        // The editor's cancellation lands right after the door staff's check-in has read the registration.
        _hook.AfterReading(c => c.CommandText.Contains("FROM \"Participants\"", StringComparison.Ordinal), async (_, ct) =>
        {
            await using var other = _factory.Services.CreateAsyncScope();
            await other.ServiceProvider.GetRequiredService<RegistrationService>().AdminCancelAsync(first.Id, ct);
        });
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RegistrationService>().SetAttendanceAsync(first.Id, true, TestContext.Current.CancellationToken);
        }

        Assert.True(_hook.Fired);
        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.Equal(ParticipantStatus.Cancelled, participants.Single(p => p.Id == first.Id).Status);
        Assert.Equal(ParticipantStatus.Confirmed, participants.Single(p => p.Id == second.Id).Status);
        Assert.Single(participants, p => p.HoldsSeat);
    }

    [Fact]
    public async Task CancellingTheEvent_TellsThoseConfirmedBeforeAndLaterConfirmationsHearItIsOver()
    {
        var e = await _driver.AddEventAsync("absage-bestaetigung", capacity: 10, waitingList: true);
        var (before, after) = (await AddUnconfirmedAsync(e.Id, "vorher@example.org"), await AddUnconfirmedAsync(e.Id, "nachher@example.org"));
        Assert.Equal(ConfirmOutcome.Confirmed, await ConfirmAsync(before.Token));

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EventNotifications>().CancelEventAsync(e.Id, TestContext.Current.CancellationToken);
        }

        Assert.Equal(ConfirmOutcome.EventOver, await ConfirmAsync(after.Token));
        await _driver.DeliverMailAsync();
        Assert.Contains(Mailbox.To(_factory.MailFolder, "vorher@example.org"), m => m.Subject == $"Abgesagt: {e.Title}");
        Assert.DoesNotContain(Mailbox.To(_factory.MailFolder, "nachher@example.org"), m => (m.Subject ?? "").StartsWith("Anmeldung bestätigt", StringComparison.Ordinal));
    }

    /// <summary>A transaction that reads or changes seats must begin with the lock; outside a transaction only reads are allowed.</summary>
    private static bool IsSafe(SqlGroup group) => group.InTransaction
        ? !group.Commands.Any(TouchesSeats) || IsEventLock(group.Commands[0])
        : !WritesSeats().IsMatch(group.Commands[0]);

    private static bool IsEventLock(string sql) => EventLock().IsMatch(sql);

    private static bool TouchesSeats(string sql) => sql.Contains("\"Participants\"", StringComparison.Ordinal) || WritesSeats().IsMatch(sql);

    [GeneratedRegex("""^UPDATE "Events"[^;]*\bSET "SeatLock" = """, RegexOptions.Singleline)]
    private static partial Regex EventLock();

    [GeneratedRegex("""^(UPDATE "(Participants|Events)"|INSERT INTO "Participants"|DELETE FROM "Participants")""")]
    private static partial Regex WritesSeats();

    private async Task<ConfirmOutcome?> ConfirmAsync(string token)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationService>().ConfirmAsync(token, TestContext.Current.CancellationToken);
    }

    private async Task<(int Id, string Token)> AddUnconfirmedAsync(int eventId, string email)
    {
        await using var scope = _factory.CreateDbScope();
        var now = _factory.Time.GetUtcNow().UtcDateTime;
        var token = PrivateTokens.New();
        var participant = new Participant
        {
            EventId = eventId,
            FirstName = "Person",
            LastName = email,
            Email = email,
            EmailNormalized = email,
            Organisation = "Gemeinde",
            PrivacyConsentVersion = RegistrationService.PrivacyVersion,
            Status = ParticipantStatus.AwaitingConfirmation,
            CreatedAtUtc = now,
        };
        participant.Links.Add(new ParticipantLink { TokenHash = PrivateTokens.Hash(token), CreatedAtUtc = now });
        foreach (var session in await scope.Db.Sessions.Where(s => s.EventId == eventId).OrderBy(s => s.Id).Take(1).ToListAsync(TestContext.Current.CancellationToken))
        {
            participant.Sessions.Add(session);
        }

        scope.Db.Participants.Add(participant);
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (participant.Id, token);
    }
}
