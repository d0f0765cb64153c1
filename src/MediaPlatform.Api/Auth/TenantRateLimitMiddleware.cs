using System.Collections.Concurrent;
using System.Globalization;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Tenants;
using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Auth;

/// <summary>
/// A tenant's <c>requestsPerMinute</c>: a fixed one-minute window per tenant, counted in this process (each API
/// process enforces the limit on the requests it serves). Over the limit -> 429 problem+json with Retry-After (the
/// seconds until the window ends). Requests without a tenant (anonymous, health) are not counted.
/// </summary>
internal sealed class TenantRateLimiter(TimeProvider time) : IRequestRateMeter
{
    private readonly ConcurrentDictionary<TenantId, Window> _windows = new();

    /// <summary>Counts a request; returns the seconds to wait when it is over the limit, else null.</summary>
    public int? TryAcquire(TenantId tenantId, int limit)
    {
        var now = time.GetUtcNow();
        var start = WindowStart(now);
        var window = _windows.GetOrAdd(tenantId, _ => new Window());
        lock (window)
        {
            if (window.Start != start)
            {
                window.Start = start;
                window.Count = 0;
            }

            if (window.Count >= limit)
            {
                return Math.Max(1, (int)Math.Ceiling((start.AddMinutes(1) - now).TotalSeconds));
            }

            window.Count++;
            return null;
        }
    }

    public int? RequestsThisWindow(TenantId tenantId)
    {
        if (!_windows.TryGetValue(tenantId, out var window))
        {
            return 0;
        }

        var start = WindowStart(time.GetUtcNow());
        lock (window)
        {
            return window.Start == start ? window.Count : 0;
        }
    }

    /// <summary>The calendar minute <paramref name="now"/> falls in: the window its requests count against.</summary>
    private static DateTimeOffset WindowStart(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }

        public int Count { get; set; }
    }
}

/// <summary>Applies <see cref="TenantRateLimiter"/> to every request that authenticated as a tenant with the limit.</summary>
internal sealed class TenantRateLimitMiddleware(RequestDelegate next, TenantRateLimiter limiter, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var tenant = context.RequestServices.GetRequiredService<ICurrentTenant>();
        if (tenant.TenantId is { } tenantId && tenant.Limits.RequestsPerMinute is { } limit
            && limiter.TryAcquire(tenantId, limit) is { } retryAfter)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests.",
                    Detail = $"The tenant's limit requestsPerMinute ({limit}) is reached; retry in {retryAfter} s.",
                    Type = "https://mediaplatform.dev/problems/tenant-requests-per-minute",
                    Extensions = { ["code"] = "tenant.requests_per_minute" },
                },
            });
            return;
        }

        await next(context);
    }
}
