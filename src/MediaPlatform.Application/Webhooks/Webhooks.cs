using System.Security.Cryptography;
using FluentValidation;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Webhooks;
using MediatR;

namespace MediaPlatform.Application.Webhooks;

/// <summary>A subscription as clients see it (never its secret, except once in <see cref="WebhookCreatedDto"/>).</summary>
/// <remarks><see cref="HeaderNames"/>: the custom headers sent with each delivery, by name (their values, often credentials, are never shown again).</remarks>
public record WebhookDto(
    Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, string? DisabledReason,
    IReadOnlyList<string> HeaderNames)
{
    internal static WebhookDto From(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Events, s.Description, s.CreatedAt, s.DisabledAt, s.DisabledReason, HeaderNamesOf(s));

    internal static IReadOnlyList<string> HeaderNamesOf(WebhookSubscription s) => [.. s.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>The answer to a create: the subscription and its signing secret, shown this once.</summary>
public sealed record WebhookCreatedDto(
    Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, string? DisabledReason,
    IReadOnlyList<string> HeaderNames, string Secret)
    : WebhookDto(Id, Url, Events, Description, CreatedAt, DisabledAt, DisabledReason, HeaderNames);

/// <summary>Subscribe a URL; <paramref name="Headers"/> are custom request headers sent with every delivery.</summary>
public sealed record CreateWebhookCommand(string? Url, IReadOnlyList<string>? Events, string? Description, IReadOnlyDictionary<string, string>? Headers = null)
    : ICommand<Result<WebhookCreatedDto>>;

/// <summary>
/// Change a subscription (a JSON merge patch): what is null is kept, except <see cref="Description"/>, set (or
/// removed) when <see cref="SetDescription"/> says it was given, and <see cref="Headers"/>, merged into the current
/// ones when <see cref="SetHeaders"/> (a header given null is removed; no map at all removes every header);
/// <see cref="Enabled"/> true enables a disabled subscription again.
/// </summary>
public sealed record UpdateWebhookCommand(
    Guid Id, string? Url, IReadOnlyList<string>? Events, bool SetDescription, string? Description, bool SetHeaders,
    IReadOnlyDictionary<string, string?>? Headers, bool? Enabled) : ICommand<Result<WebhookDto>>;

public sealed record ListWebhooksQuery : IQuery<Result<PageDto<WebhookDto>>>;

public sealed record GetWebhookQuery(Guid Id) : IQuery<Result<WebhookDto>>;

public sealed record DeleteWebhookCommand(Guid Id) : ICommand<Result>;

public sealed record ListWebhookDeliveriesQuery(Guid Id, int Limit = PagingRules.DefaultLimit, string? Cursor = null) : IQuery<Result<PageDto<WebhookDeliveryDto>>>;

public sealed record RedeliverWebhookCommand(Guid Id, Guid DeliveryId) : ICommand<Result>;

public sealed record RotateWebhookSecretCommand(Guid Id) : ICommand<Result<WebhookCreatedDto>>;

public sealed record TestWebhookCommand(Guid Id) : ICommand<Result<WebhookTestDto>>;

/// <summary>Issue (or replace) the tenant's job webhook secret, which signs the deliveries of jobs' own webhooks.</summary>
public sealed record RotateJobWebhookSecretCommand : ICommand<Result<JobWebhookSecretDto>>;

/// <summary>The job webhook secret, shown this once; the one it replaced keeps signing beside it until <paramref name="PreviousSecretExpiresAt"/>.</summary>
public sealed record JobWebhookSecretDto(string Secret, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>The ping's delivery: follow it in the subscription's deliveries.</summary>
public sealed record WebhookTestDto(Guid DeliveryId);

internal static class WebhookSecrets
{
    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    /// <summary>A signing key for HMAC-SHA256, as Standard Webhooks writes it: whsec_ and 24 random bytes in base64.</summary>
    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static WebhookCreatedDto Shown(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Events, s.Description, s.CreatedAt, s.DisabledAt, s.DisabledReason, WebhookDto.HeaderNamesOf(s), s.Secret);
}

internal static class WebhookErrors
{
    public static Error NotFound(Guid id) => Error.NotFound("webhook.not_found", $"Webhook '{id}' does not exist.");

    public static Error DeliveryNotFound(Guid id) => Error.NotFound("webhook.delivery_not_found", $"Delivery '{id}' does not exist.");
}

internal sealed class CreateWebhookValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookValidator()
    {
        RuleFor(c => c.Url).NotEmpty().WithMessage("url is required: where the events are posted.");
        RuleFor(c => c.Events).NotEmpty().WithMessage($"events is required: one or more of {string.Join(", ", WebhookEventTypes.Known)}, or * for all.");
        RuleForEach(c => c.Events).Must(e => e is not null && WebhookEventTypes.IsKnown(e))
            .WithMessage((_, e) => $"'{e}' is not an event; use {string.Join(", ", WebhookEventTypes.Known)} or *.");
        RuleFor(c => c.Description).MaximumLength(WebhookSubscription.MaxDescriptionLength);
        RuleFor(c => c.Headers).Must(h => h is null || h.Count <= WebhookHeaders.MaxCount)
            .WithMessage($"headers holds at most {WebhookHeaders.MaxCount} headers.");
    }
}

internal sealed class UpdateWebhookValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookValidator()
    {
        RuleFor(c => c.Url).NotEmpty().When(c => c.Url is not null).WithMessage("url cannot be empty.");
        RuleFor(c => c.Events).NotEmpty().When(c => c.Events is not null).WithMessage("events cannot be empty; delete the subscription instead.");
        RuleForEach(c => c.Events).Must(e => e is not null && WebhookEventTypes.IsKnown(e))
            .WithMessage((_, e) => $"'{e}' is not an event; use {string.Join(", ", WebhookEventTypes.Known)} or *.");
        RuleFor(c => c.Description).MaximumLength(WebhookSubscription.MaxDescriptionLength);
    }
}

internal sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesValidator()
    {
        RuleFor(q => q.Limit).ValidLimit();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class CreateWebhookHandler(IWebhookSubscriptionRepository subscriptions, IWebhookUrlGuard guard, TimeProvider time)
    : IRequestHandler<CreateWebhookCommand, Result<WebhookCreatedDto>>
{
    public async Task<Result<WebhookCreatedDto>> Handle(CreateWebhookCommand request, CancellationToken cancellationToken)
    {
        var created = WebhookSubscription.Create(request.Url!.Trim(), request.Events!, request.Description, WebhookSecrets.New(), time.GetUtcNow(), request.Headers);
        if (created.IsFailure)
        {
            return created.Error!;
        }

        var checkedUrl = await guard.CheckAsync(new Uri(created.Value.Url), cancellationToken);
        if (checkedUrl.IsFailure)
        {
            return checkedUrl.Error!;
        }

        subscriptions.Add(created.Value);
        return WebhookSecrets.Shown(created.Value);
    }
}

internal sealed class UpdateWebhookHandler(IWebhookSubscriptionRepository subscriptions, IWebhookUrlGuard guard, TimeProvider time)
    : IRequestHandler<UpdateWebhookCommand, Result<WebhookDto>>
{
    public async Task<Result<WebhookDto>> Handle(UpdateWebhookCommand request, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(request.Id, cancellationToken) is not { } s)
        {
            return WebhookErrors.NotFound(request.Id);
        }

        // The address is checked before anything changes (the aggregate checks the URL's form).
        var url = request.Url?.Trim();
        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var checkedUrl = await guard.CheckAsync(uri, cancellationToken);
            if (checkedUrl.IsFailure)
            {
                return checkedUrl.Error!;
            }
        }

        Dictionary<string, string>? headers = null;
        if (request.SetHeaders && request.Headers is not null)
        {
            headers = new Dictionary<string, string>(s.Headers, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in request.Headers)
            {
                if (value is null)
                {
                    headers.Remove(name);
                }
                else
                {
                    headers[name] = value;
                }
            }
        }

        var updated = s.Update(url, request.Events, request.SetDescription, request.Description, request.SetHeaders, headers, request.Enabled, time.GetUtcNow());
        if (updated.IsFailure)
        {
            return updated.Error!;
        }

        return WebhookDto.From(s);
    }
}

internal sealed class ListWebhooksHandler(IWebhookSubscriptionRepository subscriptions) : IRequestHandler<ListWebhooksQuery, Result<PageDto<WebhookDto>>>
{
    public async Task<Result<PageDto<WebhookDto>>> Handle(ListWebhooksQuery request, CancellationToken cancellationToken) =>
        new PageDto<WebhookDto>([.. (await subscriptions.ListAsync(cancellationToken)).Select(WebhookDto.From)], null);
}

internal sealed class GetWebhookHandler(IWebhookSubscriptionRepository subscriptions) : IRequestHandler<GetWebhookQuery, Result<WebhookDto>>
{
    public async Task<Result<WebhookDto>> Handle(GetWebhookQuery request, CancellationToken cancellationToken) =>
        await subscriptions.GetAsync(request.Id, cancellationToken) is { } s ? WebhookDto.From(s) : WebhookErrors.NotFound(request.Id);
}

internal sealed class DeleteWebhookHandler(IWebhookSubscriptionRepository subscriptions) : IRequestHandler<DeleteWebhookCommand, Result>
{
    public async Task<Result> Handle(DeleteWebhookCommand request, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(request.Id, cancellationToken) is not { } s)
        {
            return WebhookErrors.NotFound(request.Id);
        }

        subscriptions.Remove(s);
        return Result.Success();
    }
}

internal sealed class ListWebhookDeliveriesHandler(IWebhookSubscriptionRepository subscriptions, IWebhookDeliveries deliveries)
    : IRequestHandler<ListWebhookDeliveriesQuery, Result<PageDto<WebhookDeliveryDto>>>
{
    public async Task<Result<PageDto<WebhookDeliveryDto>>> Handle(ListWebhookDeliveriesQuery request, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(request.Id, cancellationToken) is null)
        {
            return WebhookErrors.NotFound(request.Id);
        }

        var page = await deliveries.ListAsync(request.Id, request.Limit, CursorCodec.DecodeOrFirstPage(request.Cursor), cancellationToken);
        return PageDto<WebhookDeliveryDto>.From(page, d => d);
    }
}

internal sealed class RedeliverWebhookHandler(IWebhookSubscriptionRepository subscriptions, IWebhookDeliveries deliveries)
    : IRequestHandler<RedeliverWebhookCommand, Result>
{
    public async Task<Result> Handle(RedeliverWebhookCommand request, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(request.Id, cancellationToken) is null)
        {
            return WebhookErrors.NotFound(request.Id);
        }

        return await deliveries.RedeliverAsync(request.Id, request.DeliveryId, cancellationToken)
            ? Result.Success()
            : WebhookErrors.DeliveryNotFound(request.DeliveryId);
    }
}

internal sealed class RotateWebhookSecretHandler(IWebhookSubscriptionRepository subscriptions, TimeProvider time)
    : IRequestHandler<RotateWebhookSecretCommand, Result<WebhookCreatedDto>>
{
    public async Task<Result<WebhookCreatedDto>> Handle(RotateWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(request.Id, cancellationToken) is not { } s)
        {
            return WebhookErrors.NotFound(request.Id);
        }

        s.RotateSecret(WebhookSecrets.New(), WebhookSecrets.RotationOverlap, time.GetUtcNow());
        return WebhookSecrets.Shown(s);
    }
}

internal sealed class RotateJobWebhookSecretHandler(ITenantRepository tenants, ICurrentTenant current, TimeProvider time)
    : IRequestHandler<RotateJobWebhookSecretCommand, Result<JobWebhookSecretDto>>
{
    public async Task<Result<JobWebhookSecretDto>> Handle(RotateJobWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetAsync(current.RequiredTenantId, cancellationToken)
            ?? throw new InvalidOperationException("The caller's tenant does not exist.");
        var now = time.GetUtcNow();
        tenant.RotateJobWebhookSecret(WebhookSecrets.New(), WebhookSecrets.RotationOverlap, now);
        return new JobWebhookSecretDto(tenant.JobWebhookSecret!, tenant.PreviousJobWebhookSecretExpiresAt > now ? tenant.PreviousJobWebhookSecretExpiresAt : null);
    }
}

internal sealed class TestWebhookHandler(IWebhookSubscriptionRepository subscriptions, IWebhookDeliveries deliveries)
    : IRequestHandler<TestWebhookCommand, Result<WebhookTestDto>>
{
    public async Task<Result<WebhookTestDto>> Handle(TestWebhookCommand request, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(request.Id, cancellationToken) is not { } s)
        {
            return WebhookErrors.NotFound(request.Id);
        }

        return new WebhookTestDto(await deliveries.SendTestAsync(s.Id, s.TenantId, cancellationToken));
    }
}
