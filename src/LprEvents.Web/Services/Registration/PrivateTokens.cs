using System.Security.Cryptography;
using System.Text;

namespace LprEvents.Web.Services.Registration;

/// <summary>
/// The secret in a participant's private link: 256 random bits as lower-case hex, so that lower-casing URLs
/// (routing does, some mail programs do) cannot break it. Only its SHA-256 is stored, so a copy of the
/// database does not open anyone's registration.
/// </summary>
public static class PrivateTokens
{
    public const int Length = 64;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A hash nobody knows the token of: used when a link must stop working.</summary>
    public static string DeadHash() => Hash(New());

    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => c is >= 'a' and <= 'f' or >= '0' and <= '9');
}
