using System.Text;
using Npgsql;

namespace MediaPlatform.TestSupport.Postgres;

/// <summary>A textual description of a database's schema (columns, constraints, indexes), for comparing two databases.</summary>
public static class SchemaSnapshot
{
    public static async Task<string> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var text = new StringBuilder();
        await AppendAsync(connection, text, """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(character_maximum_length::text, '')
                   || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """);
        await AppendAsync(connection, text, """
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1
            """);
        await AppendAsync(connection, text, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
        await AppendAsync(connection, text, "SELECT tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1");
        await AppendAsync(connection, text, "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1");
        return text.ToString();
    }

    public static async Task<IReadOnlyList<string>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task AppendAsync(NpgsqlConnection connection, StringBuilder text, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            text.AppendLine(reader.GetString(0));
        }
    }
}
