using FluentValidation;
using System.Globalization;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Publishing;

namespace LprEvents.Web.Areas.Admin.ViewModels;

/// <summary>What the event editor posts. Dates and times are local (Europe/Berlin).</summary>
public sealed class EventForm
{
    public string? Title { get; set; }

    public string? Slug { get; set; }

    public EventKind Kind { get; set; } = EventKind.Vernetzungstreffen;

    public DateOnly? Date { get; set; }

    public TimeOnly? StartTime { get; set; }

    public DateOnly? EndDate { get; set; }

    public TimeOnly? EndTime { get; set; }

    public string? VenueName { get; set; }

    public string? VenueStreet { get; set; }

    public string? VenuePostcode { get; set; }

    public string? VenueCity { get; set; }

    public string? OnlineUrl { get; set; }

    public string? Organisers { get; set; }

    public string? TargetAudience { get; set; }

    public string? Summary { get; set; }

    public string? Description { get; set; }

    public List<int> RegionIds { get; set; } = [];

    public EventStatus Status { get; set; } = EventStatus.Draft;

    public int? Capacity { get; set; }

    public bool WaitingListEnabled { get; set; } = true;

    public string? RegistrationOpens { get; set; }

    public string? RegistrationCloses { get; set; }

    public bool AskAccessibilityNeeds { get; set; } = true;

    public bool AskDietaryNeeds { get; set; } = true;

    public int? LeadImageId { get; set; }

    public Guid Version { get; set; }
}

public sealed class EventFormValidator : AbstractValidator<EventForm>
{
    public EventFormValidator()
    {
        RuleFor(f => f.Title).NotEmpty().WithMessage("Bitte geben Sie einen Titel an.").MaximumLength(200).WithMessage("Der Titel darf höchstens 200 Zeichen lang sein.");
        RuleFor(f => f.Date).NotNull().WithMessage("Bitte geben Sie das Datum an.");
        RuleFor(f => f.StartTime).NotNull().WithMessage("Bitte geben Sie die Anfangszeit an.");
        RuleFor(f => f.EndTime).NotNull().WithMessage("Bitte geben Sie die Endzeit an.");
        RuleFor(f => f.StartTime).MustExistInBerlinOn(f => f.Date);
        RuleFor(f => f.EndTime).MustExistInBerlinOn(f => f.EndDate ?? f.Date);
        RuleFor(f => f.RegistrationOpens).MustExistInBerlin();
        RuleFor(f => f.RegistrationCloses).MustExistInBerlin();
        RuleFor(f => f).Must(f => f.Date is null || f.StartTime is null || f.EndTime is null
                || (f.EndDate ?? f.Date).Value.ToDateTime(f.EndTime.Value) > f.Date.Value.ToDateTime(f.StartTime.Value))
            .WithMessage("Das Ende muss nach dem Beginn liegen.").OverridePropertyName(nameof(EventForm.EndTime));
        RuleFor(f => f.VenueName).NotEmpty().WithMessage("Bitte geben Sie den Ort an (bei Online-Veranstaltungen z. B. „Online (Videokonferenz)“).").MaximumLength(200);
        RuleFor(f => f.VenueStreet).MaximumLength(200);
        RuleFor(f => f.VenuePostcode).Matches("^[0-9]{5}$").When(f => !string.IsNullOrEmpty(f.VenuePostcode)).WithMessage("Die Postleitzahl hat fünf Ziffern.");
        RuleFor(f => f.VenueCity).MaximumLength(100);
        RuleFor(f => f.OnlineUrl).Must(u => string.IsNullOrEmpty(u) || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            .WithMessage("Der Online-Link muss mit https:// beginnen.").MaximumLength(500);
        RuleFor(f => f.Organisers).MaximumLength(500);
        RuleFor(f => f.TargetAudience).MaximumLength(500);
        RuleFor(f => f.Summary).MaximumLength(1000).WithMessage("Die Kurzbeschreibung darf höchstens 1000 Zeichen lang sein.");
        RuleFor(f => f.Description).MaximumLength(20000).WithMessage("Die Beschreibung darf höchstens 20 000 Zeichen lang sein.");
        RuleFor(f => f.Capacity).InclusiveBetween(1, 100000).When(f => f.Capacity is not null).WithMessage("Die Zahl der Plätze muss zwischen 1 und 100 000 liegen.");
        RuleFor(f => f.Kind).IsInEnum().WithMessage("Bitte wählen Sie die Art der Veranstaltung.");
        RuleFor(f => f.Status).IsInEnum().Must(s => s != EventStatus.Cancelled).WithMessage("Zum Absagen nutzen Sie bitte „Veranstaltung absagen“ bei den Teilnehmenden.");
        RuleFor(f => f.RegistrationOpens).Must(v => string.IsNullOrEmpty(v) || ArticleEditor.ParseLocal(v) is not null).WithMessage("Bitte geben Sie Datum und Uhrzeit an.");
        RuleFor(f => f.RegistrationCloses).Must(v => string.IsNullOrEmpty(v) || ArticleEditor.ParseLocal(v) is not null).WithMessage("Bitte geben Sie Datum und Uhrzeit an.");
    }
}

public sealed class SessionForm
{
    public TimeOnly? Start { get; set; }

    public TimeOnly? End { get; set; }

    public string? Title { get; set; }

    public SessionKind Kind { get; set; } = SessionKind.Talk;

    public string? Speakers { get; set; }

    public string? Room { get; set; }

    public string? Description { get; set; }

    public int? Capacity { get; set; }

    /// <summary>An uploaded PDF (slides, handout) from the media library.</summary>
    public int? MaterialsId { get; set; }
}

/// <param name="day">The event's day, on which the program item's times are local times; null skips that check.</param>
public sealed class SessionFormValidator : AbstractValidator<SessionForm>
{
    public SessionFormValidator(DateOnly? day = null)
    {
        RuleFor(f => f.Start).MustExistInBerlinOn(_ => day);
        RuleFor(f => f.End).MustExistInBerlinOn(_ => day);
        RuleFor(f => f.Title).NotEmpty().WithMessage("Bitte geben Sie einen Titel an.").MaximumLength(200);
        RuleFor(f => f.Start).NotNull().WithMessage("Bitte geben Sie die Anfangszeit an.");
        RuleFor(f => f.End).NotNull().WithMessage("Bitte geben Sie die Endzeit an.")
            .Must((f, end) => f.Start is null || end > f.Start).WithMessage("Das Ende muss nach dem Beginn liegen.");
        RuleFor(f => f.Speakers).MaximumLength(500);
        RuleFor(f => f.Room).MaximumLength(100);
        RuleFor(f => f.Description).MaximumLength(10000);
        RuleFor(f => f.Capacity).InclusiveBetween(1, 10000).When(f => f.Capacity is not null).WithMessage("Die Plätze einer Kleingruppe müssen zwischen 1 und 10 000 liegen.");
        RuleFor(f => f.Kind).IsInEnum();
    }
}

/// <param name="ChosenBy">Active registrations that chose this item: its time is then fixed.</param>
public sealed record SessionEditorViewModel(int EventId, string EventTitle, int SessionId, SessionForm Form, IReadOnlyList<Option> Pdfs, int ChosenBy);

public sealed record SessionListRow(int Id, DateTime StartsAtUtc, DateTime EndsAtUtc, string Title, SessionKind Kind, string Speakers, int? Capacity, string? Materials);

public sealed record EventEditorViewModel(
    int? Id,
    EventForm Form,
    IReadOnlyList<Option> Regions,
    IReadOnlyList<ImageOption> Images,
    IReadOnlyList<SessionListRow> Sessions,
    IReadOnlyList<Option> Pdfs,
    SessionForm NewSession);

/// <summary>One field where the editor's input and the stored event differ.</summary>
public sealed record ConflictRow(string Label, string Mine, string Theirs);

/// <summary>Two editors saved the same version: the editor's input (to save again) beside the stored event.</summary>
public sealed record EventConflictViewModel(int Id, EventForm Mine, DateTime TheirUpdatedAtUtc, IReadOnlyList<ConflictRow> Differences)
{
    public static EventConflictViewModel Create(int id, EventForm mine, EventForm theirs, DateTime theirUpdatedAtUtc, IReadOnlyList<Option> regions)
    {
        string Regions(EventForm f) => string.Join(", ", regions.Where(r => f.RegionIds.Contains(r.Id)).Select(r => r.Name));
        static string Date(DateOnly? d) => d?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? "";
        static string Time(TimeOnly? t) => t?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "";
        static string YesNo(bool value) => value ? "ja" : "nein";
        static string Local(string? value) => ArticleEditor.ParseLocal(value) is { } utc ? $"{BerlinTime.Date(utc)} {BerlinTime.Time(utc)}" : "";
        (string Label, Func<EventForm, string> Value)[] fields =
        [
            ("Titel", f => f.Title ?? ""),
            ("Adresse (Teil der URL)", f => f.Slug ?? ""),
            ("Art", f => f.Kind == EventKind.OnlineSeminar ? "Online-Seminar" : f.Kind.ToString()),
            ("Datum", f => Date(f.Date)),
            ("Beginn", f => Time(f.StartTime)),
            ("Enddatum", f => Date(f.EndDate)),
            ("Ende", f => Time(f.EndTime)),
            ("Ort", f => f.VenueName ?? ""),
            ("Straße", f => f.VenueStreet ?? ""),
            ("Postleitzahl", f => f.VenuePostcode ?? ""),
            ("Stadt", f => f.VenueCity ?? ""),
            ("Online-Link", f => f.OnlineUrl ?? ""),
            ("Veranstalter", f => f.Organisers ?? ""),
            ("Zielgruppe", f => f.TargetAudience ?? ""),
            ("Kurzbeschreibung", f => f.Summary ?? ""),
            ("Beschreibung", f => f.Description ?? ""),
            ("Regionen", Regions),
            ("Status", f => f.Status switch { EventStatus.Published => "veröffentlicht", EventStatus.Cancelled => "abgesagt", _ => "Entwurf" }),
            ("Plätze", f => f.Capacity?.ToString(CultureInfo.InvariantCulture) ?? "keine Anmeldung über das Portal"),
            ("Warteliste", f => YesNo(f.WaitingListEnabled)),
            ("Anmeldung ab", f => Local(f.RegistrationOpens)),
            ("Anmeldung bis", f => Local(f.RegistrationCloses)),
            ("Frage nach Barrierefreiheit", f => YesNo(f.AskAccessibilityNeeds)),
            ("Frage nach Verpflegung", f => YesNo(f.AskDietaryNeeds)),
            ("Titelbild (Nr.)", f => f.LeadImageId?.ToString(CultureInfo.InvariantCulture) ?? ""),
        ];
        var differences = fields
            .Select(field => new ConflictRow(field.Label, field.Value(mine), field.Value(theirs)))
            .Where(row => row.Mine.Trim() != row.Theirs.Trim())
            .ToList();
        return new EventConflictViewModel(id, mine, theirUpdatedAtUtc, differences);
    }
}
