namespace LprEvents.Web.Domain;

/// <summary>
/// Which app instance runs a background job (maintenance, the alert digest) until when (ADR 0026). Taken and
/// renewed by a conditional update; another instance takes it over only after it expired.
/// </summary>
public sealed class JobLease
{
    /// <summary>The job, e.g. "maintenance".</summary>
    public string Name { get; set; } = "";

    /// <summary>The instance holding it: host, process and a random part; no personal data.</summary>
    public string Holder { get; set; } = "";

    public DateTime ExpiresAtUtc { get; set; }
}
