using System.Security.Cryptography;
using System.Text;
using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Tenants;
using MediaPlatform.Application.Tenants.CreateApiKey;
using MediaPlatform.Application.Tenants.CreateTenant;
using MediaPlatform.Application.Tenants.DeleteTenant;
using MediaPlatform.Application.Tenants.GetMe;
using MediaPlatform.Application.Tenants.ListApiKeys;
using MediaPlatform.Application.Tenants.RevokeApiKey;
using MediaPlatform.Application.Tenants.UpdateTenant;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Tenants;

public sealed class TenantHandlerTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly ITenantRepository _tenants = Substitute.For<ITenantRepository>();
    private readonly IApiKeyRepository _keys = Substitute.For<IApiKeyRepository>();
    private readonly IApiKeyAuthenticator _authenticator = Substitute.For<IApiKeyAuthenticator>();
    private readonly ITransactionCallbacks _callbacks = Substitute.For<ITransactionCallbacks>();
    private readonly ITenantEraser _eraser = Substitute.For<ITenantEraser>();
    private readonly ITenantUsage _usage = Substitute.For<ITenantUsage>();
    private readonly IRequestRateMeter _rates = Substitute.For<IRequestRateMeter>();
    private readonly FakeTimeProvider _time = new(_now);
    private readonly IMapper _mapper = new Mapper(DependencyInjection.CreateMappingConfig());
    private readonly TenantContext _context = new();

    // CreateTenant

    [Fact]
    public async Task Creating_a_tenant_adds_it_with_its_trimmed_name_and_limits()
    {
        var limits = new TenantLimits(RequestsPerMinute: 60, StorageBytes: 1_000_000, RetentionDays: 30);

        var result = await CreateTenant().Handle(new CreateTenantCommand("  acme  ", limits), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("acme", result.Value.Name);
        Assert.Equal(new TenantLimitsDto(60, null, null, 1_000_000, null, 30), result.Value.Limits);
        Assert.Equal(_now, result.Value.CreatedAt);
        Assert.Equal(_now, result.Value.UpdatedAt);
        _tenants.Received(1).Add(Arg.Is<Tenant>(t => t.Id.Value == result.Value.Id && t.Name == "acme" && t.Limits == limits));
    }

    [Fact]
    public async Task Creating_a_tenant_without_limits_gives_it_none()
    {
        var result = await CreateTenant().Handle(new CreateTenantCommand("acme"), default);

        Assert.Equal(new TenantLimitsDto(null, null, null, null, null, null), result.Value.Limits);
        _tenants.Received(1).Add(Arg.Is<Tenant>(t => t.Limits == TenantLimits.None));
    }

    [Fact]
    public async Task Creating_a_tenant_with_a_taken_name_is_a_conflict_and_adds_nothing()
    {
        _tenants.FindByNameAsync("acme", Arg.Any<CancellationToken>()).Returns(Tenant.Create("acme", null, _now).Value);

        var result = await CreateTenant().Handle(new CreateTenantCommand(" acme "), default);

        Assert.Equal("tenant.name_taken", result.Error?.Code);
        Assert.Equal(ErrorType.Conflict, result.Error?.Type);
        _tenants.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Creating_a_tenant_with_invalid_limits_adds_nothing()
    {
        var result = await CreateTenant().Handle(new CreateTenantCommand("acme", new TenantLimits(MaxQueuedJobs: 0)), default);

        Assert.Equal("tenant.limits_invalid", result.Error?.Code);
        _tenants.DidNotReceiveWithAnyArgs().Add(default!);
    }

    // UpdateTenant

    [Fact]
    public async Task A_limits_patch_changes_the_named_limits_removes_those_named_with_null_and_keeps_the_others()
    {
        var tenant = Tenant.Create("acme", new TenantLimits(RequestsPerMinute: 60, MaxQueuedJobs: 10, StorageBytes: 1000, RetentionDays: 7), _now).Value;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        _time.Advance(TimeSpan.FromMinutes(3));
        var patch = new TenantLimitsPatch(
            new TenantLimits(MaxQueuedJobs: 20, StorageBytes: null, MaxMediaSeconds: 600),
            new HashSet<string>(StringComparer.Ordinal) { "maxQueuedJobs", "storageBytes", "maxMediaSeconds" });

        var result = await UpdateTenant().Handle(new UpdateTenantCommand(tenant.Id.Value, null, patch), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var expected = new TenantLimits(RequestsPerMinute: 60, MaxQueuedJobs: 20, StorageBytes: null, MaxMediaSeconds: 600, RetentionDays: 7);
        Assert.Equal(expected, tenant.Limits);
        Assert.Equal(new TenantLimitsDto(60, null, 20, null, 600, 7), result.Value.Limits);
        Assert.Equal("acme", tenant.Name);
        Assert.Equal(_now.AddMinutes(3), tenant.UpdatedAt);
        Assert.Equal(_now.AddMinutes(3), result.Value.UpdatedAt);
    }

    [Fact]
    public void A_limits_patch_naming_nothing_keeps_every_limit()
    {
        var current = new TenantLimits(1, 2, 3, 4, 5, 6);
        var patch = new TenantLimitsPatch(TenantLimits.None, new HashSet<string>(StringComparer.Ordinal));

        Assert.Equal(current, patch.ApplyTo(current));
    }

    [Fact]
    public void A_limits_patch_naming_every_limit_with_null_removes_them_all()
    {
        var patch = new TenantLimitsPatch(TenantLimits.None, new HashSet<string>(TenantLimitsPatch.Names, StringComparer.Ordinal));

        Assert.Equal(TenantLimits.None, patch.ApplyTo(new TenantLimits(1, 2, 3, 4, 5, 6)));
    }

    [Fact]
    public async Task Updating_a_tenant_forgets_cached_keys_only_once_the_change_is_committed()
    {
        var tenant = Tenant.Create("acme", null, _now).Value;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        Func<CancellationToken, Task>? onCommitted = null;
        _callbacks.OnCommitted(Arg.Do<Func<CancellationToken, Task>>(f => onCommitted = f));
        var patch = new TenantLimitsPatch(new TenantLimits(RequestsPerMinute: 5), new HashSet<string>(StringComparer.Ordinal) { "requestsPerMinute" });

        var result = await UpdateTenant().Handle(new UpdateTenantCommand(tenant.Id.Value, null, patch), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        _authenticator.DidNotReceive().Forget();
        Assert.NotNull(onCommitted);
        await onCommitted(default);
        _authenticator.Received(1).Forget();
    }

    [Fact]
    public async Task Updating_an_unknown_tenant_is_not_found_and_registers_nothing()
    {
        var id = Guid.CreateVersion7();

        var result = await UpdateTenant().Handle(new UpdateTenantCommand(id, "new name", null), default);

        Assert.Equal("tenant.not_found", result.Error?.Code);
        Assert.Equal(ErrorType.NotFound, result.Error?.Type);
        Assert.Contains(id.ToString(), result.Error!.Message, StringComparison.Ordinal);
        _callbacks.DidNotReceiveWithAnyArgs().OnCommitted(default!);
        _authenticator.DidNotReceive().Forget();
    }

    [Fact]
    public async Task Renaming_a_tenant_trims_the_new_name()
    {
        var tenant = Tenant.Create("acme", null, _now).Value;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);

        var result = await UpdateTenant().Handle(new UpdateTenantCommand(tenant.Id.Value, "  acme corp ", null), default);

        Assert.Equal("acme corp", result.Value.Name);
        Assert.Equal("acme corp", tenant.Name);
        await _tenants.Received(1).FindByNameAsync("acme corp", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Renaming_a_tenant_to_the_name_of_another_is_a_conflict_and_changes_nothing()
    {
        var tenant = Tenant.Create("acme", null, _now).Value;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        _tenants.FindByNameAsync("globex", Arg.Any<CancellationToken>()).Returns(Tenant.Create("globex", null, _now).Value);

        var result = await UpdateTenant().Handle(new UpdateTenantCommand(tenant.Id.Value, "globex", null), default);

        Assert.Equal("tenant.name_taken", result.Error?.Code);
        Assert.Equal("acme", tenant.Name);
        _callbacks.DidNotReceiveWithAnyArgs().OnCommitted(default!);
    }

    [Fact]
    public async Task A_patch_that_makes_a_limit_invalid_is_refused_and_keeps_the_old_limits()
    {
        var before = new TenantLimits(MaxQueuedJobs: 10);
        var tenant = Tenant.Create("acme", before, _now).Value;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        _time.Advance(TimeSpan.FromMinutes(1));
        var patch = new TenantLimitsPatch(new TenantLimits(MaxQueuedJobs: 0), new HashSet<string>(StringComparer.Ordinal) { "maxQueuedJobs" });

        var result = await UpdateTenant().Handle(new UpdateTenantCommand(tenant.Id.Value, null, patch), default);

        Assert.Equal("tenant.limits_invalid", result.Error?.Code);
        Assert.Equal(before, tenant.Limits);
        Assert.Equal(_now, tenant.UpdatedAt);
        _callbacks.DidNotReceiveWithAnyArgs().OnCommitted(default!);
    }

    // DeleteTenant

    [Fact]
    public async Task A_key_cannot_delete_its_own_tenant()
    {
        var own = TenantId.New();
        _context.Set(own, TenantLimits.None);

        var result = await DeleteTenant().Handle(new DeleteTenantCommand(own.Value), default);

        Assert.Equal("tenant.own_tenant", result.Error?.Code);
        Assert.Equal(ErrorType.Conflict, result.Error?.Type);
        await _eraser.DidNotReceiveWithAnyArgs().EraseAsync(default, default);
        _authenticator.DidNotReceive().Forget();
    }

    [Fact]
    public async Task Deleting_an_unknown_tenant_is_not_found()
    {
        _context.Set(TenantId.Default, TenantLimits.None);
        var id = TenantId.New();
        _eraser.EraseAsync(id, Arg.Any<CancellationToken>()).Returns(false);

        var result = await DeleteTenant().Handle(new DeleteTenantCommand(id.Value), default);

        Assert.Equal("tenant.not_found", result.Error?.Code);
        Assert.Equal(ErrorType.NotFound, result.Error?.Type);
        _authenticator.DidNotReceive().Forget();
    }

    [Fact]
    public async Task Deleting_another_tenant_erases_it_and_forgets_cached_keys()
    {
        _context.Set(TenantId.Default, TenantLimits.None);
        var id = TenantId.New();
        _eraser.EraseAsync(id, Arg.Any<CancellationToken>()).Returns(true);

        var result = await DeleteTenant().Handle(new DeleteTenantCommand(id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await _eraser.Received(1).EraseAsync(id, Arg.Any<CancellationToken>());
        _authenticator.Received(1).Forget();
    }

    // CreateApiKey

    [Fact]
    public async Task Issuing_a_key_for_an_unknown_tenant_is_not_found_and_adds_nothing()
    {
        var result = await CreateApiKey().Handle(new CreateApiKeyCommand(Guid.CreateVersion7(), "ci", [ApiScopes.Read]), default);

        Assert.Equal("tenant.not_found", result.Error?.Code);
        Assert.Equal(ErrorType.NotFound, result.Error?.Type);
        _keys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Issuing_a_key_returns_its_secret_once_and_stores_only_its_hash_and_prefix()
    {
        var tenant = KnownTenant();
        ApiKey? added = null;
        _keys.Add(Arg.Do<ApiKey>(k => added = k));
        var expiry = new DateTimeOffset(2026, 6, 1, 14, 0, 0, TimeSpan.FromHours(2));

        var result = await CreateApiKey().Handle(new CreateApiKeyCommand(tenant.Id.Value, "ci", ["Write", " read "], expiry), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var dto = result.Value;
        Assert.True(ApiKeySecret.IsWellFormed(dto.Key));
        Assert.NotNull(added);
        _keys.Received(1).Add(added);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(dto.Key)), added.Hash);
        Assert.Equal(dto.Key[..12], added.Prefix);
        Assert.Equal(added.Prefix, dto.Prefix);
        Assert.Equal(added.Id.Value, dto.Id);
        Assert.Equal(tenant.Id, added.TenantId);
        Assert.Equal(tenant.Id.Value, dto.TenantId);
        Assert.Equal(["read", "write"], dto.Scopes);
        Assert.Equal(["read", "write"], added.Scopes);
        Assert.Equal(_now, dto.CreatedAt);
        Assert.Equal(expiry, added.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, added.ExpiresAt!.Value.Offset);
    }

    [Fact]
    public async Task Issuing_a_key_with_a_supplied_secret_returns_that_secret()
    {
        var tenant = KnownTenant();
        const string Secret = "mp_live_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";

        var result = await CreateApiKey().Handle(new CreateApiKeyCommand(tenant.Id.Value, "bootstrap", [ApiScopes.Admin], null, Secret), default);

        Assert.Equal(Secret, result.Value.Key);
        _keys.Received(1).Add(Arg.Is<ApiKey>(k => k.Prefix == "mp_live_0123"));
    }

    [Fact]
    public async Task Issuing_a_key_with_an_unknown_scope_or_past_expiry_adds_nothing()
    {
        var tenant = KnownTenant();

        var badScope = await CreateApiKey().Handle(new CreateApiKeyCommand(tenant.Id.Value, "ci", ["root"]), default);
        var past = await CreateApiKey().Handle(new CreateApiKeyCommand(tenant.Id.Value, "ci", [ApiScopes.Read], _now.AddSeconds(-1)), default);

        Assert.Equal("api_key.scopes_invalid", badScope.Error?.Code);
        Assert.Equal("api_key.expiry_past", past.Error?.Code);
        _keys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Theory]
    [InlineData("read", true)]
    [InlineData(" ADMIN ", true)]
    [InlineData("root", false)]
    public void The_create_key_validator_accepts_only_known_scopes(string scope, bool valid) =>
        Assert.Equal(valid, new CreateApiKeyValidator().Validate(new CreateApiKeyCommand(Guid.CreateVersion7(), "ci", [scope])).IsValid);

    // ListApiKeys

    [Fact]
    public async Task Listing_the_keys_of_a_tenant_shows_them_without_secrets()
    {
        var tenant = KnownTenant();
        var (first, _) = ApiKey.Issue(tenant.Id, "one", [ApiScopes.Read], null, _now).Value;
        var (second, _) = ApiKey.Issue(tenant.Id, "two", [ApiScopes.Write], null, _now).Value;
        second.Revoke(_now);
        _keys.ListAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns([first, second]);

        var result = await new ListApiKeysHandler(_tenants, _keys, _mapper).Handle(new ListApiKeysQuery(tenant.Id.Value), default);

        Assert.Equal([first.Id.Value, second.Id.Value], result.Value.Items.Select(k => k.Id));
        Assert.Equal(first.Prefix, result.Value.Items[0].Prefix);
        Assert.Equal(_now, result.Value.Items[1].RevokedAt);
        Assert.Null(result.Value.NextCursor);
    }

    [Fact]
    public async Task Listing_the_keys_of_an_unknown_tenant_is_not_found()
    {
        var result = await new ListApiKeysHandler(_tenants, _keys, _mapper).Handle(new ListApiKeysQuery(Guid.CreateVersion7()), default);

        Assert.Equal("tenant.not_found", result.Error?.Code);
        await _keys.DidNotReceiveWithAnyArgs().ListAsync(default, default);
    }

    // RevokeApiKey

    [Fact]
    public async Task Revoking_an_unknown_key_is_not_found()
    {
        var keyId = Guid.CreateVersion7();

        var result = await RevokeApiKey().Handle(new RevokeApiKeyCommand(Guid.CreateVersion7(), keyId), default);

        Assert.Equal("api_key.not_found", result.Error?.Code);
        Assert.Equal(ErrorType.NotFound, result.Error?.Type);
        Assert.Contains(keyId.ToString(), result.Error!.Message, StringComparison.Ordinal);
        _callbacks.DidNotReceiveWithAnyArgs().OnCommitted(default!);
    }

    [Fact]
    public async Task Revoking_a_key_looks_it_up_in_the_given_tenant_only()
    {
        var (key, _) = ApiKey.Issue(TenantId.New(), "ci", [ApiScopes.Read], null, _now).Value;
        _keys.GetAsync(key.TenantId, key.Id, Arg.Any<CancellationToken>()).Returns(key);

        var result = await RevokeApiKey().Handle(new RevokeApiKeyCommand(Guid.CreateVersion7(), key.Id.Value), default);

        Assert.Equal("api_key.not_found", result.Error?.Code);
        Assert.Null(key.RevokedAt);
    }

    [Fact]
    public async Task Revoking_a_key_stamps_the_current_time_and_forgets_cached_keys_after_commit()
    {
        var (key, _) = ApiKey.Issue(TenantId.New(), "ci", [ApiScopes.Read], null, _now).Value;
        _keys.GetAsync(key.TenantId, key.Id, Arg.Any<CancellationToken>()).Returns(key);
        Func<CancellationToken, Task>? onCommitted = null;
        _callbacks.OnCommitted(Arg.Do<Func<CancellationToken, Task>>(f => onCommitted = f));
        _time.Advance(TimeSpan.FromMinutes(3));

        var result = await RevokeApiKey().Handle(new RevokeApiKeyCommand(key.TenantId.Value, key.Id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(_now.AddMinutes(3), key.RevokedAt);
        Assert.False(key.IsActive(_time.GetUtcNow()));
        _authenticator.DidNotReceive().Forget();
        Assert.NotNull(onCommitted);
        await onCommitted(default);
        _authenticator.Received(1).Forget();
    }

    [Fact]
    public async Task Revoking_a_revoked_key_succeeds_and_keeps_the_first_time()
    {
        var (key, _) = ApiKey.Issue(TenantId.New(), "ci", [ApiScopes.Read], null, _now).Value;
        key.Revoke(_now);
        _keys.GetAsync(key.TenantId, key.Id, Arg.Any<CancellationToken>()).Returns(key);
        _time.Advance(TimeSpan.FromHours(1));

        var result = await RevokeApiKey().Handle(new RevokeApiKeyCommand(key.TenantId.Value, key.Id.Value), default);

        Assert.True(result.IsSuccess);
        Assert.Equal(_now, key.RevokedAt);
    }

    // GetMe

    [Fact]
    public async Task Me_shows_the_tenant_the_key_the_scopes_and_usage_against_the_stored_limits()
    {
        var tenant = Tenant.Create("acme", new TenantLimits(120, 4, 10, 5000, 600, 30), _now).Value;
        var (key, _) = ApiKey.Issue(tenant.Id, "ci", [ApiScopes.Admin, ApiScopes.Read], null, _now).Value;
        // The context's limits may be stale (cached with the key): /me reads the tenant's stored ones.
        _context.Set(tenant.Id, TenantLimits.None, key.Id, [ApiScopes.Admin, ApiScopes.Read]);
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        _keys.GetAsync(tenant.Id, key.Id, Arg.Any<CancellationToken>()).Returns(key);
        _usage.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(new TenantUsage(RunningJobs: 2, QueuedJobs: 5, StorageBytes: 1234));
        _rates.RequestsThisWindow(tenant.Id).Returns(17);

        var result = await GetMe().Handle(new GetMeQuery(), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var me = result.Value;
        Assert.Equal(tenant.Id.Value, me.Tenant.Id);
        Assert.Equal("acme", me.Tenant.Name);
        Assert.Equal(new TenantLimitsDto(120, 4, 10, 5000, 600, 30), me.Tenant.Limits);
        Assert.NotNull(me.Key);
        Assert.Equal(key.Id.Value, me.Key.Id);
        Assert.Equal(key.Prefix, me.Key.Prefix);
        Assert.Equal(["admin", "read"], me.Scopes);
        Assert.Equal(new LimitUsageDto(120, 17), me.Usage.RequestsPerMinute);
        Assert.Equal(new LimitUsageDto(4, 2), me.Usage.MaxConcurrentJobs);
        Assert.Equal(new LimitUsageDto(10, 5), me.Usage.MaxQueuedJobs);
        Assert.Equal(new LimitUsageDto(5000, 1234), me.Usage.StorageBytes);
        Assert.Equal(new LimitUsageDto(600, null), me.Usage.MaxMediaSeconds);
        Assert.Equal(new LimitUsageDto(30, null), me.Usage.RetentionDays);
    }

    [Fact]
    public async Task Me_without_a_key_shows_no_key_and_null_limits_where_none_are_set()
    {
        var tenant = Tenant.Create("acme", null, _now).Value;
        _context.Set(tenant.Id, TenantLimits.None);
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        _usage.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(new TenantUsage(0, 1, 99));

        var result = await GetMe().Handle(new GetMeQuery(), default);

        Assert.Null(result.Value.Key);
        Assert.Empty(result.Value.Scopes);
        Assert.Equal(new LimitUsageDto(null, null), result.Value.Usage.RequestsPerMinute);
        Assert.Null(result.Value.Usage.StorageBytes.Limit);
        Assert.Equal(99, result.Value.Usage.StorageBytes.Used);
        await _keys.DidNotReceiveWithAnyArgs().GetAsync(default, default, default);
    }

    [Fact]
    public async Task Me_for_a_tenant_deleted_since_authentication_is_not_found()
    {
        _context.Set(TenantId.New(), TenantLimits.None);

        var result = await GetMe().Handle(new GetMeQuery(), default);

        Assert.Equal("tenant.not_found", result.Error?.Code);
    }

    private Tenant KnownTenant()
    {
        var tenant = Tenant.Create("acme", null, _now).Value;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        return tenant;
    }

    private CreateTenantHandler CreateTenant() => new(_tenants, _time, _mapper);

    private UpdateTenantHandler UpdateTenant() => new(_tenants, _authenticator, _callbacks, _time, _mapper);

    private DeleteTenantHandler DeleteTenant() => new(_eraser, _authenticator, _context);

    private CreateApiKeyHandler CreateApiKey() => new(_tenants, _keys, _time);

    private RevokeApiKeyHandler RevokeApiKey() => new(_keys, _authenticator, _callbacks, _time);

    private GetMeHandler GetMe() => new(_context, _tenants, _keys, _usage, _rates, _mapper);
}
