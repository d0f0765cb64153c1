namespace MediaPlatform.Domain.Tenants;

/// <summary>What a key may do: <c>read</c> (GET), <c>write</c> (create, change, delete) and <c>admin</c> (tenants and keys).</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>Reading what PII redaction hid: the unredacted transcript a job kept (keepUnredacted).</summary>
    public const string Pii = "pii";

    public static readonly IReadOnlyList<string> All = [Admin, Read, Write, Pii];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
