using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Registration;

/// <summary>
/// SQLite with deferred transactions: two confirmations may both count the free seats before either writes,
/// as on SQL Server. Only the event lock, the first statement of every seat transaction, lines them up.
/// </summary>
public sealed class DeferredSeatTransactionTests : IDisposable
{
    private readonly InterceptingWebFactory _factory = new(new DeferredTransactions());

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ParallelConfirmations_InDeferredTransactions_AllGetAnAnswerAndFillExactlyTheSeats()
    {
        var e = await new RegistrationDriver(_factory).AddEventAsync("aufgeschoben", capacity: 5, waitingList: true);
        var tokens = new List<string>();
        await using (var scope = _factory.CreateDbScope())
        {
            var now = _factory.Time.GetUtcNow().UtcDateTime;
            for (var i = 0; i < 40; i++)
            {
                var token = PrivateTokens.New();
                tokens.Add(token);
                var participant = new Participant
                {
                    EventId = e.Id,
                    FirstName = "Person",
                    LastName = $"Nr. {i}",
                    Email = $"person{i}@example.org",
                    EmailNormalized = $"person{i}@example.org",
                    PrivacyConsentVersion = RegistrationService.PrivacyVersion,
                    Status = ParticipantStatus.AwaitingConfirmation,
                    CreatedAtUtc = now,
                };
                participant.Links.Add(new ParticipantLink { TokenHash = PrivateTokens.Hash(token), CreatedAtUtc = now });
                scope.Db.Participants.Add(participant);
            }

            await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var outcomes = await Task.WhenAll(tokens.Select(token => Task.Run(async () =>
        {
            await using var scope = _factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RegistrationService>().ConfirmAsync(token, TestContext.Current.CancellationToken);
        })));

        Assert.Equal(5, outcomes.Count(o => o == ConfirmOutcome.Confirmed));
        Assert.Equal(35, outcomes.Count(o => o == ConfirmOutcome.WaitingList));
        await using var check = _factory.CreateDbScope();
        Assert.Equal(5, await check.Db.Participants.Where(p => p.EventId == e.Id).Where(ParticipantRules.HoldsSeat).CountAsync(TestContext.Current.CancellationToken));
    }
}
