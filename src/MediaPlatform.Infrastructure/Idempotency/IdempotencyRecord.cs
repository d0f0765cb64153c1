namespace MediaPlatform.Infrastructure.Idempotency;

/// <summary>A row of <c>idempotency_key</c>. Not a domain concept: an HTTP delivery guarantee kept in the same database.</summary>
internal sealed class IdempotencyRecord
{
    /// <summary>Keys are per tenant: two tenants may use the same key without seeing each other's responses.</summary>
    public Domain.Tenants.TenantId TenantId { get; set; }

    public string Key { get; set; } = string.Empty;

    /// <summary>What the first request was (method, path and body digest); null while it runs.</summary>
    public string? Fingerprint { get; set; }

    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The token of the request holding the claim; only it may renew, complete or release it.</summary>
    public Guid? Owner { get; set; }

    /// <summary>When the running request last said it is alive; a claim not renewed for a while is abandoned.</summary>
    public DateTimeOffset? RenewedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
