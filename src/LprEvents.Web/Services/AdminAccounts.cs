using System.Security.Cryptography;
using LprEvents.Web.Configuration;
using LprEvents.Web.Domain;
using Microsoft.AspNetCore.Identity;

namespace LprEvents.Web.Services;

/// <summary>Creates the first administrator (command line, Development seed) and the roles.</summary>
public sealed class AdminAccounts(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in new[] { IdentitySetup.AdminRole, IdentitySetup.EditorRole })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>Creates an account with a random one-time password; returns it, or the errors.</summary>
    public async Task<(string? Password, IReadOnlyList<string> Errors)> CreateAsync(string email, string role, string displayName)
    {
        await EnsureRolesAsync();
        var password = NewPassword();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, created.Errors.Select(e => e.Description).ToList());
        }

        await users.AddToRoleAsync(user, role);
        return (password, []);
    }

    /// <summary>20 characters from an alphabet without look-alikes: about 115 bits.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}
