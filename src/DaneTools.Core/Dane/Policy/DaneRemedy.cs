using System;
using System.Globalization;
using System.Linq;
using DaneTools.Core.Reporting;

namespace DaneTools.Core.Dane;

/// <summary>
/// The next step after a verdict (issue 15): what to do, whose action it is, and the exact record or value where one is
/// known, computed from the typed failure (<see cref="DaneFailureKind"/>), the chain the server presented and the TLSA base
/// domain. Null on a verdict that needs nothing done. Immutable.
/// </summary>
/// <remarks>A DANE-EE SPKI SHA2-256 record (<c>3 1 1</c>) is what RFC 7671 section 5.1 recommends: it survives certificate
/// renewal with the same key and checks no names or dates.</remarks>
public sealed class DaneRemedy
{
    private DaneRemedy(string owner, string action, string hostName, string presented, string publishedTlsa, string record)
    {
        Owner = owner;
        Action = action;
        HostName = hostName;
        PresentedCertificate = presented;
        PublishedTlsa = publishedTlsa;
        SuggestedRecord = record;
    }

    /// <summary>Gets whose action it is, e.g. <c>the recipient's DNS host</c>, <c>the recipient's mail server (its certificate)</c>,
    /// <c>your resolver or network</c>, <c>the sender (you)</c>.</summary>
    public string Owner { get; }

    /// <summary>Gets what to do, in one or two sentences naming the host and the values involved.</summary>
    public string Action { get; }

    /// <summary>Gets the MX host concerned, or an empty string when the failure is the domain's (MX lookup, null MX).</summary>
    public string HostName { get; }

    /// <summary>Gets the leaf certificate the server presented: subject, expiry (UTC) and SPKI SHA-256; empty when none was seen.</summary>
    public string PresentedCertificate { get; }

    /// <summary>Gets the usable TLSA records published at the TLSA base domain the certificate should match, <c>; </c>-separated,
    /// or an empty string.</summary>
    public string PublishedTlsa { get; }

    /// <summary>Gets the exact record to publish where one is known, e.g.
    /// <c>_25._tcp.mx.example.com. IN TLSA 3 1 1 5A87...</c> (the presented key's SPKI SHA-256), or an empty string.</summary>
    public string SuggestedRecord { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Action} ({Owner})";

    private const string RecipientDns = "the recipient's DNS host";
    private const string RecipientServer = "the recipient's mail server administrator";

    /// <summary>Returns the next step for a domain verdict, or null when nothing needs doing.</summary>
    /// <param name="result">The verdict.</param>
    /// <returns>The remedy, or null (Pass with DANE, NotApplicable, DnsPass).</returns>
    internal static DaneRemedy? For(DaneDomainResult result)
    {
        if (result.FailureKind == DaneFailureKind.None) return result.Status == DaneStatus.Pass ? PkixOnly(result) : null;
        var host = result.MxHosts.FirstOrDefault(h => h.FailureKind == result.FailureKind);
        var address = host?.Addresses.FirstOrDefault(a => a.FailureKind == result.FailureKind && a.PresentedChain.Count > 0)
            ?? host?.Addresses.FirstOrDefault(a => a.FailureKind == result.FailureKind);
        var leaf = address?.PresentedChain.FirstOrDefault();
        string hostName = host?.HostName ?? string.Empty;
        string tlsaName = host is null || host.TlsaBaseDomain.Length == 0 ? string.Empty : $"_{Port(address)}._tcp.{host.TlsaBaseDomain}.";
        string presented = leaf is null ? string.Empty : Describe(leaf);
        string published = host is null ? string.Empty : string.Join("; ", host.UsableTlsaRecords.Select(r => r.ToString()));
        string record = leaf is null || tlsaName.Length == 0 ? string.Empty : $"{tlsaName} IN TLSA 3 1 1 {leaf.SpkiSha256}";
        string at = address is null ? hostName : $"{hostName} [{address.Address}]";

        switch (result.FailureKind)
        {
            case DaneFailureKind.TlsaInvalid:
                return new DaneRemedy(RecipientDns + " (TLSA) or " + RecipientServer + " (certificate)",
                    leaf is null
                        ? $"No usable TLSA record at {tlsaName} matched what {at} presented: publish the record for the server's current key, or install the certificate the records name."
                        : $"{at} presents a key no TLSA record at {tlsaName} matches: publish {record} (and remove the stale record once it is live), or install the certificate whose key the published record names.",
                    hostName, presented, published, record);
            case DaneFailureKind.CertificateExpired:
                return new DaneRemedy(RecipientServer,
                    $"Renew the certificate {at} presents" + (leaf is null ? "" : $" (expired {leaf.NotAfterUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)") +
                    $"; if the new certificate has a new key, publish its record at {tlsaName} first (DANE-TA checks dates; a 3 1 1 record does not).",
                    hostName, presented, published, record);
            case DaneFailureKind.CertificateHostMismatch:
                return new DaneRemedy(RecipientServer,
                    $"The certificate {at} presents does not name {string.Join(" or ", host?.ReferenceIdentifiers ?? Array.Empty<string>())}: install one that does, or publish {(record.Length == 0 ? "a DANE-EE 3 1 1 record" : record)} (DANE-EE checks no names).",
                    hostName, presented, published, record);
            case DaneFailureKind.StartTlsNotSupported:
                return new DaneRemedy(RecipientServer,
                    $"{at} does not offer STARTTLS: enable TLS on port {Port(address)} (or find the firewall or proxy that strips STARTTLS); DANE senders never fall back to plaintext while {tlsaName} publishes TLSA records.",
                    hostName, presented, published, record);
            case DaneFailureKind.TlsHandshakeFailed:
                return new DaneRemedy(RecipientServer,
                    $"The TLS handshake with {at} failed{(address?.ProbeError is { } e ? " (" + e + ")" : "")}: fix the server's TLS configuration (protocol versions, certificate and key).",
                    hostName, presented, published, record);
            case DaneFailureKind.DnssecInvalid:
            case DaneFailureKind.DnsQueryFailed:
                // By what the lookup gave, not by the class: 5.7.324 covers a TLSA lookup that got no answer too.
                var failed = DaneShortReason.FailedLookup(result, host);
                if (failed?.Status == Dnssec.DnssecStatus.Bogus || failed is null && result.FailureKind == DaneFailureKind.DnssecInvalid)
                {
                    return new DaneRemedy(RecipientDns,
                        $"The DNSSEC signatures for {(failed is null ? hostName : failed.QueryName + " " + failed.Type)} do not validate{(failed is null ? "" : " (" + failed.Reason + ")")}: re-sign the zone or correct the DS record at its parent.",
                        hostName, presented, published, record);
                }
                if (failed?.ReasonCode == Dnssec.ReasonCodes.NoTrustAnchor)
                {
                    return new DaneRemedy("you (the trust anchor)",
                        $"No trust anchor covers {failed.QueryName}, so its {failed.Type} records cannot be validated: give the root anchor (or one above the name) with -TrustAnchor.",
                        hostName, presented, published, record);
                }
                string lookup = failed is null ? "lookups for " + (hostName.Length == 0 ? result.DomainName : hostName) : $"{failed.Type} lookup of {failed.QueryName}";
                string why = failed is null ? string.Empty : DaneShortReason.NoAnswerWhy(failed);
                return new DaneRemedy(RecipientDns + ", or your resolver if every domain shows this",
                    $"The {lookup} got no answer ({(why.Length == 0 ? "timeout or SERVFAIL" : why)}): the recipient's name servers must answer; if all domains fail, check the resolver given with -Server.",
                    hostName, presented, published, record);
            case DaneFailureKind.ConnectionFailed:
                return new DaneRemedy(RecipientServer + ", or your network if outbound port 25 is blocked",
                    $"Nothing accepted a connection at {at} port {Port(address)}: the mail server must listen there; check that this machine may connect out on port 25.",
                    hostName, presented, published, record);
            case DaneFailureKind.HostNotFound:
                return new DaneRemedy(RecipientDns,
                    $"The MX host {hostName} has no address: correct the MX record or publish A/AAAA records for it.",
                    hostName, presented, published, record);
            case DaneFailureKind.NullMx:
            case DaneFailureKind.DomainDoesNotExist:
                return new DaneRemedy("the sender (you)",
                    $"{result.DomainName} accepts no mail ({(result.FailureKind == DaneFailureKind.NullMx ? "null MX, RFC 7505" : "the domain does not exist")}): check the recipient address for a typo.",
                    hostName, presented, published, record);
            default:
                return null;
        }
    }

    // A Pass that only holds because TLS is required: every TLSA record is PKIX-TA/PKIX-EE, which SMTP ignores (RFC 7672 3.1.3).
    private static DaneRemedy? PkixOnly(DaneDomainResult result)
    {
        var host = result.MxHosts.FirstOrDefault(h => h.Outcome == DaneHostOutcome.TlsOnly && h.UsableTlsaRecords.Count == 0 &&
            h.TlsaRecords.Count > 0 && h.TlsaRecords.All(r => r.Usage is TlsaUsage.PkixTa or TlsaUsage.PkixEe));
        if (host is null) return null;
        var address = host.Addresses.FirstOrDefault(a => a.PresentedChain.Count > 0);
        var leaf = address?.PresentedChain.FirstOrDefault();
        string tlsaName = $"_{Port(address)}._tcp.{(host.TlsaBaseDomain.Length == 0 ? host.HostName : host.TlsaBaseDomain)}.";
        string record = leaf is null ? string.Empty : $"{tlsaName} IN TLSA 3 1 1 {leaf.SpkiSha256}";
        return new DaneRemedy(RecipientDns,
            $"SMTP ignores the PKIX-TA/PKIX-EE records at {tlsaName} (RFC 7672 section 3.1.3), so mail is encrypted but not authenticated: publish {(record.Length == 0 ? "a DANE-EE 3 1 1 record" : record)}.",
            host.HostName, leaf is null ? string.Empty : Describe(leaf), string.Join("; ", host.TlsaRecords.Select(r => r.ToString())), record);
    }

    private static int Port(DaneAddressResult? address) => address?.Port ?? 25;

    private static string Describe(PresentedCertificate leaf) =>
        $"{leaf.Subject}, expires {leaf.NotAfterUtc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} UTC, SPKI SHA-256 {leaf.SpkiSha256}";
}
