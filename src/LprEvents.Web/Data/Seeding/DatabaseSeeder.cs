using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Data.Seeding;

/// <summary>
/// Idempotent seeding: the regions of Saxony on every start (missing ones are added), and demo content
/// once, into a database that has no events and no articles yet. The regions are reference data, not demo
/// content: events are filed under them, the registration form asks for one, the public region pages list them
/// and the readiness check asks for them, so they are seeded always, in Production and for commands too.
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
        if (demo && environment.IsDevelopment() && !await db.Users.AnyAsync(ct))
        {
            var (password, _) = await accounts.CreateAsync(DevelopmentAdmin, Configuration.IdentitySetup.AdminRole, "Administration (Entwicklung)");
            // Printed once, to the console only (never to the log files); delete App_Data to get a new one.
            Console.WriteLine($"Development admin: {DevelopmentAdmin}  password: {password}  (sign in at /admin/anmelden)");
        }

        if (demo && !await db.Events.AnyAsync(ct) && !await db.Articles.AnyAsync(ct))
        {
            var demoContent = new DemoContent(db, media, time);
            await demoContent.AddAsync(ct);
            logger.LogInformation("Demo content seeded: {Events} events, {Articles} articles", await db.Events.CountAsync(ct), await db.Articles.CountAsync(ct));
        }
    }

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
