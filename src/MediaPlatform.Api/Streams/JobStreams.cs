using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Queue;
using MediatR;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Streams;

/// <summary>The <c>Streams</c> section: limits and the refresh of event streams.</summary>
public sealed class JobStreamOptions
{
    public const string SectionName = "Streams";

    /// <summary>Open event streams this process serves at most (past it: 429).</summary>
    [Range(1, 1_000_000)]
    public int MaxOpen { get; set; } = 2000;

    /// <summary>Open event streams of one tenant at most, in this process (past it: 429).</summary>
    [Range(1, 1_000_000)]
    public int MaxPerTenant { get; set; } = 200;

    /// <summary>A followed job is read again at least this often, notification or not (a lost one cannot hang a stream).</summary>
    [Range(0.1, 300)]
    public double RefreshSeconds { get; set; } = 15;
}

/// <summary>What a stream is told: the job as it is now, or that it is gone.</summary>
internal sealed record JobUpdate(JobDto? Job);

/// <summary>
/// The event streams of this process. Streams of the same job share one feed: one database read per notification
/// (and per refresh, and after the listener reconnects), fanned out to every stream of that job. Open streams are
/// counted per tenant and in total.
/// </summary>
internal sealed partial class JobStreams(JobEventHub hub, IServiceScopeFactory scopes, IOptions<JobStreamOptions> options, ILogger<JobStreams> logger)
{
    private readonly JobEventHub _hub = hub;
    private readonly IServiceScopeFactory _scopes = scopes;
    private readonly JobStreamOptions _options = options.Value;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    // Keyed by tenant too: a feed reads with its tenant's filter, so another tenant's stream on the same id (a 404
    // for it) must never share, or end, this tenant's feed.
    private readonly Dictionary<(TenantId Tenant, Guid Job), Feed> _feeds = [];

    // After the listener reconnects every feed reads at once; a few at a time leave the pool to the API's requests.
    private readonly SemaphoreSlim _readers = new(8, 8);
    private readonly Dictionary<TenantId, int> _perTenant = [];
    private int _open;
    private long _reads;

    /// <summary>Database reads made by feeds (not the first read each stream makes itself).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Takes a place for a stream of <paramref name="tenant"/>, or null when a limit is reached.</summary>
    public IDisposable? TryOpen(TenantId tenant)
    {
        lock (_gate)
        {
            var mine = _perTenant.GetValueOrDefault(tenant);
            if (_open >= _options.MaxOpen || mine >= _options.MaxPerTenant)
            {
                return null;
            }

            _open++;
            _perTenant[tenant] = mine + 1;
        }

        return new Release(() =>
        {
            lock (_gate)
            {
                _open--;
                if (--_perTenant[tenant] == 0)
                {
                    _perTenant.Remove(tenant);
                }
            }
        });
    }

    /// <summary>Follows a job for <paramref name="tenant"/>: updates arrive on the returned reader until it is disposed.</summary>
    public Subscription Follow(Guid jobId, ICurrentTenant tenant)
    {
        var channel = Channel.CreateBounded<JobUpdate>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        Feed feed;
        var key = (tenant.RequiredTenantId, jobId);
        lock (_gate)
        {
            if (!_feeds.TryGetValue(key, out feed!))
            {
                feed = new Feed(this, jobId, tenant.RequiredTenantId, tenant.Limits);
                _feeds[key] = feed;
                feed.Start();
            }

            feed.Add(channel.Writer);
        }

        return new Subscription(channel.Reader, () =>
        {
            lock (_gate)
            {
                if (feed.Remove(channel.Writer) == 0)
                {
                    _feeds.Remove(key);
                    feed.Dispose();
                }
            }
        });
    }

    private async Task<JobUpdate> ReadAsync(Guid jobId, TenantId tenant, TenantLimits limits)
    {
        await _readers.WaitAsync();
        try
        {
            Interlocked.Increment(ref _reads);
            await using var scope = _scopes.CreateTenantScope(tenant, limits);
            var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetJobQuery(jobId));
            return new JobUpdate(result.IsSuccess ? result.Value : null);
        }
        finally
        {
            _readers.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "An event stream feed of job {JobId} could not read it ({Reason}); the next notification or refresh tries again")]
    private static partial void LogReadFailed(ILogger logger, Guid jobId, string reason);

    /// <summary>A stream's hold on a feed: read updates from <see cref="Updates"/>; dispose to leave.</summary>
    internal sealed class Subscription(ChannelReader<JobUpdate> updates, Action leave) : IDisposable
    {
        private Action? _leave = leave;

        public ChannelReader<JobUpdate> Updates { get; } = updates;

        public void Dispose() => Interlocked.Exchange(ref _leave, null)?.Invoke();
    }

    private sealed class Release(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }

    /// <summary>One followed job: reads it when told to (coalescing bursts) and hands the result to every stream.</summary>
    private sealed class Feed(JobStreams owner, Guid jobId, TenantId tenant, TenantLimits limits) : IDisposable
    {
        private readonly List<ChannelWriter<JobUpdate>> _writers = [];
        private readonly Lock _readGate = new();
        private IDisposable? _events;
        private IDisposable? _resync;
        private Timer? _refresh;
        private bool _reading;
        private bool _again;

        public void Start()
        {
            _events = owner._hub.Subscribe(jobId, _ => RequestRead());
            _resync = owner._hub.OnResync(RequestRead);
            var every = TimeSpan.FromSeconds(owner._options.RefreshSeconds);
            _refresh = new Timer(_ => RequestRead(), null, every, every);
        }

        public void Add(ChannelWriter<JobUpdate> writer) => _writers.Add(writer);

        public int Remove(ChannelWriter<JobUpdate> writer)
        {
            _writers.Remove(writer);
            return _writers.Count;
        }

        public void Dispose()
        {
            _events?.Dispose();
            _resync?.Dispose();
            _refresh?.Dispose();
        }

        private void RequestRead()
        {
            lock (_readGate)
            {
                if (_reading)
                {
                    _again = true;
                    return;
                }

                _reading = true;
            }

            _ = Task.Run(ReadLoopAsync);
        }

        private async Task ReadLoopAsync()
        {
            while (true)
            {
                lock (_readGate)
                {
                    _again = false;
                }

                try
                {
                    var update = await owner.ReadAsync(jobId, tenant, limits);
                    ChannelWriter<JobUpdate>[] writers;
                    lock (owner._gate)
                    {
                        writers = [.. _writers];
                    }

                    foreach (var writer in writers)
                    {
                        writer.TryWrite(update);
                    }
                }
                catch (Exception ex)
                {
                    LogReadFailed(owner._logger, jobId, ex.GetBaseException().Message);
                }

                lock (_readGate)
                {
                    if (!_again)
                    {
                        _reading = false;
                        return;
                    }
                }
            }
        }
    }
}
