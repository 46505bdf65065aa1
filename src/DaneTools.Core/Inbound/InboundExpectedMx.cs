using System;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Inbound;

/// <summary>Reads the MX host from what Exchange Online's cmdlets print.</summary>
public static class InboundExpectedMx
{
    /// <summary>
    /// Reads the host from Enable-DnssecForVerifiedDomain's DnssecMxValue (<c>contoso-com.e-v1.mx.microsoft</c>) or
    /// Get-DnssecStatusForVerifiedDomain's ExpectedMxRecord (<c>@ 60 IN MX 10 contoso-com.e-v1.mx.microsoft</c>): the last token.
    /// </summary>
    /// <param name="text">The value; null or blank gives no host.</param>
    /// <param name="host">The host name, lower case, without trailing dot; null when <paramref name="text"/> is blank.</param>
    /// <returns>False when the text ends in something that is not a host name.</returns>
    public static bool TryParse(string? text, out string? host)
    {
        host = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var tokens = text!.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        var last = tokens[tokens.Length - 1];
        if (!DnsName.TryParse(last, out var name) || name!.IsRoot || name.ToString().TrimEnd('.').IndexOf('.') < 0) return false;
        host = name.ToString().TrimEnd('.').ToLowerInvariant();
        return true;
    }
}
