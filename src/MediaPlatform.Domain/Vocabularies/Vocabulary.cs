using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Vocabularies;

/// <summary>
/// A tenant's saved custom vocabulary: names and terms its jobs can use by id (<c>vocabularyId</c>). A job copies the
/// terms when it is submitted, so changing or deleting the vocabulary never changes a queued job.
/// </summary>
public sealed class Vocabulary : ITenantOwned
{
    public const int MaxNameLength = 100;

    /// <summary>How many vocabularies one tenant may keep.</summary>
    public const int MaxPerTenant = 100;

    // For EF Core materialisation.
    private Vocabulary()
    {
    }

    public Guid Id { get; private set; }

    public TenantId TenantId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public IReadOnlyList<string> Terms { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public static Result<Vocabulary> Create(string? name, IReadOnlyList<string>? terms, DateTimeOffset now)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxNameLength || trimmed.Any(char.IsControl))
        {
            return Error.Validation("vocabulary.name_invalid", $"name: 1 to {MaxNameLength} printable characters.");
        }

        var kept = JobOptions.Terms(terms);
        if (kept.Count is 0 or > JobOptions.MaxVocabularyTerms)
        {
            return Error.Validation("vocabulary.terms_invalid", $"terms: 1 to {JobOptions.MaxVocabularyTerms} terms.");
        }

        return new Vocabulary { Id = Guid.CreateVersion7(now), Name = trimmed, Terms = kept, CreatedAt = now };
    }
}

/// <summary>Stores a tenant's vocabularies.</summary>
public interface IVocabularyRepository
{
    void Add(Vocabulary vocabulary);

    void Remove(Vocabulary vocabulary);

    Task<Vocabulary?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Vocabulary>> ListAsync(CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
