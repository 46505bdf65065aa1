using System;
using System.Globalization;

namespace DaneTools.Core.Dns;

/// <summary>Converts record types and classes to and from their presentation mnemonics (RFC 3597 section 5).</summary>
public static class DnsRecordTypeText
{
    /// <summary>Returns the mnemonic of a type, or <c>TYPEnnn</c> when it has none.</summary>
    /// <param name="type">The type.</param>
    /// <returns>For example <c>AAAA</c> or <c>TYPE1234</c>.</returns>
    public static string ToText(DnsRecordType type) =>
        s_names.TryGetValue(type, out var name) ? name : "TYPE" + ((ushort)type).ToString(CultureInfo.InvariantCulture);

    // Built once: ToText runs for every RRset a validation checks, and Enum.ToString boxes and searches each time.
    private static readonly System.Collections.Generic.Dictionary<DnsRecordType, string> s_names = BuildNames();
    private static readonly System.Collections.Generic.Dictionary<string, DnsRecordType> s_types = BuildTypes();

    private static System.Collections.Generic.Dictionary<DnsRecordType, string> BuildNames()
    {
        var names = new System.Collections.Generic.Dictionary<DnsRecordType, string>();
        foreach (DnsRecordType t in Enum.GetValues(typeof(DnsRecordType)))
        {
            if (!names.ContainsKey(t)) names.Add(t, t.ToString());
        }
        return names;
    }

    private static System.Collections.Generic.Dictionary<string, DnsRecordType> BuildTypes()
    {
        var types = new System.Collections.Generic.Dictionary<string, DnsRecordType>(StringComparer.OrdinalIgnoreCase);
        foreach (DnsRecordType t in Enum.GetValues(typeof(DnsRecordType)))
        {
            var name = t.ToString();
            if (!types.ContainsKey(name)) types.Add(name, t);
        }
        return types;
    }

    /// <summary>Parses a type mnemonic (case-insensitive) or <c>TYPEnnn</c>.</summary>
    /// <param name="text">The mnemonic.</param>
    /// <param name="type">The type, or 0 when parsing failed.</param>
    /// <returns>True when the text names a type.</returns>
    public static bool TryParse(string? text, out DnsRecordType type)
    {
        type = 0;
        if (string.IsNullOrEmpty(text)) return false;
        if (text!.Length > 4 && text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase))
        {
            if (ushort.TryParse(text.Substring(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                type = (DnsRecordType)n;
                return true;
            }
            return false;
        }
        if (!char.IsLetter(text[0])) return false;
        return s_types.TryGetValue(text, out type);
    }

    /// <summary>Returns the mnemonic of a class: <c>IN</c>, <c>CH</c>, <c>HS</c>, <c>ANY</c> or <c>CLASSnnn</c>.</summary>
    /// <param name="recordClass">The class number.</param>
    /// <returns>The mnemonic.</returns>
    public static string ClassToText(ushort recordClass) => recordClass switch
    {
        1 => "IN",
        3 => "CH",
        4 => "HS",
        255 => "ANY",
        _ => "CLASS" + recordClass.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a class mnemonic (case-insensitive) or <c>CLASSnnn</c>.</summary>
    /// <param name="text">The mnemonic.</param>
    /// <param name="recordClass">The class number, or 0 when parsing failed.</param>
    /// <returns>True when the text names a class.</returns>
    public static bool TryParseClass(string? text, out ushort recordClass)
    {
        recordClass = 0;
        if (string.IsNullOrEmpty(text)) return false;
        switch (text!.ToUpperInvariant())
        {
            case "IN": recordClass = 1; return true;
            case "CH": recordClass = 3; return true;
            case "HS": recordClass = 4; return true;
        }
        return text.Length > 5 && text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.Substring(5), NumberStyles.None, CultureInfo.InvariantCulture, out recordClass);
    }
}
