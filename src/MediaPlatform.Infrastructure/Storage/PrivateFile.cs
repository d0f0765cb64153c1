namespace MediaPlatform.Infrastructure.Storage;

/// <summary>Files only their owner may read: the bootstrap admin key, database dumps.</summary>
internal static class PrivateFile
{
    /// <summary>Creates (or truncates) <paramref name="path"/> with mode 600, also when it existed with another mode.</summary>
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return stream;
    }
}
