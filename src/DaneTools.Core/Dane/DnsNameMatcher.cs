using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Dane;

/// <summary>
/// Checks a certificate's names against reference identifiers (RFC 7672 sections 3.2.2 and 3.2.3, RFC 6125):
/// DNS-ID subjectAltNames only when any are present, else the subject CNs; a wildcard is only a whole left-most
/// label <c>*</c> and stands for exactly one label.
/// </summary>
internal static class DnsNameMatcher
{
    public static bool Matches(IReadOnlyList<string> dnsNames, IReadOnlyList<string> commonNames, IEnumerable<string> referenceIdentifiers)
    {
        var presented = dnsNames.Count > 0 ? dnsNames : commonNames;
        foreach (var reference in referenceIdentifiers)
        {
            var r = Normalize(reference);
            if (r.Length == 0 || r.StartsWith("*", StringComparison.Ordinal)) continue;
            if (presented.Any(p => NameMatches(Normalize(p), r))) return true;
        }
        return false;
    }

    /// <summary>Matches one presented name (normalized) against one reference identifier (normalized).</summary>
    public static bool NameMatches(string presented, string reference)
    {
        if (presented.Length == 0) return false;
        if (!presented.StartsWith("*.", StringComparison.Ordinal))
        {
            // A '*' anywhere else (partial label, inner label) is not a wildcard and matches nothing sensible.
            return presented.IndexOf('*') < 0 && string.Equals(presented, reference, StringComparison.Ordinal);
        }
        var suffix = presented.Substring(1); // ".example.com"
        // The wildcard needs at least two labels after it (no "*.com") and no further '*'.
        if (suffix.IndexOf('*') >= 0 || suffix.Count(c => c == '.') < 2) return false;
        if (!reference.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var label = reference.Substring(0, reference.Length - suffix.Length);
        return label.Length > 0 && label.IndexOf('.') < 0;
    }

    /// <summary>Lower-cases ASCII and removes one trailing dot; U-labels are compared as given.</summary>
    public static string Normalize(string? name)
    {
        var n = (name ?? string.Empty).Trim();
        if (n.EndsWith(".", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
        var chars = n.ToCharArray();
        for (int i = 0; i < chars.Length; i++) if (chars[i] >= 'A' && chars[i] <= 'Z') chars[i] = (char)(chars[i] + 32);
        return new string(chars);
    }
}
