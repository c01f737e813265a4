using System.Globalization;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Data.Seeding;

/// <summary>How many load-test rows the database should hold after <see cref="LoadSeeder.SeedAsync"/>.</summary>
public sealed record LoadSeedTargets(int Articles, int Events, int Participants);

/// <summary>
/// Test data for load and scale measurements (<c>seed-load</c>, bench/): published articles spread over twenty
/// years, events with programs (mostly past, some upcoming) and their participants in every state. Resumable: rows
/// are numbered (<c>lasttest-beitrag-000123</c>, <c>lasttest-veranstaltung-000042</c>, participants counted on those
/// events), and a run adds only what is missing up to the targets. Written in batches of
/// <see cref="BatchSize"/> rows, one transaction each, with change detection off, through EF Core so that it works on
/// SQLite and SQL Server alike. Never demo content and never run by the site itself.
/// </summary>
public sealed class LoadSeeder(LprEventsDbContext db, TimeProvider time, IOptions<RegistrationOptions> registration)
{
    public const string ArticleSlugPrefix = "lasttest-beitrag-";
    public const string EventSlugPrefix = "lasttest-veranstaltung-";
    public const int BatchSize = 1000;

    /// <summary>Articles and events are spread over this many years before today.</summary>
    private const int Years = 20;

    public static string ArticleSlug(int number) => ArticleSlugPrefix + number.ToString("D6", CultureInfo.InvariantCulture);

    public static string EventSlug(int number) => EventSlugPrefix + number.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Adds what is missing up to <paramref name="targets"/>; returns the rows added (articles, events, participants).</summary>
    public async Task<LoadSeedTargets> SeedAsync(LoadSeedTargets targets, SeedProgressFactory progress, CancellationToken ct = default)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.SortOrder).ToListAsync(ct);
        if (regions.Count == 0)
        {
            throw new InvalidOperationException("The database has no regions; start the site once so that they are seeded.");
        }

        var events = await SeedEventsAsync(targets.Events, regions, progress, ct);
        var articles = await SeedArticlesAsync(targets.Articles, regions, progress, ct);
        var participants = await SeedParticipantsAsync(targets.Participants, regions, progress, ct);
        return new LoadSeedTargets(articles, events, participants);
    }

    private async Task<int> SeedEventsAsync(int target, List<Region> regions, SeedProgressFactory progress, CancellationToken ct)
    {
        var existing = (await db.Events.Where(e => e.Slug.StartsWith(EventSlugPrefix)).Select(e => e.Slug).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var missing = Enumerable.Range(1, Math.Max(target, 0)).Where(n => !existing.Contains(EventSlug(n))).ToList();
        var bar = progress("Veranstaltungen", target, target - missing.Count);
        var now = time.GetUtcNow().UtcDateTime;
        var today = BerlinTime.Today(time);
        foreach (var batch in missing.Chunk(BatchSize / 5))
        {
            var stubs = AttachRegions(regions);
            foreach (var number in batch)
            {
                db.Events.Add(NewEvent(number, stubs, today, now));
            }

            await SaveBatchAsync(ct);
            bar.Advance(batch.Length);
        }

        bar.Done();
        return missing.Count;
    }

    private static Event NewEvent(int number, Region[] regions, DateOnly today, DateTime now)
    {
        var rng = new Random(number * 7919 + 17);
        var region = regions[rng.Next(regions.Length)];
        var town = LoadTestText.Pick(rng, LoadTestText.TownsOf(region.Slug));
        // Nine in ten in the past twenty years, the rest within the coming year.
        var day = rng.Next(10) == 0 ? today.AddDays(rng.Next(1, 366)) : today.AddDays(-rng.Next(1, Years * 365));
        var kind = (EventKind)rng.Next(5);
        var (title, summary, description, audience, organisers) = LoadTestText.Event(rng, kind, region.Name, town, day.Year);
        var (venue, street) = LoadTestText.Venue(rng, town);
        var starts = BerlinTime.ToUtc(day, 9 + rng.Next(5), rng.Next(2) * 30);
        var hasRegistration = rng.Next(5) != 0;
        var e = new Event
        {
            Title = title,
            Slug = EventSlug(number),
            Kind = kind,
            StartsAtUtc = starts,
            EndsAtUtc = starts.AddHours(4),
            VenueName = kind == EventKind.OnlineSeminar ? "Online" : venue,
            VenueStreet = kind == EventKind.OnlineSeminar ? "" : street,
            VenuePostcode = kind == EventKind.OnlineSeminar ? "" : town.Postcode,
            VenueCity = kind == EventKind.OnlineSeminar ? "" : town.Name,
            OnlineUrl = kind == EventKind.OnlineSeminar ? "https://konferenz.example.org/lpr-" + number.ToString(CultureInfo.InvariantCulture) : null,
            Organisers = organisers,
            TargetAudience = audience,
            Summary = summary,
            Description = description,
            Status = rng.Next(30) == 0 ? EventStatus.Cancelled : EventStatus.Published,
            Capacity = hasRegistration ? 12 + rng.Next(50) : null,
            WaitingListEnabled = hasRegistration && rng.Next(3) != 0,
            RegistrationOpensAtUtc = hasRegistration ? starts.AddDays(-60) : null,
            RegistrationClosesAtUtc = hasRegistration ? starts.AddDays(-1) : null,
            CreatedAtUtc = Min(starts.AddDays(-70), now),
            UpdatedAtUtc = Min(starts.AddDays(-70), now),
        };
        e.Regions.Add(region);
        AddProgram(e, rng);
        return e;
    }

    /// <summary>Welcome, a talk, a break, two or three parallel small groups to choose from, the closing round.</summary>
    private static void AddProgram(Event e, Random rng)
    {
        var t = e.StartsAtUtc;
        e.Sessions.Add(new Session { Title = LoadTestText.SessionTitle(rng, 0), Kind = SessionKind.Plenary, StartsAtUtc = t, EndsAtUtc = t.AddMinutes(30), Speakers = LoadTestText.Person(rng) });
        e.Sessions.Add(new Session { Title = LoadTestText.SessionTitle(rng, 1), Kind = SessionKind.Talk, StartsAtUtc = t.AddMinutes(30), EndsAtUtc = t.AddMinutes(75), Speakers = LoadTestText.Person(rng), Room = "Saal" });
        e.Sessions.Add(new Session { Title = "Kaffeepause", Kind = SessionKind.Break, StartsAtUtc = t.AddMinutes(75), EndsAtUtc = t.AddMinutes(90) });
        var groups = 2 + rng.Next(2);
        for (var g = 0; g < groups; g++)
        {
            e.Sessions.Add(new Session
            {
                Title = LoadTestText.SessionTitle(rng, 2 + g),
                Kind = SessionKind.SmallGroup,
                StartsAtUtc = t.AddMinutes(90),
                EndsAtUtc = t.AddMinutes(180),
                Speakers = LoadTestText.Person(rng),
                Room = $"Raum {g + 1}",
                Capacity = e.Capacity is { } capacity ? capacity / groups + 5 : null,
                SortOrder = g,
            });
        }

        e.Sessions.Add(new Session { Title = "Ergebnisse und Verabredungen", Kind = SessionKind.Plenary, StartsAtUtc = t.AddMinutes(180), EndsAtUtc = t.AddMinutes(240) });
    }

    private async Task<int> SeedArticlesAsync(int target, List<Region> regions, SeedProgressFactory progress, CancellationToken ct)
    {
        var existing = (await db.Articles.Where(a => a.Slug.StartsWith(ArticleSlugPrefix)).Select(a => a.Slug).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var missing = Enumerable.Range(1, Math.Max(target, 0)).Where(n => !existing.Contains(ArticleSlug(n))).ToList();
        var bar = progress("Beiträge", target, target - missing.Count);
        // Every tenth article reports on a past load-test event.
        var pastEvents = await db.Events.Where(e => e.Slug.StartsWith(EventSlugPrefix) && e.StartsAtUtc < time.GetUtcNow().UtcDateTime)
            .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var today = BerlinTime.Today(time);
        foreach (var batch in missing.Chunk(BatchSize))
        {
            var stubs = AttachRegions(regions);
            foreach (var number in batch)
            {
                db.Articles.Add(NewArticle(number, stubs, pastEvents, today, now));
            }

            await SaveBatchAsync(ct);
            bar.Advance(batch.Length);
        }

        bar.Done();
        return missing.Count;
    }

    private static Article NewArticle(int number, Region[] regions, List<int> pastEvents, DateOnly today, DateTime now)
    {
        var rng = new Random(number * 104729 + 3);
        var region = regions[rng.Next(regions.Length)];
        var town = LoadTestText.Pick(rng, LoadTestText.TownsOf(region.Slug));
        var date = today.AddDays(-rng.Next(0, Years * 365));
        var (title, teaser, body) = LoadTestText.Article(rng, region.Name, town, date);
        var published = Min(BerlinTime.ToUtc(date, 10, 0), now);
        var article = new Article
        {
            Title = title,
            Slug = ArticleSlug(number),
            Teaser = teaser,
            Body = body,
            Status = ArticleStatus.Published,
            Date = date,
            PublishedAtUtc = published,
            Author = "seed-load",
            EventId = number % 10 == 0 && pastEvents.Count > 0 ? pastEvents[number / 10 % pastEvents.Count] : null,
            CreatedAtUtc = published,
            UpdatedAtUtc = published,
        };
        article.Regions.Add(region);
        if (rng.Next(4) == 0)
        {
            var second = regions[rng.Next(regions.Length)];
            if (second.Id != region.Id)
            {
                article.Regions.Add(second);
            }
        }

        return article;
    }

    private sealed record EventSlot(int Id, DateTime StartsAtUtc, DateTime EndsAtUtc, int? Capacity, bool WaitingList, EventStatus Status);

    /// <summary>
    /// Participants go round the load-test events in turn, so the k-th participant of an event is numbered
    /// k·events + i: the first <c>Capacity</c> hold seats, the next wait (or were turned away and cancelled), one in
    /// eight cancelled; past events' participants attended or not and are anonymised once the retention period is
    /// over, as the maintenance run would have done.
    /// </summary>
    private async Task<int> SeedParticipantsAsync(int target, List<Region> regions, SeedProgressFactory progress, CancellationToken ct)
    {
        var existingCount = await db.Participants.CountAsync(p => p.Event.Slug.StartsWith(EventSlugPrefix), ct);
        var toAdd = Math.Max(target - existingCount, 0);
        var bar = progress("Teilnehmende", target, Math.Min(existingCount, target));
        if (toAdd == 0)
        {
            bar.Done();
            return 0;
        }

        var slots = await db.Events.Where(e => e.Slug.StartsWith(EventSlugPrefix)).OrderBy(e => e.Id)
            .Select(e => new EventSlot(e.Id, e.StartsAtUtc, e.EndsAtUtc, e.Capacity, e.WaitingListEnabled, e.Status))
            .ToListAsync(ct);
        if (slots.Count == 0)
        {
            throw new InvalidOperationException("Participants need load-test events: give --events as well.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var numbers = Enumerable.Range(existingCount + 1, toAdd);
        foreach (var batch in numbers.Chunk(BatchSize))
        {
            db.ChangeTracker.Clear();
            foreach (var number in batch)
            {
                db.Participants.Add(NewParticipant(number, slots, regions, now));
            }

            await SaveBatchAsync(ct);
            bar.Advance(batch.Length);
        }

        var cutoff = now.AddDays(-registration.Value.RetentionDays);
        await db.Participants
            .Where(p => p.AnonymisedAtUtc == null && p.Event.Slug.StartsWith(EventSlugPrefix) && p.Event.EndsAtUtc < cutoff)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.FirstName, "").SetProperty(p => p.LastName, "").SetProperty(p => p.Email, "")
#pragma warning disable CA1305 // Translated to SQL (a cast), not run in .NET: no culture involved.
                    .SetProperty(p => p.EmailNormalized, p => "anonym-" + p.Id.ToString())
#pragma warning restore CA1305
                    .SetProperty(p => p.Organisation, "").SetProperty(p => p.Function, "")
                    .SetProperty(p => p.AccessibilityNeeds, (string?)null).SetProperty(p => p.DietaryNeeds, (string?)null)
                    .SetProperty(p => p.AnonymisedAtUtc, now),
                ct);
        bar.Done();
        return toAdd;
    }

    private static Participant NewParticipant(int number, List<EventSlot> slots, List<Region> regions, DateTime now)
    {
        var rng = new Random(number * 15485863 + 11);
        var slot = slots[(number - 1) % slots.Count];
        var place = (number - 1) / slots.Count + 1;
        var first = LoadTestText.Pick(rng, LoadTestText.FirstNames);
        var last = LoadTestText.Pick(rng, LoadTestText.LastNames);
        var (pattern, type, function) = LoadTestText.Pick(rng, LoadTestText.Organisations);
        var region = regions[rng.Next(regions.Count)];
        var town = LoadTestText.Pick(rng, LoadTestText.TownsOf(region.Slug));
        var email = $"{LoadTestText.EmailPart(first)}.{LoadTestText.EmailPart(last)}.lt{number.ToString("D6", CultureInfo.InvariantCulture)}@example.org";
        var past = slot.EndsAtUtc < now;
        var registered = Min(slot.StartsAtUtc.AddDays(-rng.Next(2, 50)), now.AddMinutes(-rng.Next(1, 600)));
        var status = place > (slot.Capacity ?? int.MaxValue)
            ? slot.WaitingList && !past ? ParticipantStatus.WaitingList : ParticipantStatus.Cancelled
            : rng.Next(8) == 0 || slot.Status == EventStatus.Cancelled ? ParticipantStatus.Cancelled
            : past ? (rng.Next(5) == 0 ? ParticipantStatus.Confirmed : ParticipantStatus.Attended)
            : rng.Next(12) == 0 ? ParticipantStatus.AwaitingConfirmation : ParticipantStatus.Confirmed;
        if (status == ParticipantStatus.AwaitingConfirmation)
        {
            // Unconfirmed registrations are at most a day or two old; older ones have expired.
            registered = now.AddMinutes(-rng.Next(1, 1440));
        }

        return new Participant
        {
            EventId = slot.Id,
            FirstName = first,
            LastName = last,
            Email = email,
            EmailNormalized = RegistrationService.NormalizeEmail(email),
            Organisation = string.Format(CultureInfo.InvariantCulture, pattern, town.Name),
            OrganisationType = type,
            Function = function,
            RegionId = region.Id,
            DietaryNeeds = rng.Next(6) == 0 ? "vegetarisch" : null,
            AccessibilityNeeds = rng.Next(40) == 0 ? "Zugang ohne Stufen" : null,
            PhotoConsent = rng.Next(3) != 0,
            PrivacyConsentVersion = RegistrationService.PrivacyVersion,
            Status = status,
            CreatedAtUtc = registered,
            ConfirmedAtUtc = status is ParticipantStatus.Confirmed or ParticipantStatus.Attended ? registered.AddMinutes(rng.Next(5, 600)) : null,
            CancelledAtUtc = status == ParticipantStatus.Cancelled ? Min(registered.AddDays(1), now) : null,
            CheckedInAtUtc = status == ParticipantStatus.Attended ? slot.StartsAtUtc.AddMinutes(-rng.Next(0, 20)) : null,
            RemindedAtUtc = past && status is ParticipantStatus.Confirmed or ParticipantStatus.Attended ? slot.StartsAtUtc.AddDays(-1) : null,
        };
    }

    /// <summary>A fresh change tracker with the regions attached as unchanged stubs (fresh objects, so nothing accumulates).</summary>
    private Region[] AttachRegions(List<Region> regions)
    {
        db.ChangeTracker.Clear();
        var stubs = regions.Select(r => new Region { Id = r.Id, Name = r.Name, Slug = r.Slug, SortOrder = r.SortOrder }).ToArray();
        db.Regions.AttachRange(stubs);
        return stubs;
    }

    private async Task SaveBatchAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}

/// <summary>Reports the progress of one kind of row; <see cref="Done"/> ends the line.</summary>
public interface ISeedProgress
{
    void Advance(int rows);

    void Done();
}

/// <summary>Starts the progress report of one kind of row (label, target, rows already there).</summary>
public delegate ISeedProgress SeedProgressFactory(string label, int total, int done);
