using FluentValidation;

namespace LprEvents.Web.Areas.Admin.ViewModels;

public sealed class LoginForm
{
    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class TwoFactorForm
{
    public string? Code { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class ChangePasswordForm
{
    public string? CurrentPassword { get; set; }

    public string? NewPassword { get; set; }
}

public sealed record AccountViewModel(string Email, bool TwoFactorEnabled, ChangePasswordForm Form, PublicNameForm Name);

/// <summary>The name readers see under the editor's articles; empty means "Redaktion".</summary>
public sealed class PublicNameForm
{
    public string? PublicName { get; set; }
}

public sealed class PublicNameFormValidator : AbstractValidator<PublicNameForm>
{
    public const int MaxLength = 100;

    public PublicNameFormValidator()
    {
        RuleFor(f => f.PublicName)
            .Must(n => (n?.Trim().Length ?? 0) <= MaxLength).WithMessage($"Der öffentliche Name darf höchstens {MaxLength} Zeichen lang sein.")
            .Must(n => n is null || !n.Contains('@', StringComparison.Ordinal)).WithMessage("Bitte geben Sie einen Namen an, keine E-Mail-Adresse: Er ist öffentlich zu lesen.");
    }
}

public sealed record TwoFactorSetupViewModel(string SharedKey, string? Error);

public sealed class InviteForm
{
    public string? Email { get; set; }

    public string? DisplayName { get; set; }

    public string? Role { get; set; } = LprEvents.Web.Configuration.IdentitySetup.EditorRole;
}

public sealed record UserRow(string Id, string Email, string DisplayName, string Roles, bool TwoFactor, bool Locked, bool InvitationPending);

public sealed record UsersViewModel(IReadOnlyList<UserRow> Users, InviteForm Form, string? Error);

public sealed class SetPasswordForm
{
    public string? Email { get; set; }

    public string? Token { get; set; }

    public string? Password { get; set; }
}

public sealed class TwoFactorSetupForm
{
    public string? Code { get; set; }
}
