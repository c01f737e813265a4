namespace LprEvents.Web.Domain;

public enum EventKind
{
    Vernetzungstreffen,
    Fachtag,
    Workshop,
    OnlineSeminar,
    Sonstige,
}

public enum EventStatus
{
    Draft,
    Published,
    Cancelled,
}

public enum SessionKind
{
    Talk,
    Workshop,
    SmallGroup,
    Break,
    Plenary,
}

public enum OrganisationType
{
    Kommune,
    Polizei,
    Landkreis,
    VereinTraeger,
    Sonstige,
}

public enum ParticipantStatus
{
    AwaitingConfirmation,
    Confirmed,
    WaitingList,
    Cancelled,
    Attended,
}

public enum ArticleStatus
{
    Draft,
    Scheduled,
    Published,
}

public enum MediaKind
{
    Image,
    Pdf,
}

/// <summary>What a reader can do about registering for an event right now.</summary>
public enum RegistrationState
{
    NotOffered,
    NotYetOpen,
    Open,
    WaitingList,
    Full,
    Closed,
    Cancelled,
    Past,
}
