using System.Reflection;
using System.Runtime.CompilerServices;
using MediaPlatform.Application;
using MediaPlatform.Domain.Common;
using MediaPlatform.Infrastructure.Persistence;
using MediatR;

namespace MediaPlatform.Architecture.Tests;

/// <summary>The dependency rules of ARCHITECTURE.md section 2, read from the compiled assemblies.</summary>
public sealed class DependencyRuleTests
{
    private static readonly Assembly _domain = typeof(Result).Assembly;
    private static readonly Assembly _application = typeof(DependencyInjection).Assembly;
    private static readonly Assembly _infrastructure = typeof(MediaPlatformDbContext).Assembly;
    private static readonly Assembly _api = typeof(Program).Assembly;

    [Fact]
    public void The_domain_references_nothing_beyond_the_base_class_library()
    {
        var references = _domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name == "System" || name.StartsWith("System.", StringComparison.Ordinal) || name == "netstandard", $"Domain references {name}"));
    }

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Npgsql")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("MediaPlatform.Infrastructure")]
    [InlineData("MediaPlatform.Api")]
    public void The_application_layer_does_not_reference(string forbidden) =>
        Assert.DoesNotContain(_application.GetReferencedAssemblies(), a => a.Name!.StartsWith(forbidden, StringComparison.Ordinal));

    [Fact]
    public void The_application_layer_uses_only_the_domain_and_its_card_packages()
    {
        string[] allowed = ["System", "netstandard", "MediaPlatform.Domain", "MediatR", "FluentValidation", "Mapster", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions"];

        Assert.All(_application.GetReferencedAssemblies(), a => Assert.True(
            allowed.Any(p => a.Name == p || a.Name!.StartsWith(p + ".", StringComparison.Ordinal)),
            $"Application references {a.Name}"));
    }

    [Fact]
    public void Infrastructure_does_not_reference_the_api() =>
        Assert.DoesNotContain(_infrastructure.GetReferencedAssemblies(), a => a.Name == "MediaPlatform.Api");

    [Fact]
    public void Only_the_api_wires_the_layers_together()
    {
        Assert.Contains(_api.GetReferencedAssemblies(), a => a.Name == "MediaPlatform.Infrastructure");
        Assert.Contains(_api.GetReferencedAssemblies(), a => a.Name == "MediaPlatform.Application");
        Assert.DoesNotContain(_domain.GetReferencedAssemblies(), a => a.Name!.StartsWith("MediaPlatform.", StringComparison.Ordinal));
    }

    [Fact]
    public void Aggregates_expose_no_public_setters()
    {
        var aggregates = _domain.GetTypes().Where(t => !t.IsAbstract && IsAggregate(t));

        Assert.All(aggregates.SelectMany(t => t.GetProperties()), p =>
            Assert.False(p.SetMethod?.IsPublic == true, $"{p.DeclaringType!.Name}.{p.Name} has a public setter"));
    }

    [Fact]
    public void Handlers_depend_on_abstractions_or_plain_settings_only()
    {
        var handlers = _application.GetTypes().Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)));

        // Services are interfaces or abstract classes (TimeProvider) so tests substitute them; settings are records.
        Assert.All(handlers.SelectMany(h => h.GetConstructors().SelectMany(c => c.GetParameters())), p =>
            Assert.True(
                p.ParameterType.IsInterface || p.ParameterType.IsAbstract || IsRecord(p.ParameterType),
                $"{p.Member.DeclaringType!.Name} takes the concrete service {p.ParameterType.Name}"));
    }

    private static bool IsRecord(Type type) =>
        type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null;

    [Theory]
    [InlineData("MediaPlatform.Domain")]
    [InlineData("MediaPlatform.Application")]
    [InlineData("MediaPlatform.Infrastructure")]
    public void Classes_are_sealed_unless_designed_for_inheritance(string assemblyName)
    {
        var assembly = new[] { _domain, _application, _infrastructure }.Single(a => a.GetName().Name == assemblyName);
        var types = assembly.GetTypes().Where(t => !t.IsNested).ToList();
        var baseTypes = types.Select(t => t.BaseType).Where(b => b is not null).Select(b => b!.IsGenericType ? b.GetGenericTypeDefinition() : b).ToHashSet();
        var unsealed = types.Where(t => t is { IsClass: true, IsSealed: false, IsAbstract: false }
            && !baseTypes.Contains(t)
            && t.GetCustomAttribute<CompilerGeneratedAttribute>() is null
            && t.Namespace?.Contains(".Migrations", StringComparison.Ordinal) != true
            && !t.Name.StartsWith('<'));

        Assert.Empty(unsealed.Select(t => t.FullName));
    }

    private static bool IsAggregate(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(AggregateRoot<>))
            {
                return true;
            }
        }

        return false;
    }
}
