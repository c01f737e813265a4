using FluentValidation;
using LprEvents.Web.ViewModels.Registration;

namespace LprEvents.Web.ViewModels.Alerts;

/// <summary>What the subscription form posts.</summary>
public sealed class AlertSubscribeForm
{
    public string? Email { get; set; }

    public bool AllRegions { get; set; }

    public List<int> RegionIds { get; set; } = [];

    public bool PrivacyConsent { get; set; }

    /// <summary>Honeypot: hidden from people, filled in by form-filling bots.</summary>
    public string? Website { get; set; }
}

/// <summary>What the management page posts to change the regions.</summary>
public sealed class AlertRegionsForm
{
    public bool AllRegions { get; set; }

    public List<int> RegionIds { get; set; } = [];
}

public sealed record AlertRegionOption(int Id, string Name);

public sealed record AlertSubscribePageViewModel(IReadOnlyList<AlertRegionOption> Regions, AlertSubscribeForm Form);

public sealed record AlertManagePageViewModel(
    string Token,
    string Email,
    bool Confirmed,
    string? Notice,
    IReadOnlyList<AlertRegionOption> Regions,
    AlertRegionsForm Form);

public sealed record AlertUnsubscribePageViewModel(string Token, string Email);

public sealed class AlertSubscribeFormValidator : AbstractValidator<AlertSubscribeForm>
{
    public AlertSubscribeFormValidator(IReadOnlyCollection<int> regionIds)
    {
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Bitte geben Sie Ihre E-Mail-Adresse an.")
            .MaximumLength(254).WithMessage("Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein.")
            .Must(RegistrationFormValidator.BeAnEmailAddress).WithMessage("Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@freiberg.de.");
        RuleFor(f => f.RegionIds).Cascade(CascadeMode.Stop)
            .Must((form, ids) => form.AllRegions || ids.Count > 0).WithMessage("Bitte wählen Sie mindestens eine Region oder „alle Regionen“.")
            .Must(ids => ids.All(regionIds.Contains)).WithMessage("Bitte wählen Sie nur Regionen aus der Liste.");
        RuleFor(f => f.PrivacyConsent)
            .Equal(true).WithMessage("Bitte willigen Sie in die Verarbeitung Ihrer E-Mail-Adresse ein, damit wir Ihnen die Benachrichtigungen schicken können.");
    }
}

public sealed class AlertRegionsFormValidator : AbstractValidator<AlertRegionsForm>
{
    public AlertRegionsFormValidator(IReadOnlyCollection<int> regionIds)
    {
        RuleFor(f => f.RegionIds).Cascade(CascadeMode.Stop)
            .Must((form, ids) => form.AllRegions || ids.Count > 0).WithMessage("Bitte wählen Sie mindestens eine Region oder „alle Regionen“. Wenn Sie keine Benachrichtigungen mehr möchten, bestellen Sie sie unten ab.")
            .Must(ids => ids.All(regionIds.Contains)).WithMessage("Bitte wählen Sie nur Regionen aus der Liste.");
    }
}
