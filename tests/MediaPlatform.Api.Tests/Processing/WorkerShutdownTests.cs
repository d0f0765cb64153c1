using System.Collections.Concurrent;
using System.Data.Common;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>
/// A service stopped while its workers' claim and the lease reaper are committing stops quietly: both short
/// transactions commit, and nothing is logged as an error. They took the host's stopping token into their commits,
/// which a stop cancelled mid-way, and EF Core logged "An error occurred using a transaction" at such shutdowns (the
/// bench's queue figure showed it now and then).
/// </summary>
public sealed class WorkerShutdownTests
{
    [Fact]
    public async Task Stopping_the_service_while_its_workers_commit_logs_no_error()
    {
        var factory = new Factory();
        await ((Xunit.IAsyncLifetime)factory).InitializeAsync();
        try
        {
            _ = factory.Services; // starts the host and its workers, which claim (nothing) every second
            await Task.Delay(2000);
            factory.Commits.Armed = true;
            Assert.True(await factory.Commits.Both.Task.WaitAsync(TimeSpan.FromSeconds(30)), "no claim and reaper commits were seen");

            await factory.DisposeAsync(); // stops the host; the paused commits go on once it has begun stopping
        }
        finally
        {
            await ((Xunit.IAsyncLifetime)factory).DisposeAsync();
        }

        Assert.True(factory.Commits.Resumed, "the paused commits never went on");
        Assert.Empty(factory.Errors);
    }

    /// <summary>The service with workers, a pause in its next commit, and the errors it logs.</summary>
    private sealed class Factory : ProcessingFactory
    {
        public CommitPause Commits { get; } = new();

        public ConcurrentQueue<string> Errors { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(new ErrorCollector(Errors)));
            builder.ConfigureServices(services => services.ConfigureDbContext<MediaPlatformDbContext>(
                (sp, options) =>
                {
                    Commits.Stopping = sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                    options.AddInterceptors(Commits);
                }));
        }
    }

    /// <summary>Holds every commit after it is armed until the host has begun to stop (and a moment more).</summary>
    private sealed class CommitPause : DbTransactionInterceptor
    {
        public volatile bool Armed;
        private volatile bool _claim;
        private volatile bool _reaper;

        public CancellationToken Stopping { get; set; }

        /// <summary>Set once a claim's commit and the reaper's are both held.</summary>
        public TaskCompletionSource<bool> Both { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Resumed { get; private set; }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
            DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                var caller = Environment.StackTrace;
                _claim |= caller.Contains("<ClaimAsync>", StringComparison.Ordinal);
                _reaper |= caller.Contains("<ReleaseExpiredLeasesAsync>", StringComparison.Ordinal);
                if (_claim && _reaper)
                {
                    Both.TrySetResult(true);
                }

                await Task.Delay(Timeout.Infinite, Stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                // The host cancels its services' stopping tokens right after it signals that it is stopping.
                await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
                Resumed = true;
            }

            return result;
        }
    }

    private sealed class ErrorCollector(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, errors);

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    errors.Enqueue($"{category}[{eventId.Id}]: {formatter(state, exception)} {exception?.GetType().Name}");
                }
            }
        }
    }
}
