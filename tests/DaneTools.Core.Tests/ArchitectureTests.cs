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
        // The transport knows nothing of validation, DANE, SMTP or delivery: whether a resolver answers is its own
        // question, whether the answers validate is Dnssec's.
        ["Dns"] = new[] { "Dnssec", "Dane", "Smtp", "Delivery", "Reporting", "Sts", "Outbound", "TlsRpt", "Inbound" },
        // DNSSEC knows nothing of DANE, SMTP, delivery or the mail NDR vocabulary.
        ["Dnssec"] = new[] { "Dane", "Smtp", "Delivery", "Reporting", "Sts", "Outbound", "TlsRpt", "Inbound" },
        ["Crypto"] = new[] { "Dnssec", "Dane", "Smtp", "Delivery", "Reporting", "Sts", "Outbound", "TlsRpt", "Inbound" },
        // The SMTP session and probe sit below the policy (Dane/Policy) and delivery: they name neither.
        ["Smtp"] = new[] { "Dnssec", "Dane", "Delivery", "Sts", "Outbound", "TlsRpt", "Inbound" },
        // The policy calls the probe; delivery sits above the policy and the SMTP session (it may name both), never
        // the other way round.
        ["Dane"] = new[] { "Delivery", "Sts", "Outbound", "TlsRpt", "Inbound" },
        // MTA-STS uses the resolver and report types of the policy part, never the SMTP session, delivery or the combiner.
        ["Sts"] = new[] { "Smtp", "Delivery", "Outbound", "TlsRpt", "Inbound" },
        // The combiner sits above DANE and MTA-STS; delivery may call it, never the other way round.
        ["Outbound"] = new[] { "Delivery", "TlsRpt", "Inbound" },
        ["Reporting"] = new[] { "Dns", "Dnssec", "Dane", "Smtp", "Delivery", "Crypto", "Sts", "Outbound", "TlsRpt", "Inbound" },
        // TLS-RPT reports sit on top (they read the results of Dane and Delivery); only the mail layer below them
        // (MimeKit) is theirs, never an SMTP session: reading a report opens no connection.
        ["TlsRpt"] = new[] { "Smtp", "Inbound" },
        ["Delivery"] = new[] { "TlsRpt", "Inbound" },
        // The owner report (Export-DaneReport) reads results by property name, so live and deserialised results take one
        // path; it names Dns and Crypto only to compute the DS a parent should hold from a DNSKEY.
        ["Reporting/Owner"] = new[] { "Dnssec", "Dane", "Smtp", "Delivery", "Sts", "Outbound", "TlsRpt", "Inbound" },
        // The inbound readiness part sits above DANE and MTA-STS; nothing below names it, and it sends no mail.
        ["Inbound"] = new[] { "Smtp", "Delivery", "Outbound", "TlsRpt" },
    };

    // A part named by its namespace (using, fully qualified) or, inside DaneTools.Core, relative to it (Dane.TlsaMatcher).
    private static readonly Regex PartReference = new(
        @"\bDaneTools\.Core\.(?<part>Dns|Dnssec|Crypto|Dane|Smtp|Delivery|Reporting|Sts|Outbound|TlsRpt|Inbound)\b|(?<![\w.])(?<part>Dns|Dnssec|Crypto|Dane|Smtp|Delivery|Reporting|Sts|Outbound|TlsRpt|Inbound)\.(?=[A-Z])",
        RegexOptions.Compiled);

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
    [InlineData("Dane", "using DaneTools.Core.Sts;", true)]
    [InlineData("Sts", "using DaneTools.Core.Smtp;", true)]
    [InlineData("Outbound", "using DaneTools.Core.Sts;", false)]
    [InlineData("Dane", "using DaneTools.Core.Inbound;", true)]
    [InlineData("Inbound", "using DaneTools.Core.Sts;", false)]
    [InlineData("Inbound", "using DaneTools.Core.Delivery;", true)]
    [InlineData("Delivery", "using DaneTools.Core.Dane;", false)]
    [InlineData("Dnssec", "namespace DaneTools.Core.Dnssec;", false)]
    [InlineData("Smtp", "using DaneTools.Core.Delivery;", true)]
    [InlineData("Smtp", "var checker = new Dane.DaneDomainChecker(resolver);", true)]
    [InlineData("Smtp", "global using DaneTools.Core.Dane;", true)]
    [InlineData("Smtp", "var host = System.Net.Dns.GetHostName();", false)]
    [InlineData("Delivery", "using DaneTools.Core.Smtp;", false)]
    [InlineData("Delivery", "var c = new Dane.DaneDomainChecker(resolver);", false)]
    [InlineData("Dns", "using DaneTools.Core.Dnssec;", true)]
    [InlineData("Dns", "catch (Dnssec.TrustAnchorException) { }", true)]
    [InlineData("Dane", "using DaneTools.Core.TlsRpt;", true)]
    [InlineData("TlsRpt", "using DaneTools.Core.Smtp;", true)]
    [InlineData("TlsRpt", "using DaneTools.Core.Reporting;", false)]
    [InlineData("Reporting/Owner", "using DaneTools.Core.Dns;", false)]
    [InlineData("Reporting/Owner", "using DaneTools.Core.Dane;", true)]
    [InlineData("Reporting", "using DaneTools.Core.Dns;", true)]
    public void Violations_ReadsTheArrowsOfOneFile(string part, string line, bool forbidden)
    {
        Assert.Equal(forbidden, Violations(part, line).Count > 0);
    }

    // Records reach the policy typed (issue 19): above Dns/ nothing decodes RDATA by hand or parses validated records back
    // from their text; the readers in Dns/ (MxRdata, AddressRdata, NameTargetRdata, TlsaRdata, ...) do it once.
    private static readonly string[] HandDecoding = { "RdataBytes", "ReadWire(", "ResourceRecord.Parse(", "ResourceRecord.TryParse(" };

    [Theory]
    [InlineData("Dane")]
    [InlineData("Delivery")]
    public void Policy_ReadsRecordsOnlyThroughTheDnsReaders(string part)
    {
        var found = Directory.EnumerateFiles(Path.Combine(CoreSource, part), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadAllLines(f).Select((l, i) => (File: Path.GetFileName(f), Line: i + 1, Text: l)))
            .Where(l => HandDecoding.Any(h => l.Text.Contains(h, StringComparison.Ordinal)))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, "Decoded by hand above Dns/: " + string.Join(Environment.NewLine, found));
    }

    // The verdict rules of DESIGN section 6 are a pure table: no resolver, prober, task or socket, so every row is a test without DNS.
    [Fact]
    public void VerdictTable_IsPure()
    {
        var text = File.ReadAllText(Path.Combine(CoreSource, "Dane", "Policy", "DaneVerdictTable.cs"));
        var impure = new[] { "IValidatedResolver", "ISmtpProber", "Task", "await ", "Socket", "CancellationToken", "DateTime.UtcNow" }
            .Where(w => text.Contains(w, StringComparison.Ordinal)).ToList();
        Assert.True(impure.Count == 0, "DaneVerdictTable names " + string.Join(", ", impure));
    }
}
