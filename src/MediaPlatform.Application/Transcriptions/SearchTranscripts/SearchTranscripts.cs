using FluentValidation;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.SearchTranscripts;

/// <summary>
/// Full-text search across the caller's transcripts, in web-search syntax (<c>"quoted phrase"</c>, <c>-word</c>,
/// <c>or</c>), best match first. <paramref name="Cursor"/> is the <c>nextCursor</c> of the page before.
/// </summary>
public sealed record SearchTranscriptsQuery(
    string? Q, Guid? MediaId = null, string? Language = null, DateTimeOffset? CreatedAfter = null, int Limit = PagingRules.DefaultLimit, string? Cursor = null)
    : IQuery<Result<PageDto<SearchHitDto>>>;

/// <summary>A transcript that matches: where (the first segment that does), a highlighted snippet, and its rank.</summary>
public sealed record SearchHitDto(
    Guid JobId, Guid TranscriptionId, Guid MediaId, string Language, double? Start, double? End, string Snippet, double Rank, DateTimeOffset CreatedAt);

/// <summary>Where a search page starts: after the hit with this rank and id.</summary>
public sealed record SearchPosition(double Rank, Guid TranscriptionId);

/// <summary>The search index (Infrastructure: PostgreSQL text search over a GIN-indexed tsvector).</summary>
public interface ITranscriptSearch
{
    Task<(IReadOnlyList<SearchHitDto> Hits, SearchPosition? Next)> SearchAsync(
        Domain.Tenants.TenantId tenant, SearchTranscriptsQuery query, SearchPosition? after, CancellationToken cancellationToken);
}

internal sealed partial class SearchTranscriptsValidator : AbstractValidator<SearchTranscriptsQuery>
{
    /// <summary>Whether a web-search query has a term that is neither excluded (<c>-word</c>) nor <c>or</c>.</summary>
    internal static bool HasWordToFind(string? q) =>
        q is null || Terms().Matches(q).Any(t =>
            !t.Value.StartsWith('-') && !t.Value.Equals("or", StringComparison.OrdinalIgnoreCase) && t.Value.Any(char.IsLetterOrDigit));

    [System.Text.RegularExpressions.GeneratedRegex("-?\"[^\"]*\"?|[^\\s\"]+")]
    private static partial System.Text.RegularExpressions.Regex Terms();

    public SearchTranscriptsValidator()
    {
        RuleFor(q => q.Q).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("q is required: the words to search for (a \"quoted phrase\", -exclusion and or work as in web search).")
            .MaximumLength(500)
            .Must(HasWordToFind).WithMessage("q needs a word or \"phrase\" to find: -exclusions only narrow a search down (alone they would match every transcript).");
        RuleFor(q => q.Language).MaximumLength(16);
        RuleFor(q => q.Limit).ValidLimit();
        RuleFor(q => q.Cursor).Must(c => c is null || SearchCursor.TryDecode(c, out _)).WithMessage("cursor is not one this search returned.");
    }
}

/// <summary>The cursor of a search page: the last hit's rank and id, base64url.</summary>
internal static class SearchCursor
{
    public static string Encode(SearchPosition position) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($"{position.Rank:R}|{position.TranscriptionId:N}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out SearchPosition position)
    {
        position = new SearchPosition(0, Guid.Empty);
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            if (parts.Length == 2
                && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rank)
                && double.IsFinite(rank) && Guid.TryParseExact(parts[1], "N", out var id))
            {
                position = new SearchPosition(rank, id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

internal sealed class SearchTranscriptsHandler(ITranscriptSearch search, ICurrentTenant tenant)
    : IRequestHandler<SearchTranscriptsQuery, Result<PageDto<SearchHitDto>>>
{
    public async Task<Result<PageDto<SearchHitDto>>> Handle(SearchTranscriptsQuery request, CancellationToken cancellationToken)
    {
        SearchPosition? after = request.Cursor is { } cursor && SearchCursor.TryDecode(cursor, out var position) ? position : null;
        var (hits, next) = await search.SearchAsync(tenant.RequiredTenantId, request, after, cancellationToken);
        return new PageDto<SearchHitDto>(hits, next is null ? null : SearchCursor.Encode(next));
    }
}
