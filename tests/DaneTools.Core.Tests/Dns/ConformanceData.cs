using System;
using System.IO;
using System.Text.Json;

namespace DaneTools.Core.Tests.Dns;

/// <summary>Locates and loads /work/shared/conformance files by walking up from the test assembly.</summary>
internal static class ConformanceData
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static JsonDocument Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, relativePath)));

    public static JsonElement RfcVectors(string fileName) => Load(Path.Combine("rfc-vectors", fileName)).RootElement;

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "conformance"), Path.Combine(dir.FullName, "..", "shared", "conformance") })
            {
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException("shared/conformance not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds the presentation line of a conformance <c>records[]</c> entry.</summary>
    public static string Line(JsonElement record)
    {
        var ttl = record.TryGetProperty("ttl", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetUInt32().ToString() : "0";
        return $"{record.GetProperty("owner").GetString()} {ttl} {record.GetProperty("class").GetString()} {record.GetProperty("type").GetString()} {record.GetProperty("rdata").GetString()}";
    }
}
