namespace MediaPlatform.Infrastructure.Persistence.Tooling;

/// <summary>build/sql/rollback.sql, embedded so the binary can drop the schema without the source tree.</summary>
public static class RollbackScript
{
    public static string Sql { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(RollbackScript).Assembly.GetManifestResourceStream("MediaPlatform.Infrastructure.rollback.sql")
            ?? throw new InvalidOperationException("rollback.sql is not embedded in the Infrastructure assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
