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
