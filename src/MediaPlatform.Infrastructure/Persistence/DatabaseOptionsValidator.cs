using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>Checks what data annotations cannot: the connection string parses and the pool bounds agree.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    failures.Add("Database:ConnectionString names no Host.");
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Database:ConnectionString is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (options.MinPoolSize > options.MaxPoolSize)
        {
            failures.Add($"Database:MinPoolSize ({options.MinPoolSize}) is larger than Database:MaxPoolSize ({options.MaxPoolSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
