using System;
using System.Linq;
using DaneTools.Core.Reporting;

namespace DaneTools.Core.Dane;

/// <summary>
/// The few words a table row has room for (issue 15: the default views fit 80 columns): what decided the verdict and,
/// where one host decided it, that host. The full sentence stays in <see cref="DaneDomainResult.Reason"/>.
/// </summary>
internal static class DaneShortReason
{
    /// <summary>Returns the short reason for a domain verdict, e.g. <c>no TLSA matches: mx.example.com</c>.</summary>
    /// <param name="result">The verdict.</param>
    internal static string For(DaneDomainResult result)
    {
        if (result.Status == DaneStatus.DnsPass) return "DNS sound; certificates not checked";
        if (result.Status == DaneStatus.NotApplicable) return "no DANE (no usable secure TLSA)";
        if (result.Status == DaneStatus.Pass)
        {
            if (result.MxHosts.Any(h => h.Outcome == DaneHostOutcome.TlsOnly)) return "TLS only: no usable TLSA record";
            return result.MxHosts.Any(h => h.Outcome == DaneHostOutcome.NoDane) ? "DANE on some MX hosts only" : "DANE-authenticated";
        }
        if (result.FailureKind == DaneFailureKind.None) return result.ReasonCode;
        var phrase = Phrase(result.FailureKind);
        var host = result.MxHosts.FirstOrDefault(h => h.FailureKind == result.FailureKind);
        // Degraded says itself that another host takes mail.
        return host is null ? phrase : phrase + ": " + host.HostName;
    }

    /// <summary>Returns the enhanced status code alone (<c>5.7.323</c>) of an NDR text, <c>unknown</c> for a DNS-only result
    /// whose certificates decide, or an empty string.</summary>
    internal static string NdrCode(string ndr)
    {
        if (string.IsNullOrEmpty(ndr)) return string.Empty;
        if (ndr == DaneDomainResult.NdrNotKnown) return "unknown";
        int space = ndr.IndexOf(' ');
        return space < 0 ? ndr : ndr.Substring(0, space);
    }

    /// <summary>Returns a few words for a failure class.</summary>
    internal static string Phrase(DaneFailureKind kind) => kind switch
    {
        DaneFailureKind.StartTlsNotSupported => "no STARTTLS",
        DaneFailureKind.TlsHandshakeFailed => "TLS handshake failed",
        DaneFailureKind.CertificateExpired => "certificate expired",
        DaneFailureKind.TlsaInvalid => "no TLSA matches",
        DaneFailureKind.DnssecInvalid => "DNSSEC bogus",
        DaneFailureKind.CertificateHostMismatch => "certificate name mismatch",
        DaneFailureKind.DnsQueryFailed => "DNS query failed",
        DaneFailureKind.ConnectionFailed => "cannot connect",
        DaneFailureKind.HostNotFound => "MX host not found",
        DaneFailureKind.NullMx => "null MX: takes no mail",
        DaneFailureKind.DomainDoesNotExist => "domain does not exist",
        _ => kind.ToString(),
    };
}
