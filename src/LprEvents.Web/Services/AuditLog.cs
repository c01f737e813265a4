using System.Security.Claims;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;

namespace LprEvents.Web.Services;

/// <summary>
/// Adds an audit entry for the signed-in editor to the DbContext; it is saved with the change it describes,
/// in the same SaveChanges.
/// </summary>
public sealed class AuditLog(LprEventsDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    public void Record(string action, string entityType, object? entityId, string summary)
    {
        var user = http.HttpContext?.User;
        db.AuditLog.Add(new AuditEntry
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            UserId = user?.FindFirstValue(ClaimTypes.NameIdentifier),
            UserName = user?.Identity?.Name ?? "System",
            Action = action,
            EntityType = entityType,
            EntityId = entityId?.ToString(),
            Summary = summary.Length > 500 ? summary[..500] : summary,
        });
    }
}
