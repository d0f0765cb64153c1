using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>The <c>Database</c> configuration section. Validated at start: bad values stop the service with a clear message.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>An Npgsql connection string, for example <c>Host=127.0.0.1;Port=5433;Database=mediaplatform;Username=postgres</c>.</summary>
    [Required(ErrorMessage = "Database:ConnectionString is required (or set ConnectionStrings__MediaPlatform).")]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Most physical connections the pool opens.</summary>
    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>Connections the pool keeps open when idle.</summary>
    [Range(0, 1000)]
    public int MinPoolSize { get; set; }

    /// <summary>Seconds to wait for a connection (opening one, or a free one from the pool).</summary>
    [Range(1, 600)]
    public int ConnectionTimeoutSeconds { get; set; } = 5;

    /// <summary>Seconds a single command may run.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>How many times a transient failure (connection reset, failover) is retried.</summary>
    [Range(0, 20)]
    public int MaxRetryCount { get; set; } = 3;

    /// <summary>Upper bound, in seconds, of the backoff between retries.</summary>
    [Range(1, 120)]
    public int MaxRetryDelaySeconds { get; set; } = 5;

    /// <summary>
    /// How many distinct statements each connection prepares on the server once they have been run a few times
    /// (Npgsql's <c>Max Auto Prepare</c>): the hot statements skip parsing and planning. 0 turns it off (for a
    /// PgBouncer in transaction mode older than 1.21). See ADR 0025.
    /// </summary>
    [Range(0, 1000)]
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>
    /// Whether a connection going back to the pool is reset with <c>DISCARD ALL</c> (Npgsql's default). Off: the
    /// platform keeps no session state (no session-level <c>SET</c>, advisory locks only per transaction), and the
    /// reset costs a statement per use and throws away the prepared statements. See ADR 0025.
    /// </summary>
    public bool ResetOnClose { get; set; }

    /// <summary>How many DbContext instances the context pool keeps for reuse.</summary>
    [Range(1, 4096)]
    public int DbContextPoolSize { get; set; } = 256;

    /// <summary>Where <c>db backup</c> and <c>db migrate</c> write pg_dump files.</summary>
    [Required]
    public string BackupDirectory { get; set; } = ".data/backups";

    /// <summary>How many dumps of the database are kept; older ones are deleted after each new backup.</summary>
    [Range(1, 1000)]
    public int BackupsToKeep { get; set; } = 10;

    /// <summary>Longest a pg_dump may run before it is stopped and the backup counts as failed.</summary>
    [Range(1, 86_400)]
    public int BackupTimeoutSeconds { get; set; } = 900;
}
