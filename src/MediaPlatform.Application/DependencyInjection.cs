using System.Reflection;
using FluentValidation;
using Mapster;
using MapsterMapper;
using MediaPlatform.Application.Common.Behaviors;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 without its DI package (docs/adr/0002-mediatr-5.md): the service factory, the mediator, the
    /// behaviours in pipeline order, and every handler found by one scan of this assembly. Validators and Mapster
    /// configurations are found the same way, so a new use case needs no registration line.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        services.AddScoped<ServiceFactory>(provider => provider.GetService);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped<Common.TransactionCallbacks>();
        services.AddScoped<Common.Messaging.DomainEventPublisher>();
        services.AddScoped<Common.Tenancy.TenantContext>();
        services.AddScoped<Common.Tenancy.ICurrentTenant>(provider => provider.GetRequiredService<Common.Tenancy.TenantContext>());
        services.AddScoped<Common.ITransactionCallbacks>(provider => provider.GetRequiredService<Common.TransactionCallbacks>());

        // Registration order is pipeline order: the first behaviour is the outermost.
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TracingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TransactionBehavior<,>));

        foreach (var (service, implementation) in HandlerTypes(assembly))
        {
            services.AddTransient(service, implementation);
        }

        services.AddScoped<Processing.IJobPipeline, Processing.JobPipeline>();
        // The steps of a job, in the order they run; a new step is one class and one line here.
        services.AddScoped<Processing.Steps.IJobStep, Processing.Steps.FetchStep>();
        services.AddScoped<Processing.Steps.IJobStep, Processing.Steps.ProbeStep>();
        services.AddScoped<Processing.Steps.IJobStep, Processing.Steps.ExtractStep>();
        services.AddScoped<Processing.Steps.IJobStep, Processing.Steps.TranscribeStep>();
        services.AddScoped<Processing.Steps.IJobStep, Processing.Steps.AnalyseStep>();
        services.AddSingleton<Processing.Chunking.ChunkedTranscriber>();
        services.AddSingleton<Processing.Chunking.QueuedPartsTranscriber>();
        services.AddSingleton<Processing.Chunking.PartDecoder>();
        services.AddSingleton<Processing.JobExecution>();

        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        // Messages name a field as clients write it ('limit' must be..., not 'Limit'): the JSON and query names.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);

        var mappings = CreateMappingConfig();
        services.AddSingleton(mappings);
        services.AddSingleton<IMapper>(new Mapper(mappings));
        return services;
    }

    /// <summary>The Mapster configuration of every module, strict: a destination member without a source is an error.</summary>
    public static TypeAdapterConfig CreateMappingConfig()
    {
        var config = new TypeAdapterConfig
        {
            RequireExplicitMapping = true,
            RequireDestinationMemberSource = true,
        };
        config.Scan(typeof(DependencyInjection).Assembly);
        return config;
    }

    /// <summary>Every closed IRequestHandler and INotificationHandler implemented by a concrete class of the assembly.</summary>
    internal static IEnumerable<(Type Service, Type Implementation)> HandlerTypes(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType
              && (service.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)
                  || service.GetGenericTypeDefinition() == typeof(INotificationHandler<>))
        select (service, type);
}
