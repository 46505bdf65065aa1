using System;
using System.IO;
using System.Linq;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests;

/// <summary>A clone anywhere passes its tests alone: the test data lives in the repository, nothing points outside it.</summary>
public class SelfContainedTests
{
    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(ConformanceData.Root, "..", ".."));

    [Fact]
    public void ConformanceData_IsFoundInsideTheRepository()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot, "DaneTools.sln")), RepositoryRoot);
        Assert.True(File.Exists(Path.Combine(ConformanceData.Root, "README.md")));
        Assert.True(Directory.EnumerateFiles(Path.Combine(ConformanceData.Root, "dnssec-replay"), "*.rpl", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void NoTestOrBuildFile_NamesTheSharedFolderBesideTheRepository()
    {
        var offenders = new[] { "tests", "build.ps1", "bench", ".ci", "demo" }
            .Select(p => Path.Combine(RepositoryRoot, p))
            .SelectMany(p => File.Exists(p) ? new[] { p }
                : Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : Array.Empty<string>())
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psm1", StringComparison.Ordinal)
                || f.EndsWith(".sh", StringComparison.Ordinal) || f.EndsWith(".py", StringComparison.Ordinal) || f.EndsWith("run", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != nameof(SelfContainedTests) + ".cs")
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("\"shared\", \"conformance\"") || File.ReadAllText(f).Contains("../shared") || File.ReadAllText(f).Contains("..\\shared"))
            .Select(f => Path.GetRelativePath(RepositoryRoot, f))
            .ToList();
        Assert.True(offenders.Count == 0, "Files that read outside the repository: " + string.Join(", ", offenders));
    }
}
