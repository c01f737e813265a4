using LprEvents.Web.Domain;
using Microsoft.AspNetCore.Identity;

namespace LprEvents.Web.Services;

/// <summary>
/// Password checks of the admin area. Signing in answers alike for an unknown account, a wrong password and a
/// locked account, so the form does not tell which addresses have accounts; a wrong current password on the
/// account page counts as a failed sign-in, with the same lockout.
/// </summary>
public sealed class AdminSignIn(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser Nobody = new();

    private static string? _dummyHash;

    /// <summary>
    /// Signs in with lockout after failed attempts. Every path costs one password hash verification: the unknown
    /// or locked account too, against a dummy hash, so that timing tells no more than the message. (This holds by
    /// construction; no test measures time on a shared machine.)
    /// </summary>
    public async Task<SignInResult> PasswordSignInAsync(string email, string password)
    {
        var user = await users.FindByNameAsync(email);
        if (user is null || user.PasswordHash is null)
        {
            SpendOneVerification(password);
            return SignInResult.Failed;
        }

        if (await users.IsLockedOutAsync(user))
        {
            // Identity refuses a locked account before it looks at the password; the right password still does not get in.
            SpendOneVerification(password);
            return SignInResult.LockedOut;
        }

        return await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
    }

    /// <summary>Checks the current password on the account page; a wrong one counts towards the lockout like at sign-in.</summary>
    public Task<SignInResult> CheckCurrentPasswordAsync(ApplicationUser user, string password) =>
        signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);

    /// <summary>Ends every session of the account, this one included: a replayed cookie is refused at its next request.</summary>
    public async Task SignOutEverywhereAsync(ApplicationUser? user)
    {
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
    }

    private void SpendOneVerification(string password)
    {
        _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
    }
}
