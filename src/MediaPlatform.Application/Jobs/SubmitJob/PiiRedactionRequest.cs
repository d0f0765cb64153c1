using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs.SubmitJob;

/// <summary>
/// A job's PII options as sent (<c>redactPii</c>, <c>redactPiiPolicies</c>, <c>redactPiiSub</c>, <c>redactPiiNames</c>,
/// <c>keepUnredacted</c>), checked by <see cref="SubmitJobValidator"/> before <see cref="ToRedaction"/>.
/// </summary>
public sealed record PiiRedactionRequest(
    bool? RedactPii, IReadOnlyList<string>? Policies, string? Substitution, IReadOnlyList<string>? Names, bool? KeepUnredacted)
{
    /// <summary>The API's policy names.</summary>
    public static readonly IReadOnlyDictionary<string, PiiPolicy> PolicyNames = new Dictionary<string, PiiPolicy>(StringComparer.Ordinal)
    {
        ["email"] = PiiPolicy.Email,
        ["phone_number"] = PiiPolicy.PhoneNumber,
        ["credit_card_number"] = PiiPolicy.CreditCardNumber,
        ["us_social_security_number"] = PiiPolicy.UsSocialSecurityNumber,
        ["person_name"] = PiiPolicy.PersonName,
        ["number_sequence"] = PiiPolicy.NumberSequence,
    };

    public static readonly IReadOnlyDictionary<string, PiiSubstitution> SubstitutionNames = new Dictionary<string, PiiSubstitution>(StringComparer.Ordinal)
    {
        ["entity_name"] = PiiSubstitution.EntityName,
        ["hash"] = PiiSubstitution.Hash,
    };

    /// <summary>Whether any PII option was sent (then redactPii must be true).</summary>
    public bool AnySent => RedactPii is not null || Policies is not null || Substitution is not null || Names is not null || KeepUnredacted is not null;

    public PiiRedaction? ToRedaction() =>
        RedactPii == true
            ? new PiiRedaction(
                Policies?.Select(p => PolicyNames[p]).ToList(),
                Substitution is null ? PiiSubstitution.EntityName : SubstitutionNames[Substitution],
                Names,
                KeepUnredacted == true)
            : null;

    public static string NameOf(PiiPolicy policy) => PolicyNames.First(p => p.Value == policy).Key;

    public static string NameOf(PiiSubstitution substitution) => SubstitutionNames.First(p => p.Value == substitution).Key;
}
