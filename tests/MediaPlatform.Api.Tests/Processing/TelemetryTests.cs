using System.Diagnostics;
using System.Net;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Media;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The service with in-process workers, tracing on, and every finished span kept in memory.</summary>
public class TracingFactory : ProcessingFactory
{
    private readonly List<Activity> _spans = [];

    /// <summary>The spans finished so far (a copy: the exporter adds to the list as spans end).</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A host setting: the composition root decides on tracing while it registers services.
        builder.UseSetting("Telemetry:Tracing", "true");
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new KeepProcessor(_spans))));
    }

    private sealed class KeepProcessor(List<Activity> spans) : OpenTelemetry.BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (spans)
            {
                spans.Add(data);
            }
        }
    }
}

/// <summary>Traces, metrics and the queue endpoint after real jobs.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class TelemetryTests(TracingFactory factory) : IClassFixture<TracingFactory>
{
    [Fact]
    public async Task A_real_jobs_trace_runs_from_the_submitting_request_through_the_worker_steps_and_the_engine()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var jobs = new JobClient(client);
        var mediaId = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");

        var jobId = await jobs.SubmitAsync(mediaId);
        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());

        var trace = await WaitForSpansAsync(traceId, spans => spans.Any(s => s.OperationName == "job.run"));
        var submit = Assert.Single(trace, s => s.OperationName == "mediatr SubmitJobCommand");
        var server = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.SpanId == submit.ParentSpanId);
        Assert.Equal("POST", server.GetTagItem("http.request.method"));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.ParentSpanId == submit.SpanId); // the submission's insert
        var run = Assert.Single(trace, s => s.OperationName == "job.run");
        Assert.Equal(submit.SpanId, run.ParentSpanId); // the worker joined the request's trace through the stored context
        Assert.Equal(jobId.ToString(), run.GetTagItem("mediaplatform.job.id"));
        Assert.Equal("00000000-0000-0000-0000-000000000001", run.GetTagItem("mediaplatform.tenant.id"));
        var steps = trace.Where(s => s.ParentSpanId == run.SpanId && s.OperationName.StartsWith("job.step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["job.step probe", "job.step extract", "job.step transcribe", "job.step analyse"], steps.OrderBy(s => s.StartTimeUtc).Select(s => s.OperationName));
        var transcribe = steps.Single(s => s.OperationName == "job.step transcribe");
        Assert.Contains(trace, s => s.OperationName == "engine.transcribe" && s.ParentSpanId == transcribe.SpanId);
    }

    [Fact]
    public async Task The_metrics_endpoint_shows_the_platforms_instruments_after_a_real_job_without_a_key()
    {
        var jobs = new JobClient(factory.CreateClient());
        var jobId = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.Librivox()[1].Path, "audio/wav"));
        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());

        var text = await MetricsAfterGaugesRefreshAsync();

        foreach (var series in new[]
        {
            "mediaplatform_jobs_submitted_total{",
            "mediaplatform_jobs_succeeded_total{",
            "mediaplatform_job_queued_duration_seconds_bucket{",
            "mediaplatform_job_run_duration_seconds_bucket{",
            "mediaplatform_transcription_audio_seconds_total{",
            "mediaplatform_transcription_realtime_factor_bucket{",
            "mediaplatform_transcription_active_decoders{",
            "mediaplatform_queue_depth{",
            "mediaplatform_queue_oldest_age_seconds",
            "mediaplatform_queue_claim_size_bucket{",
            "mediaplatform_queue_finish_size_bucket{",
            "http_server_request_duration_seconds_bucket{",
            "db_client_",
        })
        {
            Assert.True(text.Contains(series, StringComparison.Ordinal), $"/metrics has no {series}:{Environment.NewLine}{text}");
        }

        Assert.Matches("""(?m)^mediaplatform_jobs_succeeded_total\{[^}]*kind="transcription"[^}]*\} [1-9]""", text);
        // This test's service runs its workers in this process: one worker process alive.
        Assert.Matches("""(?m)^mediaplatform_queue_worker_processes(\{[^}]*\})? 1$""", text);

        // Buckets that resolve what is measured (the exporter's default starts at 5, where every real-time factor and
        // most runs fall), and the HTTP durations' own, kept beside the cardinality limit the other streams get.
        Assert.Matches("""(?m)^mediaplatform_transcription_realtime_factor_bucket\{[^}]*le="0.25"\} """, text);
        Assert.Matches("""(?m)^mediaplatform_job_run_duration_seconds_bucket\{[^}]*le="2.5"\} """, text);
        Assert.Matches("""(?m)^mediaplatform_job_queued_duration_seconds_bucket\{[^}]*le="0.05"\} """, text);
        Assert.Matches("""(?m)^http_server_request_duration_seconds_bucket\{[^}]*le="0.005"\} """, text);
    }

    private async Task<string> MetricsAfterGaugesRefreshAsync()
    {
        var anonymous = factory.CreateAnonymousClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            // A refresh (every 10 s) that came after this process's first presence write (they start together).
            if ((text.Contains("mediaplatform_queue_depth{", StringComparison.Ordinal)
                    && System.Text.RegularExpressions.Regex.IsMatch(text, """(?m)^mediaplatform_queue_worker_processes(\{[^}]*\})? [1-9]"""))
                || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(500);
        }
    }

    private async Task<List<Activity>> WaitForSpansAsync(ActivityTraceId traceId, Func<List<Activity>, bool> complete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var trace = factory.Spans.Where(s => s.TraceId == traceId).ToList();
            if (complete(trace) || DateTime.UtcNow > deadline)
            {
                return trace;
            }

            await Task.Delay(100);
        }
    }
}
