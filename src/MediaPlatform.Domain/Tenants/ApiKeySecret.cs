using System.Security.Cryptography;
using System.Text;

namespace MediaPlatform.Domain.Tenants;

/// <summary>
/// The secret a client sends as <c>Authorization: Bearer mp_live_...</c>: the prefix <c>mp_live_</c> and 43 random
/// base-62 characters (256 bits from the system's cryptographic generator). Only its SHA-256 is stored; a fast hash
/// is enough because the secret is random, not a password a person chose.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "mp_live_";
    public const int RandomLength = 43;
    public const int Length = 8 + RandomLength;

    /// <summary>How many characters of a key are kept and shown to recognise it (<c>mp_live_ab12</c>).</summary>
    public const int VisiblePrefixLength = 12;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>True when <paramref name="key"/> has the shape of a key (it may still be unknown).</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: Length }
        && key.StartsWith(Prefix, StringComparison.Ordinal)
        && key.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;

    public static byte[] Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    public static string VisiblePrefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key[..Math.Min(VisiblePrefixLength, key.Length)];
    }
}
