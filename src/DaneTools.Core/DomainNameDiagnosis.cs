using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace DaneTools.Core;

/// <summary>
/// Names the real cause when an input is not a domain name (issue 15): an IP address, an IPv6 literal, a label or a
/// name too long for DNS, or invalid Punycode each get their own words instead of one generic message.
/// </summary>
public static class DomainNameDiagnosis
{
    /// <summary>Longest input echoed whole in a message; longer inputs are cut (a 100,000-character value is not a message).</summary>
    internal const int MaxEchoLength = 80;

    private static readonly IdnMapping s_idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>Returns why the whole input is an object's text rather than a name, or null.</summary>
    internal static string? ObjectText(string text) =>
        text.StartsWith("@{", StringComparison.Ordinal) && text.EndsWith("}", StringComparison.Ordinal)
            ? "it has no DomainName, RecipientAddress, ExternalEmailAddress or PrimarySmtpAddress property" + PropertyNames(text)
            : null;

    /// <summary>Returns why <paramref name="text"/> (the domain part) is an IP address rather than a domain name, or null.</summary>
    internal static string? Address(string text)
    {
        if (text.IndexOf(':') >= 0 && IPAddress.TryParse(text.Trim('[', ']'), out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            return "it is an IPv6 address, not a domain name (mail is routed by the recipient's domain and its MX records)";
        if (IsDottedQuad(text))
            return "it is an IPv4 address, not a domain name (mail is routed by the recipient's domain and its MX records)";
        return null;
    }

    /// <summary>Returns why the name is not valid in DNS or IDNA terms , or
    /// null when the labels and length are fine and the generic message applies.</summary>
    internal static string? AfterMappingFailed(string text)
    {
        int octets = Encoding.UTF8.GetByteCount(text);
        if (octets > 253) return $"the name is {octets} octets long; a DNS name holds at most 253 (RFC 1035 section 2.3.4)";
        foreach (var label in text.Split('.'))
        {
            int length = Encoding.UTF8.GetByteCount(label);
            if (length > 63) return $"the label '{Shorten(label, 20)}' is {length} octets long; a DNS label holds at most 63 (RFC 1035 section 2.3.4)";
            if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                try { s_idn.GetUnicode(label); }
                catch (ArgumentException) { return $"the label '{label}' is not valid Punycode (an xn-- label must decode under RFC 3492 and IDNA 2008)"; }
            }
        }
        return null;
    }

    /// <summary>Returns how a message names the input: <c>'contoso.com'</c> quoted and cut (<see cref="Shorten"/>), or <c>the piped
    /// object</c> for an object PowerShell passed as its <c>@{...}</c> text.</summary>
    /// <param name="input">The input as given.</param>
    /// <returns>The words to put in the message.</returns>
    public static string Quote(string? input)
    {
        var t = (input ?? string.Empty).Trim();
        return ObjectText(t) is null ? "'" + Shorten(input) + "'" : "the piped object";
    }

    /// <summary>Returns the input as a message may quote it: whole up to <see cref="MaxEchoLength"/> characters, else its start
    /// and its length.</summary>
    public static string Shorten(string? input, int max = MaxEchoLength)
    {
        if (input is null) return string.Empty;
        return input.Length <= max ? input : input.Substring(0, max) + $"... ({input.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (var p in parts)
        {
            if (p.Length == 0 || p.Length > 3) return false;
            foreach (var c in p) if (c < '0' || c > '9') return false;
            if (int.Parse(p, CultureInfo.InvariantCulture) > 255) return false;
        }
        return true;
    }

    // PowerShell passes a [pscustomobject] that has none of the bound properties as its text, "@{Name=x; Id=1}".
    private static string PropertyNames(string text)
    {
        var names = new StringBuilder();
        foreach (var part in text.Substring(2, text.Length - 3).Split(new[] { "; " }, StringSplitOptions.None))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) continue;
            if (names.Length > 0) names.Append(", ");
            names.Append(part.Substring(0, eq));
        }
        return names.Length == 0 ? string.Empty : " (its properties: " + Shorten(names.ToString()) + ")";
    }
}
