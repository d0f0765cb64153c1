using MediaPlatform.Domain.Vocabularies;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class VocabularyRepository(MediaPlatformDbContext db) : IVocabularyRepository
{
    public void Add(Vocabulary vocabulary) => db.Vocabularies.Add(vocabulary);

    public void Remove(Vocabulary vocabulary) => db.Vocabularies.Remove(vocabulary);

    public Task<Vocabulary?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.Vocabularies.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Vocabulary>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Vocabularies.AsNoTracking().OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).ToListAsync(cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken = default) => db.Vocabularies.CountAsync(cancellationToken);
}
