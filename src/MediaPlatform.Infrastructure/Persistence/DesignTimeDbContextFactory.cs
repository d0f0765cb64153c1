using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the API. Scaffolding never connects,
/// so the connection string only has to parse (docs/adr/0003-migrations-with-local-dotnet-ef.md).
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MediaPlatformDbContext>
{
    public MediaPlatformDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MediaPlatformDbContext>();
        PersistenceSetup.Configure(options, "Host=localhost;Database=mediaplatform_design", new DatabaseOptions());
        return new MediaPlatformDbContext(options.Options);
    }
}
