namespace LprEvents.Web.Domain;

/// <summary>
/// One private link to a registration. A participant may hold several at once (each e-mail that carries a
/// link mints its own), so asking for a new link never breaks the one in an older e-mail. Only the SHA-256
/// of the token is stored (docs/decisions/0012).
/// </summary>
public class ParticipantLink
{
    public int Id { get; set; }

    public int ParticipantId { get; set; }

    public Participant Participant { get; set; } = null!;

    public required string TokenHash { get; set; }

    public DateTime CreatedAtUtc { get; set; }
}
