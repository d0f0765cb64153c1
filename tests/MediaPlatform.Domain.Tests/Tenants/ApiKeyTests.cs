using System.Security.Cryptography;
using System.Text;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Tests.Tenants;

public sealed class ApiKeyTests
{
    /// <summary>43 characters of the base-62 alphabet: a well-formed secret once prefixed.</summary>
    private const string Random43 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
    private const string Random42 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly DateTimeOffset _t0 = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly TenantId _tenant = TenantId.New();

    public static TheoryData<string[]> InvalidScopes()
    {
        var data = new TheoryData<string[]>();
        data.Add([]);
        data.Add(["delete"]);
        data.Add(["read", "owner"]);
        data.Add([string.Empty]);
        data.Add(["   "]);
        data.Add(["read", string.Empty]);
        data.Add(["re ad"]);
        data.Add(["reads"]);
        data.Add(["*"]);
        return data;
    }

    [Fact]
    public void An_issued_secret_is_well_formed_with_the_live_prefix_and_51_characters()
    {
        var (_, secret) = Issue();

        Assert.True(ApiKeySecret.IsWellFormed(secret));
        Assert.StartsWith("mp_live_", secret, StringComparison.Ordinal);
        Assert.Equal(51, secret.Length);
        Assert.Equal(ApiKeySecret.Length, secret.Length);
        Assert.All(secret[ApiKeySecret.Prefix.Length..], c => Assert.Contains(c, Alphabet));
    }

    [Fact]
    public void An_issued_key_keeps_the_first_12_characters_of_its_secret_as_prefix()
    {
        var (key, secret) = Issue();

        Assert.Equal(12, key.Prefix.Length);
        Assert.Equal(secret[..12], key.Prefix);
        Assert.StartsWith("mp_live_", key.Prefix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_issued_key_stores_the_sha256_of_its_secret_and_never_the_secret()
    {
        var (key, secret) = Issue();

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), key.Hash);
        Assert.Equal(32, key.Hash.Length);
        Assert.Equal(ApiKeySecret.Hash(secret), key.Hash);
        Assert.DoesNotContain(secret, Convert.ToHexString(key.Hash), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret, Convert.ToBase64String(key.Hash), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(key.Hash), StringComparison.Ordinal);
        Assert.DoesNotContain(secret[ApiKeySecret.Prefix.Length..], key.Prefix, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, key.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void An_issued_key_belongs_to_its_tenant_and_records_its_name_and_times()
    {
        var expiry = _t0.AddDays(30);

        var (key, _) = ApiKey.Issue(_tenant, "  ci deploy  ", [ApiScopes.Read], expiry, _t0).Value;

        Assert.Equal(_tenant, key.TenantId);
        Assert.Equal("ci deploy", key.Name);
        Assert.Equal(expiry, key.ExpiresAt);
        Assert.Equal(_t0, key.CreatedAt);
        Assert.Null(key.RevokedAt);
        Assert.Null(key.LastUsedAt);
        Assert.NotEqual(Guid.Empty, key.Id.Value);
    }

    [Fact]
    public void Two_issued_keys_have_different_ids_secrets_hashes_and_prefixes()
    {
        var (first, firstSecret) = Issue();
        var (second, secondSecret) = Issue();

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(firstSecret, secondSecret);
        Assert.NotEqual(first.Hash, second.Hash);
        // 4 random base-62 characters: a collision is one chance in 14.7 million.
        Assert.NotEqual(first.Prefix, second.Prefix);
    }

    [Fact]
    public void Scopes_are_trimmed_lower_cased_deduplicated_and_sorted()
    {
        var (key, _) = ApiKey.Issue(_tenant, "k", [" Write", "read", "READ ", "admin", "Admin", "write"], null, _t0).Value;

        Assert.Equal(["admin", "read", "write"], key.Scopes);
    }

    [Theory]
    [MemberData(nameof(InvalidScopes))]
    public void Unknown_or_empty_scopes_are_refused(string[] scopes)
    {
        var result = ApiKey.Issue(_tenant, "k", scopes, null, _t0);

        Assert.True(result.IsFailure);
        Assert.Equal("api_key.scopes_invalid", result.Error!.Code);
        Assert.Equal(ErrorType.Validation, result.Error.Type);
    }

    [Fact]
    public void Missing_scopes_are_refused() =>
        Assert.Equal("api_key.scopes_invalid", ApiKey.Issue(_tenant, "k", null, null, _t0).Error?.Code);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("new\nline")]
    public void An_empty_or_unprintable_key_name_is_refused(string name) =>
        Assert.Equal("api_key.name_invalid", ApiKey.Issue(_tenant, name, [ApiScopes.Read], null, _t0).Error?.Code);

    [Fact]
    public void A_key_name_longer_than_the_maximum_is_refused() =>
        Assert.Equal(
            "api_key.name_invalid",
            ApiKey.Issue(_tenant, new string('k', ApiKey.MaxNameLength + 1), [ApiScopes.Read], null, _t0).Error?.Code);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-86_400)]
    public void An_expiry_now_or_in_the_past_is_refused(int seconds)
    {
        var result = ApiKey.Issue(_tenant, "k", [ApiScopes.Read], _t0.AddSeconds(seconds), _t0);

        Assert.Equal("api_key.expiry_past", result.Error?.Code);
        Assert.Equal(ErrorType.Validation, result.Error?.Type);
    }

    [Fact]
    public void An_expiry_one_second_ahead_is_accepted() =>
        Assert.True(ApiKey.Issue(_tenant, "k", [ApiScopes.Read], _t0.AddSeconds(1), _t0).IsSuccess);

    [Fact]
    public void A_supplied_secret_is_used_as_is()
    {
        const string Supplied = ApiKeySecret.Prefix + Random43;

        var (key, secret) = ApiKey.Issue(_tenant, "bootstrap", [ApiScopes.Admin], null, _t0, Supplied).Value;

        Assert.Equal(Supplied, secret);
        Assert.Equal("mp_live_0123", key.Prefix);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(Supplied)), key.Hash);
    }

    [Theory]
    [InlineData("mp_live_short")]
    [InlineData("mp_test_" + Random43)]
    [InlineData(ApiKeySecret.Prefix + Random42 + "-")]
    [InlineData(" " + ApiKeySecret.Prefix + Random43)]
    [InlineData("")]
    public void A_malformed_supplied_secret_is_refused(string supplied)
    {
        var result = ApiKey.Issue(_tenant, "bootstrap", [ApiScopes.Admin], null, _t0, supplied);

        Assert.Equal("api_key.secret_malformed", result.Error?.Code);
        Assert.Equal(ErrorType.Validation, result.Error?.Type);
    }

    [Fact]
    public void A_key_without_expiry_is_active_until_revoked()
    {
        var (key, _) = Issue();

        Assert.True(key.IsActive(_t0));
        Assert.True(key.IsActive(_t0.AddYears(50)));

        key.Revoke(_t0.AddMinutes(1));

        Assert.Equal(_t0.AddMinutes(1), key.RevokedAt);
        Assert.False(key.IsActive(_t0.AddMinutes(1)));
        Assert.False(key.IsActive(_t0.AddMinutes(2)));
    }

    [Fact]
    public void A_key_stops_being_active_when_its_expiry_passes()
    {
        var expiry = _t0.AddHours(1);
        var (key, _) = ApiKey.Issue(_tenant, "k", [ApiScopes.Read], expiry, _t0).Value;

        Assert.True(key.IsActive(_t0));
        Assert.True(key.IsActive(expiry.AddTicks(-1)));
        Assert.False(key.IsActive(expiry));
        Assert.False(key.IsActive(expiry.AddDays(1)));
    }

    [Fact]
    public void Revoking_a_key_twice_keeps_the_first_revocation_time()
    {
        var (key, _) = Issue();

        key.Revoke(_t0.AddMinutes(1));
        key.Revoke(_t0.AddMinutes(7));

        Assert.Equal(_t0.AddMinutes(1), key.RevokedAt);
    }

    [Theory]
    [InlineData(ApiKeySecret.Prefix + Random43)]
    [InlineData(ApiKeySecret.Prefix + "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData(ApiKeySecret.Prefix + "0000000000000000000000000000000000000000000")]
    public void A_prefixed_string_of_43_base62_characters_is_well_formed(string key) =>
        Assert.True(ApiKeySecret.IsWellFormed(key));

    [Theory]
    [InlineData("mp_test_" + Random43)]
    [InlineData("MP_LIVE_" + Random43)]
    [InlineData("mp-live_" + Random43)]
    [InlineData("mp_live" + Random43 + "h")]
    [InlineData("xx_live_" + Random43)]
    [InlineData(Random43 + "abcdefgh")]
    public void A_key_with_the_wrong_prefix_is_not_well_formed(string key) =>
        Assert.False(ApiKeySecret.IsWellFormed(key));

    [Theory]
    [InlineData("")]
    [InlineData("mp_live_")]
    [InlineData(ApiKeySecret.Prefix + Random42)]
    [InlineData(ApiKeySecret.Prefix + Random43 + "h")]
    [InlineData(ApiKeySecret.Prefix + Random43 + Random43)]
    public void A_key_of_the_wrong_length_is_not_well_formed(string key) =>
        Assert.False(ApiKeySecret.IsWellFormed(key));

    [Theory]
    [InlineData("-")]
    [InlineData("_")]
    [InlineData("+")]
    [InlineData("/")]
    [InlineData("=")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("\n")]
    [InlineData("\u0000")]
    public void A_key_with_a_character_that_is_not_a_letter_or_digit_is_not_well_formed(string last) =>
        Assert.False(ApiKeySecret.IsWellFormed(ApiKeySecret.Prefix + Random42 + last));

    [Theory]
    [InlineData("\u00e9")] // é
    [InlineData("\u00df")] // ß
    [InlineData("\u0430")] // Cyrillic a
    [InlineData("\u03b1")] // Greek alpha
    [InlineData("\uff10")] // full-width digit zero
    [InlineData("\u0661")] // Arabic-Indic digit one
    [InlineData("\u212a")] // Kelvin sign, which upper-cases like K
    public void A_key_with_a_unicode_letter_or_digit_is_not_well_formed(string last) =>
        Assert.False(ApiKeySecret.IsWellFormed(ApiKeySecret.Prefix + Random42 + last));

    [Fact]
    public void A_unicode_character_in_the_middle_of_a_key_is_caught_too() =>
        Assert.False(ApiKeySecret.IsWellFormed(ApiKeySecret.Prefix + "\u00e9" + Random42));

    [Fact]
    public void Null_is_not_well_formed() =>
        Assert.False(ApiKeySecret.IsWellFormed(null));

    [Fact]
    public void A_thousand_generated_secrets_are_distinct_and_use_the_whole_alphabet()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.All(secrets, s => Assert.True(ApiKeySecret.IsWellFormed(s), s));
        Assert.Equal(1000, secrets.Distinct(StringComparer.Ordinal).Count());
        var used = secrets.SelectMany(s => s[ApiKeySecret.Prefix.Length..]).ToHashSet();
        // Each character is missing from 43,000 uniform draws with probability (61/62)^43000, about 1e-305.
        Assert.All(Alphabet, c => Assert.Contains(c, used));
        Assert.Equal(Alphabet.Length, used.Count);
    }

    [Fact]
    public void The_visible_prefix_is_the_first_12_characters_or_the_whole_of_a_shorter_string()
    {
        Assert.Equal("mp_live_0123", ApiKeySecret.VisiblePrefix(ApiKeySecret.Prefix + Random43));
        Assert.Equal("mp_l", ApiKeySecret.VisiblePrefix("mp_l"));
    }

    private static (ApiKey Key, string Secret) Issue() =>
        ApiKey.Issue(_tenant, "ci", [ApiScopes.Read, ApiScopes.Write], null, _t0).Value;
}
