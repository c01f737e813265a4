using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Events;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Services.Events;

/// <summary>The rules of editing an event, without the admin pages around them.</summary>
public sealed class EventEditorTests : IDisposable
{
    private readonly CommandHook _hook = new();
    private readonly InterceptingWebFactory _factory;
    private readonly RegistrationDriver _driver;

    public EventEditorTests()
    {
        _factory = new InterceptingWebFactory(_hook);
        _driver = new RegistrationDriver(_factory);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Save_ClearingTheSeatsOfAnEventWithRegistrations_IsRefusedAndChangesNothing()
    {
        var e = await _driver.AddEventAsync("plaetze-leeren", capacity: 5, waitingList: true);
        await AddParticipantsAsync(e.Id, ParticipantStatus.Confirmed, 1);

        var result = await SaveAsync(e.Id, await InputOfAsync(e.Id) with { Capacity = null, Title = "Ohne Plätze" });

        var refused = Assert.IsType<EventSaveResult.Refused>(result);
        Assert.Equal(nameof(EventInput.Capacity), Assert.Single(refused.Problems).Field);
        Assert.StartsWith("Es gibt schon Anmeldungen", refused.Problems[0].Message, StringComparison.Ordinal);
        var stored = await StoredAsync(e.Id);
        Assert.Equal(5, stored.Capacity);
        Assert.Equal(e.Title, stored.Title);
    }

    [Fact]
    public async Task Save_WithAnAddressAnotherEventUses_IsRefused()
    {
        var e = await _driver.AddEventAsync("adresse-eins", capacity: 5, waitingList: true);
        await _driver.AddEventAsync("adresse-zwei", capacity: 5, waitingList: true);

        var result = await SaveAsync(e.Id, await InputOfAsync(e.Id) with { Slug = "adresse-zwei" });

        var refused = Assert.IsType<EventSaveResult.Refused>(result);
        Assert.Equal(new EventProblem(nameof(EventInput.Slug), "Die Adresse „adresse-zwei“ ist schon vergeben."), Assert.Single(refused.Problems));
    }

    [Fact]
    public async Task Save_WithTheVersionBeforeSomeoneElsesSave_ReturnsTheirEventAndKeepsIt()
    {
        var e = await _driver.AddEventAsync("zwei-redakteure", capacity: 5, waitingList: true);
        var seenByBoth = await InputOfAsync(e.Id);
        Assert.IsType<EventSaveResult.Saved>(await SaveAsync(e.Id, seenByBoth with { Title = "Fassung der ersten Redakteurin" }));

        var result = await SaveAsync(e.Id, seenByBoth with { Title = "Fassung des zweiten Redakteurs" });

        var conflict = Assert.IsType<EventSaveResult.Conflict>(result);
        Assert.Equal("Fassung der ersten Redakteurin", conflict.Theirs.Title);
        Assert.Equal("Fassung der ersten Redakteurin", (await StoredAsync(e.Id)).Title);
    }

    [Fact]
    public async Task Save_MovingTheVenue_TellsEveryoneRegisteredAndLogsItWithTheChange()
    {
        var e = await _driver.AddEventAsync("neuer-ort", capacity: 2, waitingList: true);
        await AddParticipantsAsync(e.Id, ParticipantStatus.Confirmed, 2);
        await AddParticipantsAsync(e.Id, ParticipantStatus.WaitingList, 1);

        var result = await SaveAsync(e.Id, await InputOfAsync(e.Id) with { VenueName = "Stadthalle Chemnitz" });

        var saved = Assert.IsType<EventSaveResult.Saved>(result);
        Assert.Equal("Gespeichert. 3 Angemeldete werden über die Änderung informiert.", saved.Message);
        await using var check = _factory.CreateDbScope();
        Assert.Equal(3, await check.Db.OutboxMessages.CountAsync(m => m.Kind == "event-changed", TestContext.Current.CancellationToken));
        var entityId = e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await check.Db.AuditLog.AnyAsync(a => a.Action == "changed" && a.EntityType == "Event" && a.EntityId == entityId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Save_WhenTheEmailsCannotBeQueued_KeepsNeitherTheChangeNorItsAuditEntry()
    {
        var e = await _driver.AddEventAsync("alles-oder-nichts", capacity: 5, waitingList: true);
        await AddParticipantsAsync(e.Id, ParticipantStatus.Confirmed, 1);
        var input = await InputOfAsync(e.Id) with { VenueName = "Stadthalle Chemnitz" };
        _hook.BeforeCommand(c => c.CommandText.Contains("INSERT INTO \"OutboxMessages\"", StringComparison.Ordinal), (_, _) => throw new InvalidOperationException("Datenbank nicht erreichbar"));

        await Assert.ThrowsAsync<DbUpdateException>(() => SaveAsync(e.Id, input));

        Assert.True(_hook.Fired);
        Assert.Equal(e.VenueName, (await StoredAsync(e.Id)).VenueName);
        await using var check = _factory.CreateDbScope();
        var entityId = e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(await check.Db.AuditLog.AnyAsync(a => a.EntityType == "Event" && a.EntityId == entityId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Save_AddingSeats_MovesTheWaitingListUpInOrder()
    {
        var e = await _driver.AddEventAsync("mehr-plaetze", capacity: 1, waitingList: true);
        await AddParticipantsAsync(e.Id, ParticipantStatus.Confirmed, 1);
        await AddParticipantsAsync(e.Id, ParticipantStatus.WaitingList, 3);

        var result = await SaveAsync(e.Id, await InputOfAsync(e.Id) with { Capacity = 3 });

        Assert.Equal("Gespeichert. 2 Personen sind von der Warteliste nachgerückt und werden informiert.", Assert.IsType<EventSaveResult.Saved>(result).Message);
        var participants = await _driver.ParticipantsAsync(e.Id);
        Assert.Equal(3, participants.Count(p => p.HoldsSeat));
        Assert.Equal(ParticipantStatus.WaitingList, participants.OrderBy(p => p.Id).Last().Status);
    }

    [Fact]
    public async Task Save_MovingTheEventToAnotherDay_MovesItsProgramAlong()
    {
        var e = await _driver.AddEventAsync("anderer-tag", capacity: 5, waitingList: true, ("Gruppe A", 5));
        var input = await InputOfAsync(e.Id);

        Assert.IsType<EventSaveResult.Saved>(await SaveAsync(e.Id, input with { StartsAtUtc = input.StartsAtUtc.AddDays(7), EndsAtUtc = input.EndsAtUtc.AddDays(7) }));

        await using var check = _factory.CreateDbScope();
        var session = await check.Db.Sessions.SingleAsync(s => s.EventId == e.Id, TestContext.Current.CancellationToken);
        Assert.Equal(e.Sessions.Single().StartsAtUtc.AddDays(7), session.StartsAtUtc);
    }

    [Fact]
    public async Task DeleteSession_ChosenByParticipants_IsRefused()
    {
        var e = await _driver.AddEventAsync("gewaehlt", capacity: 5, waitingList: true, ("Gruppe A", 5));
        await AddParticipantsAsync(e.Id, ParticipantStatus.Confirmed, 2, e.Sessions.Single().Id);

        (SessionDeleteOutcome, string, int) outcome;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<EventEditor>().DeleteSessionAsync(e.Id, e.Sessions.Single().Id, TestContext.Current.CancellationToken);
        }

        Assert.Equal((SessionDeleteOutcome.Chosen, "Gruppe A", 2), outcome);
        await using var check = _factory.CreateDbScope();
        Assert.True(await check.Db.Sessions.AnyAsync(s => s.EventId == e.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Copy_IsADraftOneYearLaterWithTheProgramWithoutParticipantsAndIsLogged()
    {
        var e = await _driver.AddEventAsync("kopiervorlage", capacity: 5, waitingList: true, ("Gruppe A", 5));
        await AddParticipantsAsync(e.Id, ParticipantStatus.Confirmed, 1);

        int? copyId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            copyId = await scope.ServiceProvider.GetRequiredService<EventEditor>().CopyAsync(e.Id, TestContext.Current.CancellationToken);
        }

        await using var check = _factory.CreateDbScope();
        var copy = await check.Db.Events.Include(x => x.Sessions).SingleAsync(x => x.Id == copyId, TestContext.Current.CancellationToken);
        Assert.Equal(EventStatus.Draft, copy.Status);
        Assert.Equal(LprEvents.Web.Services.BerlinTime.ToLocal(e.StartsAtUtc).AddDays(364), LprEvents.Web.Services.BerlinTime.ToLocal(copy.StartsAtUtc));
        Assert.Equal("Gruppe A", Assert.Single(copy.Sessions).Title);
        Assert.False(await check.Db.Participants.AnyAsync(p => p.EventId == copy.Id, TestContext.Current.CancellationToken));
        var entityId = copy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await check.Db.AuditLog.AnyAsync(a => a.Action == "created" && a.EntityId == entityId, TestContext.Current.CancellationToken));
    }

    private async Task<EventSaveResult> SaveAsync(int id, EventInput input)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EventEditor>().SaveAsync(id, input, TestContext.Current.CancellationToken);
    }

    private async Task<Event> StoredAsync(int id)
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.Events.AsNoTracking().SingleAsync(x => x.Id == id, TestContext.Current.CancellationToken);
    }

    /// <summary>The event as the editor's form shows it: saving it unchanged changes nothing.</summary>
    private async Task<EventInput> InputOfAsync(int id)
    {
        await using var scope = _factory.CreateDbScope();
        var e = await scope.Db.Events.AsNoTracking().Include(x => x.Regions).SingleAsync(x => x.Id == id, TestContext.Current.CancellationToken);
        return new EventInput(
            e.Title, e.Slug, e.Kind, e.StartsAtUtc, e.EndsAtUtc, e.VenueName, e.VenueStreet, e.VenuePostcode, e.VenueCity, e.OnlineUrl,
            e.Organisers, e.TargetAudience, e.Summary, e.Description, e.Regions.Select(r => r.Id).ToList(), e.Status, e.Capacity,
            e.WaitingListEnabled, e.RegistrationOpensAtUtc, e.RegistrationClosesAtUtc, e.AskAccessibilityNeeds, e.AskDietaryNeeds, e.LeadImageId, e.Version);
    }

    private async Task AddParticipantsAsync(int eventId, ParticipantStatus status, int count, int? sessionId = null)
    {
        await using var scope = _factory.CreateDbScope();
        var now = _factory.Time.GetUtcNow().UtcDateTime;
        var existing = await scope.Db.Participants.CountAsync(p => p.EventId == eventId, TestContext.Current.CancellationToken);
        for (var i = existing; i < existing + count; i++)
        {
            var participant = new Participant
            {
                EventId = eventId,
                FirstName = "Person",
                LastName = $"Nr. {i}",
                Email = $"person{i}@example.org",
                EmailNormalized = $"person{i}@example.org",
                PrivacyConsentVersion = RegistrationService.PrivacyVersion,
                Status = status,
                CreatedAtUtc = now,
                ConfirmedAtUtc = now.AddMinutes(i),
            };
            if (sessionId is { } id)
            {
                participant.Sessions.Add(await scope.Db.Sessions.SingleAsync(s => s.Id == id, TestContext.Current.CancellationToken));
            }

            scope.Db.Participants.Add(participant);
        }

        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
