using FluentValidation;
using MapsterMapper;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.ListTenants;

/// <summary>Every tenant, newest first, one page at a time (admin).</summary>
public sealed record ListTenantsQuery(int Limit = PagingRules.DefaultLimit, string? Cursor = null) : IQuery<Result<PageDto<TenantDto>>>;

internal sealed class ListTenantsValidator : AbstractValidator<ListTenantsQuery>
{
    public ListTenantsValidator()
    {
        RuleFor(q => q.Limit).ValidLimit();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class ListTenantsHandler(ITenantRepository tenants, IMapper mapper) : IRequestHandler<ListTenantsQuery, Result<PageDto<TenantDto>>>
{
    public async Task<Result<PageDto<TenantDto>>> Handle(ListTenantsQuery request, CancellationToken cancellationToken)
    {
        var page = await tenants.ListAsync(request.Limit, CursorCodec.DecodeOrFirstPage(request.Cursor), cancellationToken);
        return PageDto<TenantDto>.From(page, mapper.Map<TenantDto>);
    }
}
