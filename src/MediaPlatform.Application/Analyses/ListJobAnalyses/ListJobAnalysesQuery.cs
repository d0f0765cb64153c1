using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Analyses.ListJobAnalyses;

/// <summary>The analysis results of a job (empty until it has run them).</summary>
public sealed record ListJobAnalysesQuery(Guid JobId) : IQuery<Result<IReadOnlyList<AnalysisResultDto>>>;
