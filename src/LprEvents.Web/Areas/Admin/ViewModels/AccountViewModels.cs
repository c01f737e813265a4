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

public sealed record AccountViewModel(string Email, bool TwoFactorEnabled, ChangePasswordForm Form);

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
