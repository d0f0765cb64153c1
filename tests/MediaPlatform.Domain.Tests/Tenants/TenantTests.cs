using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Tests.Tenants;

public sealed class TenantTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _later = _t0.AddMinutes(5);

    private static readonly string[] _allLimitNames =
        ["requestsPerMinute", "maxConcurrentJobs", "maxQueuedJobs", "storageBytes", "maxMediaSeconds", "retentionDays"];

    public static TheoryData<string> InvalidNames() => new()
    {
        string.Empty,
        "   ",
        "\t\n",
        new string('a', Tenant.MaxNameLength + 1),
        "ac\u0000me",
        "two\nlines",
        "bell\u0007",
        "esc\u001b[31m",
    };

    [Fact]
    public void A_new_tenant_has_its_trimmed_name_no_limits_and_its_creation_time()
    {
        var result = Tenant.Create("  acme  ", null, _t0);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tenant = result.Value;
        Assert.Equal("acme", tenant.Name);
        Assert.Equal(TenantLimits.None, tenant.Limits);
        Assert.Null(tenant.Limits.RequestsPerMinute);
        Assert.Null(tenant.Limits.StorageBytes);
        Assert.Equal(_t0, tenant.CreatedAt);
        Assert.Equal(_t0, tenant.UpdatedAt);
        Assert.NotEqual(Guid.Empty, tenant.Id.Value);
    }

    [Fact]
    public void A_tenant_created_with_an_id_keeps_that_id()
    {
        var id = TenantId.New();

        var tenant = Tenant.Create(id, "acme", null, _t0).Value;

        Assert.Equal(id, tenant.Id);
    }

    [Fact]
    public void Two_new_tenants_have_different_ids() =>
        Assert.NotEqual(Tenant.Create("a", null, _t0).Value.Id, Tenant.Create("a", null, _t0).Value.Id);

    [Fact]
    public void A_name_of_the_maximum_length_is_accepted_even_with_surrounding_spaces()
    {
        var name = new string('n', Tenant.MaxNameLength);

        var tenant = Tenant.Create("  " + name + "  ", null, _t0).Value;

        Assert.Equal(name, tenant.Name);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void An_empty_too_long_or_control_character_name_is_refused(string name)
    {
        var result = Tenant.Create(name, null, _t0);

        Assert.True(result.IsFailure);
        Assert.Equal("tenant.name_invalid", result.Error!.Code);
        Assert.Equal(ErrorType.Validation, result.Error.Type);
    }

    [Theory]
    [InlineData("requestsPerMinute", 0)]
    [InlineData("maxConcurrentJobs", 0)]
    [InlineData("maxQueuedJobs", 0)]
    [InlineData("storageBytes", 0)]
    [InlineData("maxMediaSeconds", 0)]
    [InlineData("retentionDays", 0)]
    [InlineData("requestsPerMinute", -1)]
    [InlineData("maxConcurrentJobs", -5)]
    [InlineData("maxQueuedJobs", -1)]
    [InlineData("storageBytes", -1)]
    [InlineData("maxMediaSeconds", -60)]
    [InlineData("retentionDays", -1)]
    public void A_limit_below_one_is_refused_with_a_message_naming_it(string limit, int value)
    {
        var result = Tenant.Create("acme", LimitsWith(limit, value), _t0);

        Assert.True(result.IsFailure);
        Assert.Equal("tenant.limits_invalid", result.Error!.Code);
        Assert.Equal(ErrorType.Validation, result.Error.Type);
        Assert.Contains(limit, result.Error.Message, StringComparison.Ordinal);
        foreach (var other in _allLimitNames.Where(n => n != limit))
        {
            Assert.DoesNotContain(other, result.Error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("requestsPerMinute", TenantLimits.MaxRequestsPerMinute + 1L)]
    [InlineData("maxConcurrentJobs", TenantLimits.MaxJobs + 1L)]
    [InlineData("maxQueuedJobs", TenantLimits.MaxJobs + 1L)]
    [InlineData("maxMediaSeconds", TenantLimits.MaxMediaSecondsLimit + 1L)]
    [InlineData("retentionDays", TenantLimits.MaxRetentionDays + 1L)]
    public void A_limit_above_its_maximum_is_refused(string limit, long value)
    {
        var result = Tenant.Create("acme", LimitsWith(limit, value), _t0);

        Assert.Equal("tenant.limits_invalid", result.Error?.Code);
        Assert.Contains(limit, result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_limit_out_of_range_is_named_in_the_message()
    {
        var result = Tenant.Create("acme", new TenantLimits(0, 0, 0, 0, 0, 0), _t0);

        Assert.Equal("tenant.limits_invalid", result.Error?.Code);
        foreach (var name in _allLimitNames)
        {
            Assert.Contains(name, result.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Limits_of_one_and_limits_at_their_maximum_are_accepted()
    {
        var ones = new TenantLimits(1, 1, 1, 1, 1, 1);
        var maxima = new TenantLimits(
            TenantLimits.MaxRequestsPerMinute,
            TenantLimits.MaxJobs,
            TenantLimits.MaxJobs,
            long.MaxValue,
            TenantLimits.MaxMediaSecondsLimit,
            TenantLimits.MaxRetentionDays);

        Assert.Equal(ones, Tenant.Create("a", ones, _t0).Value.Limits);
        Assert.Equal(maxima, Tenant.Create("b", maxima, _t0).Value.Limits);
    }

    [Fact]
    public void Renaming_trims_the_name_and_updates_only_the_update_time()
    {
        var tenant = Tenant.Create("acme", null, _t0).Value;

        var result = tenant.Rename("  acme corp ", _later);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("acme corp", tenant.Name);
        Assert.Equal(_later, tenant.UpdatedAt);
        Assert.Equal(_t0, tenant.CreatedAt);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void An_invalid_new_name_is_refused_and_changes_nothing(string name)
    {
        var tenant = Tenant.Create("acme", null, _t0).Value;

        var result = tenant.Rename(name, _later);

        Assert.Equal("tenant.name_invalid", result.Error?.Code);
        Assert.Equal("acme", tenant.Name);
        Assert.Equal(_t0, tenant.UpdatedAt);
    }

    [Fact]
    public void Changing_limits_replaces_them_and_updates_the_update_time()
    {
        var tenant = Tenant.Create("acme", new TenantLimits(RequestsPerMinute: 60), _t0).Value;
        var limits = new TenantLimits(MaxQueuedJobs: 5, RetentionDays: 30);

        var result = tenant.ChangeLimits(limits, _later);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(limits, tenant.Limits);
        Assert.Null(tenant.Limits.RequestsPerMinute);
        Assert.Equal(_later, tenant.UpdatedAt);
        Assert.Equal(_t0, tenant.CreatedAt);
    }

    [Fact]
    public void Invalid_limits_are_refused_and_change_nothing()
    {
        var before = new TenantLimits(RequestsPerMinute: 60, StorageBytes: 1000);
        var tenant = Tenant.Create("acme", before, _t0).Value;

        var result = tenant.ChangeLimits(new TenantLimits(RequestsPerMinute: 120, StorageBytes: 0), _later);

        Assert.Equal("tenant.limits_invalid", result.Error?.Code);
        Assert.Contains("storageBytes", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(before, tenant.Limits);
        Assert.Equal(_t0, tenant.UpdatedAt);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(TenantLimits.MaxRetentionDays)]
    public void With_retention_a_row_expires_that_many_days_after_its_creation(int days)
    {
        var createdAt = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.FromHours(2));

        var expiry = new TenantLimits(RetentionDays: days).ExpiryOf(createdAt);

        Assert.Equal(createdAt.AddDays(days), expiry);
        Assert.Equal(TimeSpan.FromDays(days), expiry!.Value - createdAt);
    }

    [Fact]
    public void Without_retention_a_row_never_expires()
    {
        Assert.Null(TenantLimits.None.ExpiryOf(_t0));
        Assert.Null(new TenantLimits(RequestsPerMinute: 5, StorageBytes: 10).ExpiryOf(_t0));
    }

    private static TenantLimits LimitsWith(string limit, long value) => limit switch
    {
        "requestsPerMinute" => new TenantLimits(RequestsPerMinute: (int)value),
        "maxConcurrentJobs" => new TenantLimits(MaxConcurrentJobs: (int)value),
        "maxQueuedJobs" => new TenantLimits(MaxQueuedJobs: (int)value),
        "storageBytes" => new TenantLimits(StorageBytes: value),
        "maxMediaSeconds" => new TenantLimits(MaxMediaSeconds: (int)value),
        "retentionDays" => new TenantLimits(RetentionDays: (int)value),
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, "Not a limit."),
    };
}
