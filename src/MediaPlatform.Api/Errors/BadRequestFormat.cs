using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Errors;

/// <summary>
/// One shape for every 400, whoever found the fault (FluentValidation, a domain rule, an unreadable body): a stable
/// <c>code</c>, and <c>errors</c> mapping each field (or, for a fault of the request as a whole, the code) to messages.
/// </summary>
internal static class BadRequestFormat
{
    public const string ValidationFailed = "validation.failed";
    public const string RequestUnreadable = "request.unreadable";

    public static void Apply(ProblemDetails problem)
    {
        if (problem.Status != StatusCodes.Status400BadRequest)
        {
            return;
        }

        if (problem is HttpValidationProblemDetails validation)
        {
            problem.Extensions.TryAdd("code", ValidationFailed);
            if (validation.Errors.Count == 0 && problem.Detail is { } detail)
            {
                validation.Errors[ValidationFailed] = [detail];
            }

            return;
        }

        if (!problem.Extensions.TryGetValue("code", out var value) || value is not string code)
        {
            code = RequestUnreadable;
            problem.Extensions["code"] = code;
        }

        problem.Extensions.TryAdd("errors", new Dictionary<string, string[]> { [code] = [problem.Detail ?? problem.Title ?? "The request is not valid."] });
    }
}
