using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Vocabularies;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Api.Endpoints;

/// <summary>Saved custom vocabularies, used by jobs through <c>vocabularyId</c>.</summary>
internal static class VocabularyEndpoints
{
    public static IEndpointRouteBuilder MapVocabularyEndpoints(this IEndpointRouteBuilder app)
    {
        var vocabularies = app.MapGroup("/api/v1/vocabularies").WithTags("Vocabularies");

        vocabularies.MapPost("/", async (CreateVocabularyRequest body, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new CreateVocabularyCommand(body.Name, body.Terms), ct);
                return result.IsSuccess ? TypedResults.Created($"/api/v1/vocabularies/{result.Value.Id}", result.Value) : ErrorResults.Problem(result.Error!);
            })
            .WithName("CreateVocabulary")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Save a custom vocabulary (name, up to 1,000 terms of up to 100 characters) for jobs to use with vocabularyId; a tenant keeps at most 100.")
            .Produces<VocabularyDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        vocabularies.MapGet("/", async (IMediator mediator, CancellationToken ct) => ErrorResults.Ok(await mediator.Send(new ListVocabulariesQuery(), ct)))
            .WithName("ListVocabularies")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The tenant's saved vocabularies, newest first.")
            .Produces<PageDto<VocabularyDto>>();

        vocabularies.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) => ErrorResults.Ok(await mediator.Send(new GetVocabularyQuery(id), ct)))
            .WithName("GetVocabulary")
            .RequireScope(ApiScopes.Read)
            .WithSummary("A saved vocabulary.")
            .Produces<VocabularyDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        vocabularies.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new DeleteVocabularyCommand(id), ct);
                return result.IsSuccess ? Results.NoContent() : ErrorResults.Problem(result.Error!);
            })
            .WithName("DeleteVocabulary")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Delete a saved vocabulary (jobs that used it keep their copy of its terms).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    internal sealed record CreateVocabularyRequest(string? Name, IReadOnlyList<string>? Terms);
}
