using System.Text.RegularExpressions;

namespace MediaPlatform.Architecture.Tests;

/// <summary>
/// ADR 0001's modules (Jobs, Media, Transcriptions, Analyses, Tenants) are folders in every layer; in Application a
/// module's use cases are its own: a use case of one module never uses a use case (command, query, handler,
/// validator) of another. Modules share the domain, their DTOs and Common, not each other's use cases.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    private static readonly string[] Modules = ["Jobs", "Media", "Transcriptions", "Analyses", "Tenants"];

    [Fact]
    public void A_use_case_uses_no_use_case_of_another_module()
    {
        var application = Path.Combine(SourceRoot(), "MediaPlatform.Application");
        var offences = new List<string>();
        foreach (var module in Modules)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(application, module), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in UseCaseReference().Matches(File.ReadAllText(file)))
                {
                    var (other, useCase) = (match.Groups["module"].Value, match.Groups["useCase"].Value);
                    if (other != module && Modules.Contains(other) && Directory.Exists(Path.Combine(application, other, useCase)))
                    {
                        offences.Add($"{Path.GetRelativePath(application, file)} uses {other}.{useCase}");
                    }
                }
            }
        }

        Assert.Empty(offences);
    }

    [Fact]
    public void Every_module_is_a_folder_in_the_domain_and_in_application()
    {
        foreach (var module in Modules)
        {
            Assert.True(Directory.Exists(Path.Combine(SourceRoot(), "MediaPlatform.Domain", module)), $"Domain has no {module} folder");
            Assert.True(Directory.Exists(Path.Combine(SourceRoot(), "MediaPlatform.Application", module)), $"Application has no {module} folder");
        }
    }

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MediaPlatform.sln")))
            {
                return Path.Combine(dir.FullName, "src");
            }
        }

        throw new InvalidOperationException("MediaPlatform.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"MediaPlatform\.Application\.(?<module>[A-Z]\w*)\.(?<useCase>[A-Z]\w*)")]
    private static partial Regex UseCaseReference();
}
