using System;

namespace DaneTools.Core.Sts;

/// <summary>Matches an MX host against a policy's mx pattern (RFC 8461 section 4.1).</summary>
/// <remarks>Case-insensitive; a trailing dot on the host is ignored; <c>*.example.com</c> stands for exactly one extra
/// left-most label (it covers <c>mx1.example.com</c>, neither <c>example.com</c> nor <c>a.b.example.com</c>).</remarks>
public static class MtaStsMxPattern
{
    /// <summary>Gets whether <paramref name="pattern"/> covers <paramref name="mxHost"/>.</summary>
    /// <param name="pattern">An mx pattern from a policy.</param>
    /// <param name="mxHost">The MX host name.</param>
    /// <returns>True when the pattern covers the host.</returns>
    public static bool Matches(string? pattern, string? mxHost)
    {
        var p = Normalize(pattern);
        var h = Normalize(mxHost);
        if (p.Length == 0 || h.Length == 0) return false;
        if (!p.StartsWith("*.", StringComparison.Ordinal)) return string.Equals(p, h, StringComparison.Ordinal);
        var suffix = p.Substring(1); // ".example.com"
        if (!h.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var label = h.Substring(0, h.Length - suffix.Length);
        return label.Length > 0 && label.IndexOf('.') < 0;
    }

    private static string Normalize(string? name)
    {
        var n = (name ?? string.Empty).Trim();
        if (n.EndsWith(".", StringComparison.Ordinal)) n = n.Substring(0, n.Length - 1);
        return n.ToLowerInvariant();
    }
}
