namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>The service of <see cref="ApiFactory"/> on a real loopback port (Kestrel), for what the in-memory test server does not have: Kestrel's own limits.</summary>
public sealed class KestrelApiFactory : ApiFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(0);
        StartServer();
    }
}
