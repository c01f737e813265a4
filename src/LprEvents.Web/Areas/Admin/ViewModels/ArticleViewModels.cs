using FluentValidation;
using Microsoft.EntityFrameworkCore;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Publishing;

namespace LprEvents.Web.Areas.Admin.ViewModels;

/// <summary>What the article editor posts.</summary>
public sealed class ArticleForm
{
    public string? Title { get; set; }

    public string? Slug { get; set; }

    public string? Teaser { get; set; }

    public string? Body { get; set; }

    public int? LeadImageId { get; set; }

    public List<int> RegionIds { get; set; } = [];

    public int? EventId { get; set; }

    /// <summary>The article's own date from a date field (yyyy-MM-dd), kept as typed so that nothing is lost on an error.</summary>
    public string? Date { get; set; }

    /// <summary>The date as a calendar day, once <see cref="ArticleFormValidator"/> accepted it.</summary>
    public DateOnly? ParsedDate => DateOnly.TryParseExact(Date?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;

    /// <summary>Local Berlin time from a datetime-local field, e.g. 2026-12-01T09:00.</summary>
    public string? PublishAt { get; set; }

    public Guid Version { get; set; }
}

public sealed class ArticleFormValidator : AbstractValidator<ArticleForm>
{
    public ArticleFormValidator()
    {
        RuleFor(f => f.PublishAt).MustExistInBerlin();
        RuleFor(f => f.Date).NotEmpty().WithMessage("Bitte geben Sie das Datum des Beitrags an.");
        RuleFor(f => f.Date)
            .Must((form, _) => form.ParsedDate is not null)
            .When(f => !string.IsNullOrWhiteSpace(f.Date))
            .WithMessage("Bitte geben Sie das Datum als Tag, Monat und Jahr an, z. B. 20.04.2023.");
    }
}

public sealed record ArticleListRow(int Id, string Title, ArticleStatus Status, DateOnly Date, DateTime? PublishedAtUtc, DateTime UpdatedAtUtc, string? EventTitle, DateTime? DeletedAtUtc, bool HasPendingVersion = false);

public sealed record ArticleDeleteViewModel(int Id, string Title);

public sealed record ArticleListViewModel(IReadOnlyList<ArticleListRow> Rows, string? Status, string? Query, DateTime NowUtc);

public sealed record Option(int Id, string Name);

public sealed record ImageOption(int Id, string FileName, string AltText, string Credit, string VariantWidths)
{
    /// <summary>The newest images of the media library, for the lead-image pickers.</summary>
    public static Task<List<ImageOption>> LatestAsync(LprEvents.Web.Data.LprEventsDbContext db, CancellationToken ct) =>
        db.MediaAssets.AsNoTracking()
            .Where(m => m.Kind == MediaKind.Image)
            .OrderByDescending(m => m.Id)
            .Take(60)
            .Select(m => new ImageOption(m.Id, m.FileName, m.AltText, m.Credit, m.VariantWidths))
            .ToListAsync(ct);

    public string ThumbnailUrl => LprEvents.Web.Services.MediaStorage.VariantUrl(FileName, VariantWidths.Split(',')[0] is { Length: > 0 } w ? int.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : 480);
}

public sealed record ArticleEditorViewModel(
    int? Id,
    ArticleStatus Status,
    DateTime? PublishedAtUtc,
    ArticleForm Form,
    IReadOnlyList<Option> Regions,
    IReadOnlyList<Option> Events,
    IReadOnlyList<ImageOption> Images,
    string? PreviewHtml,
    IReadOnlyList<string> Problems,
    int RevisionCount,
    IReadOnlyList<OtherReport> OtherReports,
    PendingVersion? Pending = null);

/// <summary>What autosave answers: the article's new version for the form (null when nothing was saved) and a German status line.</summary>
public sealed record AutosaveAnswer(Guid? Version, string Message);

/// <summary>A pending version ("geänderte Fassung") of a live article: who saved it when.</summary>
public sealed record PendingVersion(DateTime SavedAtUtc, string SavedBy);

/// <summary>The question before discarding the pending version, with the editor's form to send on unchanged.</summary>
public sealed record ArticleDiscardViewModel(int Id, string Title, DateTime? PendingSavedAtUtc, ArticleForm Form);

/// <summary>Another article on the same event that readers can already see (or will, when scheduled).</summary>
public sealed record OtherReport(int Id, string Title, string Slug, ArticleStatus Status, DateTime? PublishedAtUtc);

public sealed record ArticleConflictViewModel(int Id, ArticleForm Mine, string TheirTitle, string TheirTeaser, string TheirBody, string TheirSavedBy, DateTime TheirUpdatedAtUtc, Guid TheirVersion, IReadOnlyList<DiffSegment> Differences);

/// <summary>The question before unpublishing: what the public loses, and the editor's form to send on unchanged.</summary>
public sealed record ArticleUnpublishViewModel(int Id, string Title, string Slug, ArticleStatus Status, DateTime? PublishedAtUtc, ArticleForm Form);

public sealed record RevisionRow(long Id, DateTime SavedAtUtc, string SavedBy, string Title);

public sealed record RevisionsViewModel(int ArticleId, string Title, IReadOnlyList<RevisionRow> Revisions, RevisionRow? Selected, IReadOnlyList<DiffSegment> Diff);

