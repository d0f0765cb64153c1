using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Tests.Common;

public sealed class CursorCodecTests
{
    [Fact]
    public void A_cursor_survives_encoding_to_microsecond_precision()
    {
        var cursor = new KeysetCursor(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero).AddTicks(1234560), Guid.CreateVersion7());

        Assert.True(CursorCodec.TryDecode(CursorCodec.Encode(cursor), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("../../etc/passwd")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("__________________________________")]
    public void Anything_else_is_not_a_cursor(string text) =>
        Assert.False(CursorCodec.TryDecode(text, out _));
}
