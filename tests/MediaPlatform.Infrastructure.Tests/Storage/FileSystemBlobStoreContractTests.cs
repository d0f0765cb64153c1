using MediaPlatform.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Storage;

/// <summary>The blob store contract on the file system.</summary>
public sealed class FileSystemBlobStoreContractTests : BlobStoreContract, IDisposable
{
    private readonly List<DirectoryInfo> _roots = [];

    public void Dispose()
    {
        foreach (var root in _roots)
        {
            root.Delete(recursive: true);
        }
    }

    private protected override Task<IBlobStoreMaintenance> CreateStoreAsync()
    {
        var root = Directory.CreateTempSubdirectory("mp-blob-contract-");
        _roots.Add(root);
        return Task.FromResult<IBlobStoreMaintenance>(new FileSystemBlobStore(Options.Create(new StorageOptions { RootPath = root.FullName }), TimeProvider.System));
    }
}
