using System;
using System.IO;
using System.Text.Json;

namespace DaneTools.Core.Tests.Dns;

/// <summary>Locates and loads the repository's tests/conformance files (found by walking up to DaneTools.sln).</summary>
internal static class ConformanceData
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static JsonDocument Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, relativePath)));

    public static JsonElement RfcVectors(string fileName) => Load(Path.Combine("rfc-vectors", fileName)).RootElement;

    // The repository carries its own copy (tests/conformance): a clone anywhere runs the suite on its own.
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DaneTools.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "tests", "conformance");
                if (Directory.Exists(candidate)) return candidate;
                break;
            }
        }
        throw new DirectoryNotFoundException("tests/conformance was not found in the repository above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds the presentation line of a conformance <c>records[]</c> entry.</summary>
    public static string Line(JsonElement record)
    {
        var ttl = record.TryGetProperty("ttl", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetUInt32().ToString() : "0";
        return $"{record.GetProperty("owner").GetString()} {ttl} {record.GetProperty("class").GetString()} {record.GetProperty("type").GetString()} {record.GetProperty("rdata").GetString()}";
    }
}
