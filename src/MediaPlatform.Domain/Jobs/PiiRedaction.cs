namespace MediaPlatform.Domain.Jobs;

/// <summary>A kind of personal information a job can redact (the API's names: <c>email</c>, <c>phone_number</c>...).</summary>
public enum PiiPolicy
{
    Email,
    PhoneNumber,
    CreditCardNumber,
    UsSocialSecurityNumber,
    PersonName,
    NumberSequence,
}

/// <summary>What a redacted entity becomes: its policy's name in brackets (<c>[EMAIL]</c>), or one '#' per character.</summary>
public enum PiiSubstitution
{
    EntityName,
    Hash,
}

/// <summary>
/// A job's PII redaction: which entities, how they are replaced, the person names to look for, and whether the
/// unredacted transcript is kept (readable only with a key that has the <c>pii</c> scope).
/// </summary>
public sealed record PiiRedaction
{
    public const int MaxNames = 100;
    public const int MaxNameLength = 100;

    /// <summary>The policies a job gets when it asks for redaction without naming any (person names when it lists some).</summary>
    public static readonly IReadOnlyList<PiiPolicy> DefaultPolicies =
        [PiiPolicy.Email, PiiPolicy.PhoneNumber, PiiPolicy.CreditCardNumber, PiiPolicy.UsSocialSecurityNumber];

    public PiiRedaction(IReadOnlyList<PiiPolicy>? policies, PiiSubstitution substitution, IReadOnlyList<string>? names, bool keepUnredacted)
    {
        Names = names is null ? [] : [.. names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        Policies = policies is { Count: > 0 }
            ? [.. policies.Distinct().Order()]
            : [.. DefaultPolicies.Concat(Names.Count > 0 ? [PiiPolicy.PersonName] : []).Order()];
        Substitution = substitution;
        KeepUnredacted = keepUnredacted;
    }

    public IReadOnlyList<PiiPolicy> Policies { get; }

    public PiiSubstitution Substitution { get; }

    public IReadOnlyList<string> Names { get; }

    public bool KeepUnredacted { get; }

    public bool Equals(PiiRedaction? other) =>
        other is not null && Substitution == other.Substitution && KeepUnredacted == other.KeepUnredacted
        && Policies.SequenceEqual(other.Policies) && Names.SequenceEqual(other.Names);

    public override int GetHashCode() => HashCode.Combine(Substitution, KeepUnredacted, Policies.Count, Names.Count);
}
