using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests;

/// <summary>
/// The engine's allowed arrows (docs/DESIGN.md section 2): a forbidden reference between the parts of
/// src/DaneTools.Core fails here, read from the source tree.
/// </summary>
public sealed class ArchitectureTests
{
    // Part (folder under src/DaneTools.Core) -> the parts it must not name.
    private static readonly Dictionary<string, string[]> Forbidden = new(StringComparer.Ordinal)
    {
        // The transport knows nothing of validation, DANE, SMTP or delivery.
        ["Dns"] = new[] { "Dnssec", "Dane", "Smtp", "Delivery", "Reporting" },
        // DNSSEC knows nothing of DANE, SMTP, delivery or the mail NDR vocabulary.
        ["Dnssec"] = new[] { "Dane", "Smtp", "Delivery", "Reporting" },
        ["Crypto"] = new[] { "Dnssec", "Dane", "Smtp", "Delivery", "Reporting" },
        // The SMTP session and probe sit below the policy: they name neither it nor delivery.
        ["Smtp"] = new[] { "Dnssec", "Dane", "Delivery" },
        // The policy calls the probe; delivery sits above the policy, never the other way round.
        ["Dane"] = new[] { "Delivery" },
        ["Reporting"] = new[] { "Dns", "Dnssec", "Dane", "Smtp", "Delivery", "Crypto" },
        // The owner report (Export-DaneReport) reads results by property name, so live and deserialised results take one
        // path; it names Dns and Crypto only to compute the DS a parent should hold from a DNSKEY.
        ["Reporting/Owner"] = new[] { "Dnssec", "Dane", "Smtp", "Delivery" },
    };

    private static readonly Regex PartReference = new(@"\bDaneTools\.Core\.(?<part>Dns|Dnssec|Crypto|Dane|Smtp|Delivery|Reporting)\b", RegexOptions.Compiled);

    private static string CoreSource => Path.GetFullPath(Path.Combine(ConformanceData.Root, "..", "..", "src", "DaneTools.Core"));

    /// <summary>Returns the forbidden references in one file's text, as "part -> part (line n)".</summary>
    internal static List<string> Violations(string part, string text)
    {
        var found = new List<string>();
        if (!Forbidden.TryGetValue(part, out var banned)) banned = Array.Empty<string>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("namespace ", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("///", StringComparison.Ordinal)) continue;
            if (line.Contains("System.Management.Automation", StringComparison.Ordinal)) found.Add($"{part} -> PowerShell (line {i + 1})");
            foreach (Match m in PartReference.Matches(line))
            {
                if (banned.Contains(m.Groups["part"].Value)) found.Add($"{part} -> {m.Groups["part"].Value} (line {i + 1})");
            }
        }
        return found;
    }

    [Fact]
    public void Engine_NamesNoForbiddenPart()
    {
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(CoreSource, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(CoreSource, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            var part = relative.Contains(Path.DirectorySeparatorChar) ? relative.Substring(0, relative.IndexOf(Path.DirectorySeparatorChar)) : string.Empty;
            // A sub-part with rules of its own (e.g. Reporting/Owner) is judged by them, not by its parent folder's.
            var sub = Forbidden.Keys.FirstOrDefault(k => k.Contains('/') && relative.Replace(Path.DirectorySeparatorChar, '/').StartsWith(k + "/", StringComparison.Ordinal));
            if (sub is not null) part = sub;
            violations.AddRange(Violations(part, File.ReadAllText(file)).Select(v => $"{relative}: {v}"));
        }
        Assert.True(violations.Count == 0, "Forbidden references:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Engine_HasEveryPartTheRulesName()
    {
        foreach (var part in Forbidden.Keys) Assert.True(Directory.Exists(Path.Combine(CoreSource, part.Replace('/', Path.DirectorySeparatorChar))), part);
    }

    [Theory]
    [InlineData("Dnssec", "using DaneTools.Core.Dane;", true)]
    [InlineData("Dns", "var x = new DaneTools.Core.Dnssec.ChainValidator(source);", true)]
    [InlineData("Smtp", "using DaneTools.Core.Dane.Policy;", true)]
    [InlineData("Dane", "using DaneTools.Core.Delivery;", true)]
    [InlineData("Dane", "using System.Management.Automation;", true)]
    [InlineData("Dane", "using DaneTools.Core.Smtp;", false)]
    [InlineData("Delivery", "using DaneTools.Core.Dane;", false)]
    [InlineData("Dnssec", "namespace DaneTools.Core.Dnssec;", false)]
    [InlineData("Reporting/Owner", "using DaneTools.Core.Dns;", false)]
    [InlineData("Reporting/Owner", "using DaneTools.Core.Dane;", true)]
    [InlineData("Reporting", "using DaneTools.Core.Dns;", true)]
    public void Violations_ReadsTheArrowsOfOneFile(string part, string line, bool forbidden)
    {
        Assert.Equal(forbidden, Violations(part, line).Count > 0);
    }
}
