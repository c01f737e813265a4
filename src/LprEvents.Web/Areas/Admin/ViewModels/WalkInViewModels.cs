using FluentValidation;
using LprEvents.Web.Domain;

namespace LprEvents.Web.Areas.Admin.ViewModels;

/// <summary>What the door's "Person ohne Anmeldung aufnehmen" form posts. No e-mail address: none is needed at the door.</summary>
public sealed class WalkInForm
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Organisation { get; set; }

    public OrganisationType? OrganisationType { get; set; }

    public bool PhotoConsent { get; set; }

    /// <summary>The organiser confirms letting the person in although every seat is taken.</summary>
    public bool BeyondCapacity { get; set; }
}

public sealed class WalkInFormValidator : AbstractValidator<WalkInForm>
{
    public WalkInFormValidator()
    {
        RuleFor(f => f.FirstName).NotEmpty().WithMessage("Bitte geben Sie den Vornamen an.").MaximumLength(100).WithMessage("Der Vorname darf höchstens 100 Zeichen lang sein.");
        RuleFor(f => f.LastName).NotEmpty().WithMessage("Bitte geben Sie den Nachnamen an.").MaximumLength(100).WithMessage("Der Nachname darf höchstens 100 Zeichen lang sein.");
        RuleFor(f => f.Organisation).MaximumLength(200).WithMessage("Die Organisation darf höchstens 200 Zeichen lang sein.");
        RuleFor(f => f.OrganisationType).NotNull().WithMessage("Bitte wählen Sie die Art der Organisation.").IsInEnum().WithMessage("Bitte wählen Sie die Art der Organisation.");
    }
}

/// <param name="Full">Every seat is taken: the form asks the organiser to confirm going beyond the capacity.</param>
public sealed record WalkInViewModel(EventHeader Event, WalkInForm Form, bool Full, int SeatsTaken);
