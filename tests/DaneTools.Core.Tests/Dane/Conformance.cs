using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DaneTools.Core.Tests.Dane;

/// <summary>Paths into the repository's tests/conformance (see <see cref="Dns.ConformanceData"/>), and reads OpenSSL's danetest.in.</summary>
internal static class Conformance
{
    public static string Root => Dns.ConformanceData.Root;

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());
}

/// <summary>One test block of OpenSSL's danetest.in.</summary>
internal sealed class DanetestBlock
{
    public int Number { get; init; }
    public int Line { get; init; }
    public int TlsaCount { get; init; }
    public int CertCount { get; init; }
    public bool NoNameChecks { get; init; }
    public int ExpectedResult { get; init; }
    public int ExpectedDepth { get; init; }
    public List<string> TlsaLines { get; } = new();
    public List<byte[]> Chain { get; } = new();
}

/// <summary>
/// Reads danetest.in as the OpenSSL driver does (openssl-dane/README.md): a header of five integers, exactly
/// TLSA-count record lines, then cert-count PEM certificates with any text before each BEGIN line skipped.
/// </summary>
internal static class DanetestFile
{
    private static readonly Regex s_header = new(@"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(-?\d+)\s*$");
    private static readonly Dictionary<string, List<DanetestBlock>> s_cache = new();

    public const string Primary = "danetest.in";
    public const string Supplementary = "supplementary/danetest-openssl-3.2-90e67e72.in";

    public static List<DanetestBlock> Load(string relative)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(relative, out var blocks))
            {
                blocks = Parse(File.ReadAllLines(Conformance.PathOf("openssl-dane", relative)));
                s_cache[relative] = blocks;
            }
            return blocks;
        }
    }

    public static List<DanetestBlock> Parse(string[] lines)
    {
        var blocks = new List<DanetestBlock>();
        int i = 0;
        while (i < lines.Length)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) { i++; continue; }
            var m = s_header.Match(line);
            if (!m.Success) throw new FormatException($"line {i + 1}: expected a test header, got '{line}'");
            int F(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            var block = new DanetestBlock
            {
                Number = blocks.Count + 1, Line = i + 1, TlsaCount = F(1), CertCount = F(2), NoNameChecks = F(3) != 0,
                ExpectedResult = F(4), ExpectedDepth = F(5),
            };
            i++;
            for (int t = 0; t < block.TlsaCount; t++, i++) block.TlsaLines.Add(lines[i].Trim());
            for (int c = 0; c < block.CertCount; c++)
            {
                while (lines[i].Trim() != "-----BEGIN CERTIFICATE-----") i++;
                i++;
                var b64 = new System.Text.StringBuilder();
                while (lines[i].Trim() != "-----END CERTIFICATE-----") b64.Append(lines[i++].Trim());
                i++;
                block.Chain.Add(Convert.FromBase64String(b64.ToString()));
            }
            blocks.Add(block);
        }
        return blocks;
    }

    public static byte[] ReadPem(string path)
    {
        var text = File.ReadAllText(path);
        var start = text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) + "-----BEGIN CERTIFICATE-----".Length;
        var end = text.IndexOf("-----END CERTIFICATE-----", start, StringComparison.Ordinal);
        return Convert.FromBase64String(Regex.Replace(text.Substring(start, end - start), @"\s", string.Empty));
    }
}
