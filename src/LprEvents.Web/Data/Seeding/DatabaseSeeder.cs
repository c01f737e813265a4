using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Data.Seeding;

/// <summary>
/// Idempotent seeding: the regions of Saxony on every start (missing ones are added), and demo content
/// once, into a database without any content of its own (<see cref="HasContentAsync"/>). The regions are reference
/// data, not demo content: events are filed under them, the registration form asks for one, the public region pages
/// list them and the readiness check asks for them, so they are seeded always, in Production and for commands too.
/// </summary>
public sealed class DatabaseSeeder(
    LprEventsDbContext db,
    MediaStorage media,
    AdminAccounts accounts,
    IWebHostEnvironment environment,
    TimeProvider time,
    ILogger<DatabaseSeeder> logger)
{
    public const string DevelopmentAdmin = "admin@lpr.localhost";

    public async Task SeedAsync(bool demo, CancellationToken ct = default)
    {
        await SeedRegionsAsync(ct);
        await accounts.EnsureRolesAsync();
        // Decided before the development admin below is added: an account someone made is content.
        var empty = demo && !await HasContentAsync(ct);
        if (demo && environment.IsDevelopment() && !await db.Users.AnyAsync(ct))
        {
            var (password, _) = await accounts.CreateAsync(DevelopmentAdmin, Configuration.IdentitySetup.AdminRole, "Administration (Entwicklung)");
            // Printed once, to the console only (never to the log files); delete App_Data to get a new one.
            Console.WriteLine($"Development admin: {DevelopmentAdmin}  password: {password}  (sign in at /admin/anmelden)");
        }

        if (empty)
        {
            var demoContent = new DemoContent(db, media, time);
            await demoContent.AddAsync(ct);
            logger.LogInformation("Demo content seeded: {Events} events, {Articles} articles", await db.Events.CountAsync(ct), await db.Articles.CountAsync(ct));
        }
    }

    /// <summary>
    /// Whether the database holds anything but reference data: an event, article, participant, media file, alert
    /// subscription or account. Demo content goes only into a database that holds none of these, so that
    /// <c>Seed:Demo=true</c> left in a production environment file never mixes invented events into real ones
    /// (docs/decisions/0028).
    /// </summary>
    public async Task<bool> HasContentAsync(CancellationToken ct) =>
        await db.Events.AnyAsync(ct)
        || await db.Articles.AnyAsync(ct)
        || await db.Participants.AnyAsync(ct)
        || await db.MediaAssets.AnyAsync(ct)
        || await db.AlertSubscriptions.AnyAsync(ct)
        || await db.Users.AnyAsync(ct);

    private async Task SeedRegionsAsync(CancellationToken ct)
    {
        var existing = await db.Regions.Select(r => r.Slug).ToListAsync(ct);
        var order = 0;
        foreach (var (slug, name, description) in RegionSeedData.All)
        {
            order++;
            if (!existing.Contains(slug))
            {
                db.Regions.Add(new Region { Slug = slug, Name = name, Description = description, SortOrder = order });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
