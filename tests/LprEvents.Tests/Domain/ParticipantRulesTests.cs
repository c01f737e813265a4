using LprEvents.Web.Domain;

namespace LprEvents.Tests.Domain;

public sealed class ParticipantRulesTests
{
    [Theory]
    [InlineData(ParticipantStatus.AwaitingConfirmation, false)]
    [InlineData(ParticipantStatus.Confirmed, true)]
    [InlineData(ParticipantStatus.WaitingList, false)]
    [InlineData(ParticipantStatus.Cancelled, false)]
    [InlineData(ParticipantStatus.Attended, true)]
    public void HoldsSeat_InQueriesAndInMemory_AgreeForEveryStatus(ParticipantStatus status, bool holdsSeat)
    {
        var participant = new Participant { FirstName = "", LastName = "", Email = "", EmailNormalized = "", PrivacyConsentVersion = "", Status = status };

        Assert.Equal(holdsSeat, ParticipantRules.HoldsSeat.Compile()(participant));
        Assert.Equal(holdsSeat, participant.HoldsSeat);
        Assert.Equal(holdsSeat, ParticipantRules.IsSeatHolding(status));
    }

    [Fact]
    public void HoldsSeat_CoversEveryStatus()
    {
        // A new status must be placed on one side of the rule on purpose.
        Assert.Equal(5, Enum.GetValues<ParticipantStatus>().Length);
    }
}
