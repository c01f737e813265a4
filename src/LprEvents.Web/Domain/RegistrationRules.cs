namespace LprEvents.Web.Domain;

/// <summary>The registration state of an event, from its settings, the clock and its confirmed participants.</summary>
public static class RegistrationRules
{
    public static RegistrationState StateOf(
        EventStatus status,
        DateTime startsAtUtc,
        DateTime endsAtUtc,
        DateTime? opensAtUtc,
        DateTime? closesAtUtc,
        int? capacity,
        bool waitingListEnabled,
        int confirmed,
        DateTime nowUtc)
    {
        if (status == EventStatus.Cancelled)
        {
            return RegistrationState.Cancelled;
        }

        if (endsAtUtc < nowUtc)
        {
            return RegistrationState.Past;
        }

        if (capacity is null)
        {
            return RegistrationState.NotOffered;
        }

        if (opensAtUtc is { } opens && nowUtc < opens)
        {
            return RegistrationState.NotYetOpen;
        }

        var closes = closesAtUtc ?? startsAtUtc;
        if (nowUtc >= closes)
        {
            return RegistrationState.Closed;
        }

        if (confirmed < capacity)
        {
            return RegistrationState.Open;
        }

        return waitingListEnabled ? RegistrationState.WaitingList : RegistrationState.Full;
    }
}
