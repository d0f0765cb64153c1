namespace MediaPlatform.Domain.Tenants;

/// <summary>Identity of a <see cref="Tenant"/>, the owner of every media file, job and result.</summary>
public readonly record struct TenantId(Guid Value)
{
    /// <summary>
    /// The tenant <c>default</c>, created by the migration that introduced tenants: rows stored before then, and
    /// the bootstrap admin key, belong to it.
    /// </summary>
    public static readonly TenantId Default = new(new Guid("00000000-0000-0000-0000-000000000001"));

    public static TenantId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}
