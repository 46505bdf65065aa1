using System;
using System.Linq;
using DaneTools.Core.Dnssec;
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
        var host = result.MxHosts.FirstOrDefault(h => h.FailureKind == result.FailureKind);
        // A DNS failure class (5.7.324 covers a failed TLSA lookup too) says little: the lookup that failed says what happened.
        var failed = FailedLookup(result, host);
        var phrase = failed is null ? Phrase(result.FailureKind) : Phrase(failed);
        // Degraded says itself that another host takes mail.
        return host is null ? phrase : phrase + ": " + host.HostName;
    }

    /// <summary>Returns the lookup behind a DNS failure: the host's first failed address lookup (a bogus one first, as the
    /// checker judges them) or its failed TLSA lookup, else the domain's failed MX lookup; null when no lookup failed.</summary>
    /// <param name="result">The verdict.</param>
    /// <param name="host">The host whose failure decided, or null when the MX lookup decided.</param>
    internal static DaneLookupResult? FailedLookup(DaneDomainResult result, DaneMxHostResult? host)
    {
        if (host is null) return IsFailed(result.MxLookup) ? result.MxLookup : null;
        return host.AddressLookups.FirstOrDefault(l => l.Status == DnssecStatus.Bogus)
            ?? host.AddressLookups.FirstOrDefault(IsFailed)
            ?? host.TlsaLookups.FirstOrDefault(IsFailed);
    }

    // Neither Secure nor Insecure: no answer that may be used (ValidatedAnswer.IsUsable).
    private static bool IsFailed(DaneLookupResult? lookup) => lookup is { Status: DnssecStatus.Bogus or DnssecStatus.Indeterminate };

    /// <summary>Returns a few words for a failed lookup by what its status means: Bogus, a chain from a trust anchor that
    /// fails (RFC 4033 section 5), is <c>DNSSEC bogus TLSA</c>; Indeterminate is no validated answer at all: a timeout or a
    /// server failure (RFC 7672 section 2.1.1: a lookup error, not proof of bad data) or no trust anchor above the name.</summary>
    /// <param name="lookup">A Bogus or Indeterminate lookup.</param>
    internal static string Phrase(DaneLookupResult lookup)
    {
        if (lookup.Status == DnssecStatus.Bogus) return "DNSSEC bogus " + lookup.Type;
        if (lookup.ReasonCode == ReasonCodes.NoTrustAnchor) return $"{lookup.Type} not validated (no trust anchor)";
        string why = NoAnswerWhy(lookup);
        return why.Length == 0 ? $"no {lookup.Type} answer" : $"no {lookup.Type} answer ({why})";
    }

    /// <summary>Returns why an Indeterminate lookup has no answer in a word or two (<c>timeout</c>, <c>server failure</c>,
    /// <c>no trust anchor</c>), or an empty string when its reason code names no cause.</summary>
    /// <param name="lookup">An Indeterminate lookup.</param>
    internal static string NoAnswerWhy(DaneLookupResult lookup) => lookup.ReasonCode switch
    {
        ReasonCodes.Timeout => "timeout",
        ReasonCodes.ServerFailure => "server failure",
        ReasonCodes.NoTrustAnchor => "no trust anchor",
        _ => string.Empty,
    };

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
