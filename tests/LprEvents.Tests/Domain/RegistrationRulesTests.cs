using LprEvents.Web.Domain;

namespace LprEvents.Tests.Domain;

public sealed class RegistrationRulesTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Start = Now.AddDays(20);
    private static readonly DateTime End = Start.AddHours(6);

    private static RegistrationState State(
        EventStatus status = EventStatus.Published,
        DateTime? opens = null,
        DateTime? closes = null,
        int? capacity = 40,
        bool waitingList = true,
        int confirmed = 0,
        DateTime? now = null) =>
        RegistrationRules.StateOf(status, Start, End, opens, closes, capacity, waitingList, confirmed, now ?? Now);

    [Fact]
    public void StateOf_WithFreePlacesInsideTheWindow_IsOpen() =>
        Assert.Equal(RegistrationState.Open, State(opens: Now.AddDays(-1), closes: Now.AddDays(5), confirmed: 39));

    [Fact]
    public void StateOf_WhenFullWithWaitingList_OffersWaitingList() =>
        Assert.Equal(RegistrationState.WaitingList, State(confirmed: 40));

    [Fact]
    public void StateOf_WhenFullWithoutWaitingList_IsFull() =>
        Assert.Equal(RegistrationState.Full, State(confirmed: 40, waitingList: false));

    [Fact]
    public void StateOf_BeforeOpening_IsNotYetOpen() =>
        Assert.Equal(RegistrationState.NotYetOpen, State(opens: Now.AddMinutes(1)));

    [Fact]
    public void StateOf_AtClosingTime_IsClosed() =>
        Assert.Equal(RegistrationState.Closed, State(closes: Now));

    [Fact]
    public void StateOf_WithoutClosingTime_ClosesAtTheStart() =>
        Assert.Equal(RegistrationState.Closed, State(now: Start));

    [Fact]
    public void StateOf_CancelledEvent_IsCancelledEvenWithFreePlaces() =>
        Assert.Equal(RegistrationState.Cancelled, State(status: EventStatus.Cancelled));

    [Fact]
    public void StateOf_AfterTheEnd_IsPast() =>
        Assert.Equal(RegistrationState.Past, State(now: End.AddMinutes(1)));

    [Fact]
    public void StateOf_WithoutCapacity_OffersNoRegistration() =>
        Assert.Equal(RegistrationState.NotOffered, State(capacity: null));
}
