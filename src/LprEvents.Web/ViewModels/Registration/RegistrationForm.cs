using FluentValidation;
using LprEvents.Web.Domain;

namespace LprEvents.Web.ViewModels.Registration;

/// <summary>What the registration form posts. Nothing here maps to status or ids the participant must not set.</summary>
public sealed class RegistrationForm
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Organisation { get; set; }

    public OrganisationType? OrganisationType { get; set; }

    public string? Function { get; set; }

    public int? RegionId { get; set; }

    /// <summary>Chosen session per time slot: slot index → session id.</summary>
    public Dictionary<int, int> Sessions { get; set; } = [];

    public string? AccessibilityNeeds { get; set; }

    public string? DietaryNeeds { get; set; }

    public bool? PhotoConsent { get; set; }

    public bool PrivacyConsent { get; set; }

    /// <summary>Honeypot: hidden from people, filled in by form-filling bots.</summary>
    public string? Website { get; set; }
}

/// <summary>Validates against the event at hand: its regions and choosable sessions.</summary>
public sealed class RegistrationFormValidator : AbstractValidator<RegistrationForm>
{
    public RegistrationFormValidator(IReadOnlyCollection<int> regionIds, IReadOnlyList<SessionSlot> slots)
    {
        RuleFor(f => f.FirstName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Bitte geben Sie Ihren Vornamen an.")
            .MaximumLength(100).WithMessage("Der Vorname darf höchstens 100 Zeichen lang sein.")
            .Must(BeOneLine).WithMessage("Bitte geben Sie den Vornamen ohne Zeilenumbrüche an.");
        RuleFor(f => f.LastName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Bitte geben Sie Ihren Nachnamen an.")
            .MaximumLength(100).WithMessage("Der Nachname darf höchstens 100 Zeichen lang sein.")
            .Must(BeOneLine).WithMessage("Bitte geben Sie den Nachnamen ohne Zeilenumbrüche an.");
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Bitte geben Sie Ihre E-Mail-Adresse an.")
            .MaximumLength(254).WithMessage("Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein.")
            .Must(BeAnEmailAddress).WithMessage("Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@freiberg.de.");
        RuleFor(f => f.Organisation).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Bitte geben Sie Ihre Organisation an, zum Beispiel „Stadtverwaltung Freiberg“.")
            .MaximumLength(200).WithMessage("Die Organisation darf höchstens 200 Zeichen lang sein.")
            .Must(BeOneLine).WithMessage("Bitte geben Sie die Organisation ohne Zeilenumbrüche an.");
        RuleFor(f => f.OrganisationType).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Bitte wählen Sie die Art Ihrer Organisation.")
            .IsInEnum().WithMessage("Bitte wählen Sie die Art Ihrer Organisation aus der Liste.");
        RuleFor(f => f.Function)
            .MaximumLength(200).WithMessage("Die Funktion darf höchstens 200 Zeichen lang sein.")
            .Must(BeOneLine).WithMessage("Bitte geben Sie die Funktion ohne Zeilenumbrüche an.");
        RuleFor(f => f.RegionId).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Bitte wählen Sie Ihre Region.")
            .Must(id => id is { } value && regionIds.Contains(value)).WithMessage("Bitte wählen Sie Ihre Region aus der Liste.");
        RuleFor(f => f.AccessibilityNeeds)
            .MaximumLength(1000).WithMessage("Bitte fassen Sie sich kürzer (höchstens 1000 Zeichen).");
        RuleFor(f => f.DietaryNeeds)
            .MaximumLength(1000).WithMessage("Bitte fassen Sie sich kürzer (höchstens 1000 Zeichen).");
        RuleFor(f => f.PhotoConsent)
            .NotNull().WithMessage("Bitte geben Sie an, ob Fotos, auf denen Sie zu sehen sind, veröffentlicht werden dürfen.");
        RuleFor(f => f.PrivacyConsent)
            .Equal(true).WithMessage("Bitte stimmen Sie der Datenschutzerklärung zu, damit wir Ihre Anmeldung bearbeiten können.");

        foreach (var slot in slots)
        {
            RuleFor(f => f.Sessions)
                .Must(chosen => chosen.ContainsKey(slot.Index)).WithMessage($"Bitte wählen Sie eine Kleingruppe ({slot.Label}).")
                .WithName(SessionField(slot.Index))
                .OverridePropertyName(SessionField(slot.Index));
            RuleFor(f => f.Sessions)
                .Must(chosen => !chosen.TryGetValue(slot.Index, out var id) || slot.Choices.Any(c => c.Id == id))
                .WithMessage("Bitte wählen Sie eine Kleingruppe aus der Liste.")
                .OverridePropertyName(SessionField(slot.Index));
        }

        RuleFor(f => f.Sessions)
            .Must(chosen => chosen.Keys.All(k => slots.Any(s => s.Index == k)))
            .WithMessage("Bitte wählen Sie nur aus den angebotenen Kleingruppen.");
    }

    public static string SessionField(int index) => $"Sessions[{index}]";

    /// <summary>Names end up in e-mail headers, badges and exports: no line breaks or other control characters.</summary>
    private static bool BeOneLine(string? value) => value is null || !value.Any(char.IsControl);

    /// <summary>An address MimeKit reads as exactly what was typed, with a dot in its domain; the alert form uses it too.</summary>
    internal static bool BeAnEmailAddress(string? value) =>
        value is not null
        && MimeKit.MailboxAddress.TryParse(value.Trim(), out var address)
        && address.Address == value.Trim()
        && address.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && address.Address.IndexOf('.', at) > at + 1
        && !address.Address.EndsWith('.');
}
