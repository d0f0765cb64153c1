using FluentValidation;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Vocabularies;
using MediatR;

namespace MediaPlatform.Application.Vocabularies;

/// <summary>A saved vocabulary as clients see it.</summary>
public sealed record VocabularyDto(Guid Id, string Name, IReadOnlyList<string> Terms, DateTimeOffset CreatedAt)
{
    internal static VocabularyDto From(Vocabulary v) => new(v.Id, v.Name, v.Terms, v.CreatedAt);
}

public sealed record CreateVocabularyCommand(string? Name, IReadOnlyList<string>? Terms) : ICommand<Result<VocabularyDto>>;

public sealed record ListVocabulariesQuery : IQuery<Result<PageDto<VocabularyDto>>>;

public sealed record GetVocabularyQuery(Guid Id) : IQuery<Result<VocabularyDto>>;

public sealed record DeleteVocabularyCommand(Guid Id) : ICommand<Result>;

public static class VocabularyErrors
{
    public static Error NotFound(Guid id) => Error.NotFound("vocabulary.not_found", $"Vocabulary '{id}' does not exist.");

    public static Error TooMany() =>
        Error.Unprocessable("vocabulary.limit_reached", $"A tenant keeps at most {Vocabulary.MaxPerTenant} vocabularies; delete one first.");
}

internal sealed class CreateVocabularyValidator : AbstractValidator<CreateVocabularyCommand>
{
    public CreateVocabularyValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Vocabulary.MaxNameLength).WithMessage($"name is 1 to {Vocabulary.MaxNameLength} characters.");
        RuleFor(c => c.Terms).NotEmpty().WithMessage("terms: at least one term.");
        RuleFor(c => c.Terms!.Count)
            .LessThanOrEqualTo(JobOptions.MaxVocabularyTerms)
            .When(c => c.Terms is not null)
            .OverridePropertyName("terms")
            .WithMessage($"terms: at most {JobOptions.MaxVocabularyTerms} terms.");
        RuleForEach(c => c.Terms)
            .Must(VocabularyRules.IsTerm)
            .OverridePropertyName("terms")
            .WithMessage(VocabularyRules.TermMessage);
    }
}

/// <summary>What a vocabulary term may be (the same on a job's vocabulary and a saved one).</summary>
public static class VocabularyRules
{
    public static readonly string TermMessage =
        $"a vocabulary term is 1 to {JobOptions.MaxVocabularyTermLength} characters with a letter or digit and no control characters.";

    public static bool IsTerm(string? term) =>
        !string.IsNullOrWhiteSpace(term) && term.Length <= JobOptions.MaxVocabularyTermLength && !term.Any(char.IsControl) && term.Any(char.IsLetterOrDigit);
}

internal sealed class VocabularyHandlers(IVocabularyRepository vocabularies, TimeProvider time) :
    IRequestHandler<CreateVocabularyCommand, Result<VocabularyDto>>,
    IRequestHandler<ListVocabulariesQuery, Result<PageDto<VocabularyDto>>>,
    IRequestHandler<GetVocabularyQuery, Result<VocabularyDto>>,
    IRequestHandler<DeleteVocabularyCommand, Result>
{
    public async Task<Result<VocabularyDto>> Handle(CreateVocabularyCommand request, CancellationToken cancellationToken)
    {
        if (await vocabularies.CountAsync(cancellationToken) >= Vocabulary.MaxPerTenant)
        {
            return VocabularyErrors.TooMany();
        }

        var created = Vocabulary.Create(request.Name, request.Terms, time.GetUtcNow());
        if (created.IsFailure)
        {
            return created.Error!;
        }

        vocabularies.Add(created.Value);
        return VocabularyDto.From(created.Value);
    }

    public async Task<Result<PageDto<VocabularyDto>>> Handle(ListVocabulariesQuery request, CancellationToken cancellationToken) =>
        new PageDto<VocabularyDto>([.. (await vocabularies.ListAsync(cancellationToken)).Select(VocabularyDto.From)], null);

    public async Task<Result<VocabularyDto>> Handle(GetVocabularyQuery request, CancellationToken cancellationToken) =>
        await vocabularies.GetAsync(request.Id, cancellationToken) is { } v ? VocabularyDto.From(v) : VocabularyErrors.NotFound(request.Id);

    public async Task<Result> Handle(DeleteVocabularyCommand request, CancellationToken cancellationToken)
    {
        if (await vocabularies.GetAsync(request.Id, cancellationToken) is not { } v)
        {
            return VocabularyErrors.NotFound(request.Id);
        }

        vocabularies.Remove(v);
        return Result.Success();
    }
}
