using System.Buffers.Binary;
using System.Buffers.Text;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Common.Paging;

/// <summary>
/// Turns a <see cref="KeysetCursor"/> into the opaque <c>cursor</c> string clients pass back: base64url of the
/// creation instant (microseconds since the Unix epoch, PostgreSQL's precision) and the row id.
/// </summary>
public static class CursorCodec
{
    private const int Length = 8 + 16;

    public static string Encode(KeysetCursor cursor)
    {
        Span<byte> bytes = stackalloc byte[Length];
        var micros = (cursor.CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        BinaryPrimitives.WriteInt64BigEndian(bytes, micros);
        cursor.Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position a validated cursor names, or null for the first page.</summary>
    public static KeysetCursor? DecodeOrFirstPage(string? text) => TryDecode(text, out var cursor) ? cursor : null;

    public static bool TryDecode(string? text, out KeysetCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[48];
        if (!Base64Url.IsValid(text) || Base64Url.DecodeFromChars(text, bytes, out _, out var written) is not System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var ticks = DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10);
        if (micros < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        var id = new Guid(bytes[8..Length], bigEndian: true);
        if (id == Guid.Empty)
        {
            return false; // no row has the empty id, so no page ends on it
        }

        cursor = new KeysetCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
