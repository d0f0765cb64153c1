using MediaPlatform.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class WebhookSubscriptionRepository(MediaPlatformDbContext db) : IWebhookSubscriptionRepository
{
    public void Add(WebhookSubscription subscription) => db.WebhookSubscriptions.Add(subscription);

    public void Remove(WebhookSubscription subscription) => db.WebhookSubscriptions.Remove(subscription);

    public Task<WebhookSubscription?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.WebhookSubscriptions.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToListAsync(cancellationToken);
}
