using System.IO;
using System.Linq;
using System.Text.Json;

namespace DaneTools.Core.Tests.Dane;

/// <summary>Reads the RFC vector files of the conformance corpus.</summary>
internal static class RfcVectors
{
    public static JsonElement File(string name) =>
        JsonDocument.Parse(System.IO.File.ReadAllText(Conformance.PathOf("rfc-vectors", name))).RootElement;

    public static JsonElement Case(string file, string id) =>
        File(file).GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
}
