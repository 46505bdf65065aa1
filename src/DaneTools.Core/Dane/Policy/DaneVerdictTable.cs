using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

/// <summary>
/// The RFC 7672 verdict rules of DESIGN section 6 in one place, without DNS or SMTP: what an MX answer, an address
/// lookup, a TLSA RRset and a STARTTLS probe mean for the address, the MX host and the domain. Pure functions over the
/// facts the checker's steps gathered; each rule is one row of DESIGN's table.
/// </summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7672#section-2.2"/>
internal static class DaneVerdictTable
{
    /// <summary>What a rule decided: status, stable code, failure kind and the sentence for the user.</summary>
    internal readonly struct Decision
    {
        public Decision(DaneStatus status, string code, DaneFailureKind failure, DaneMxKind mxKind, string reason)
        {
            Status = status;
            Code = code;
            Failure = failure;
            MxKind = mxKind;
            Reason = reason;
        }

        public DaneStatus Status { get; }

        public string Code { get; }

        public DaneFailureKind Failure { get; }

        public DaneMxKind MxKind { get; }

        public string Reason { get; }
    }

    /// <summary>One host (or failing address) as the domain verdict sees it.</summary>
    internal readonly struct VerdictHost
    {
        public VerdictHost(DaneHostOutcome outcome, string host, string reason, bool permanentDnsFailure)
        {
            Outcome = outcome;
            Host = host;
            Reason = reason;
            PermanentDnsFailure = permanentDnsFailure;
        }

        public DaneHostOutcome Outcome { get; }

        /// <summary>The host name, with the address for an address entry.</summary>
        public string Host { get; }

        public string Reason { get; }

        /// <summary>The DNS failure is a proven absence (no such host, no address): retrying cannot help.</summary>
        public bool PermanentDnsFailure { get; }
    }

    /// <summary>An address outcome with its failure kind and reason.</summary>
    internal readonly struct AddressVerdict
    {
        public AddressVerdict(DaneHostOutcome outcome, DaneFailureKind failure, string reason)
        {
            Outcome = outcome;
            Failure = failure;
            Reason = reason;
        }

        public DaneHostOutcome Outcome { get; }

        public DaneFailureKind Failure { get; }

        public string Reason { get; }
    }

    internal static bool IsFailure(DaneHostOutcome o) => o is DaneHostOutcome.DnsFailure or DaneHostOutcome.TlsFailure or DaneHostOutcome.AuthFailure;

    // ------------------------------------------------------------------ MX lookup (RFC 7672 section 2.2.1, RFC 7505)

    /// <summary>
    /// The MX rows: bogus defers (4.7.324), a failed lookup defers (4.4.312), NXDOMAIN and a null MX mean no mail; null
    /// when the answer leads on to the hosts (secure, insecure, NODATA = implicit MX).
    /// </summary>
    /// <param name="status">The MX answer's status.</param>
    /// <param name="isNxDomain">Whether the domain was proven (or said) not to exist.</param>
    /// <param name="onlyNullMx">Whether the MX RRset holds only null MX records (<c>0 .</c>).</param>
    /// <param name="name">The domain, for the reason.</param>
    /// <param name="why">The lookup's reason, for the reason.</param>
    internal static Decision? ForMx(DnssecStatus status, bool isNxDomain, bool onlyNullMx, string name, string why)
    {
        if (status == DnssecStatus.Bogus)
        {
            return new Decision(DaneStatus.Deferred, "MxBogus", DaneFailureKind.DnssecInvalid, DaneMxKind.LookupFailed,
                $"The MX lookup for {name} is bogus ({why}); a DANE client must not deliver and defers (RFC 7672 section 2.2.1).");
        }
        if (status == DnssecStatus.Indeterminate)
        {
            return new Decision(DaneStatus.Deferred, "MxLookupFailed", DaneFailureKind.DnsQueryFailed, DaneMxKind.LookupFailed,
                $"The MX lookup for {name} failed ({why}) without proof of bogus data; delivery is deferred (RFC 7672 section 2.2.1).");
        }
        if (isNxDomain)
        {
            return new Decision(DaneStatus.NoMail, "DomainDoesNotExist", DaneFailureKind.DomainDoesNotExist, DaneMxKind.DomainDoesNotExist,
                $"DomainDoesNotExist: {name} does not exist ({status} NXDOMAIN), so it receives no mail.");
        }
        if (onlyNullMx)
        {
            return new Decision(DaneStatus.NoMail, "NullMx", DaneFailureKind.NullMx, DaneMxKind.NullMx,
                $"{name} publishes a null MX (RFC 7505): it accepts no mail.");
        }
        return null;
    }

    // ------------------------------------------------------------------ host DNS (RFC 7672 sections 2.2, 2.2.2, 2.2.3)

    /// <summary>The failure kind of an address lookup that makes the host unusable: bogus 5.7.324, failed 5.4.312; null when usable.</summary>
    internal static DaneFailureKind? ForAddressLookup(DnssecStatus status) => status switch
    {
        DnssecStatus.Bogus => DaneFailureKind.DnssecInvalid,
        DnssecStatus.Indeterminate => DaneFailureKind.DnsQueryFailed,
        _ => null,
    };

    /// <summary>
    /// The TLSA base domain candidates in the order they are tried: secure addresses: the CNAME-expanded name, then the
    /// original (2.2.3); only the first CNAME link secure: the original name alone (2.2.2); otherwise none (no TLSA lookup).
    /// </summary>
    /// <param name="addressStatus">The weakest status of the A and AAAA answers (whole chain).</param>
    /// <param name="chain">The CNAME links of the address answers, in order.</param>
    /// <param name="host">The MX host name.</param>
    /// <param name="expanded">The CNAME-expanded host name.</param>
    /// <param name="noTlsaWhy">Why no DANE applies when no candidate gives secure TLSA (empty: the TLSA lookups say).</param>
    internal static IReadOnlyList<DnsName> TlsaCandidates(DnssecStatus addressStatus, IReadOnlyList<CnameLink> chain, DnsName host, DnsName expanded,
        out string noTlsaWhy)
    {
        var candidates = new List<DnsName>();
        if (addressStatus == DnssecStatus.Secure)
        {
            if (chain.Count > 0) candidates.Add(expanded);
            candidates.Add(host);
            noTlsaWhy = string.Empty; // filled in from the TLSA lookups
        }
        else if (chain.Count > 0 && chain[0].Status == DnssecStatus.Secure)
        {
            candidates.Add(host);
            noTlsaWhy = "the address records are insecure beyond the first (secure) CNAME, and the original name has no secure TLSA records (RFC 7672 section 2.2.2)";
        }
        else
        {
            noTlsaWhy = $"the address records of {DaneDomainChecker.Display(host)} are insecure, so TLSA is not looked up (RFC 7672 section 2.2.2)";
        }
        return candidates;
    }

    /// <summary>Whether a TLSA answer makes its candidate the TLSA base domain: secure, with TLSA records, not a denial.</summary>
    internal static bool IsTlsaBase(ValidatedAnswer answer) =>
        answer.Status == DnssecStatus.Secure && answer.Records.Any(r => r.Type == DnsRecordType.TLSA) && !answer.IsNxDomain && !answer.IsNoData;

    /// <summary>The TLSA rows: a secure RRset with a usable record makes DANE mandatory, one without makes TLS mandatory,
    /// no secure RRset (null set) means no DANE. A failed lookup never gets here: it makes the host unusable.</summary>
    internal static DaneRequirement Requirement(TlsaUsableSet? usable) =>
        usable is null ? DaneRequirement.None : usable.Usable.Count > 0 ? DaneRequirement.DaneMandatory : DaneRequirement.TlsMandatory;

    /// <summary>Exchange Online looks for TLSA only when the MX and the addresses are authentic (EXCHANGE.md section 1.1).</summary>
    internal static bool ExchangeOnlineApplies(bool mxSecure, DnssecStatus addressStatus) => mxSecure && addressStatus == DnssecStatus.Secure;

    // ------------------------------------------------------------------ address (RFC 7672 sections 2.2, 3)

    /// <summary>The outcome the DNS alone predicts for an address that is not probed (DNS only).</summary>
    internal static DaneHostOutcome Predicted(DaneRequirement requirement) => requirement switch
    {
        DaneRequirement.DaneMandatory => DaneHostOutcome.Authenticated,
        DaneRequirement.TlsMandatory => DaneHostOutcome.TlsOnly,
        _ => DaneHostOutcome.NoDane,
    };

    /// <summary>
    /// The STARTTLS rows for a probe that did not establish TLS: without DANE it is opportunistic delivery (NoDane);
    /// with a secure TLSA RRset the host fails (5.7.321).
    /// </summary>
    internal static AddressVerdict ForNoTls(DaneRequirement requirement, SmtpProbeOutcome probe, string? error)
    {
        var (kind, what) = probe switch
        {
            SmtpProbeOutcome.StartTlsNotOffered => (DaneFailureKind.StartTlsNotSupported, "does not offer STARTTLS"),
            SmtpProbeOutcome.TlsHandshakeFailed => (DaneFailureKind.TlsHandshakeFailed, "failed STARTTLS or the TLS handshake"),
            _ => (DaneFailureKind.ConnectionFailed, "could not be reached"),
        };
        string detail = error is null ? string.Empty : $" ({error})";
        if (requirement == DaneRequirement.None)
            return new AddressVerdict(DaneHostOutcome.NoDane, DaneFailureKind.None, $"No DANE applies; the server {what}{detail}, so delivery would be opportunistic.");
        string need = requirement == DaneRequirement.DaneMandatory ? "DANE authentication is mandatory" : "TLS is mandatory (secure TLSA RRset)";
        return new AddressVerdict(DaneHostOutcome.TlsFailure, kind, $"{need}, but the server {what}{detail}.");
    }

    /// <summary>TLS was established but no certificate captured: nothing to authenticate.</summary>
    internal static AddressVerdict ForNoChain(DaneRequirement requirement, string? tlsVersion) => requirement == DaneRequirement.DaneMandatory
        ? new AddressVerdict(DaneHostOutcome.AuthFailure, DaneFailureKind.TlsaInvalid, "TLS was established but no certificate was captured to match against the TLSA records.")
        : new AddressVerdict(requirement == DaneRequirement.TlsMandatory ? DaneHostOutcome.TlsOnly : DaneHostOutcome.NoDane,
            DaneFailureKind.None, $"TLS established ({tlsVersion}); no certificate was captured.");

    /// <summary>The matching rows: under DANE a match authenticates and no match fails (4.7.323, 4.7.325 name, 4.7.322 expired);
    /// a secure RRset without usable records needs TLS only; no DANE is opportunistic TLS.</summary>
    internal static AddressVerdict ForMatch(DaneRequirement requirement, TlsaMatchResult match, string? tlsVersion)
    {
        switch (requirement)
        {
            case DaneRequirement.DaneMandatory:
                if (match.IsAuthenticated)
                    return new AddressVerdict(DaneHostOutcome.Authenticated, DaneFailureKind.None, $"Authenticated over {tlsVersion}: {match.Reason}");
                return new AddressVerdict(DaneHostOutcome.AuthFailure, FailureOf(match), $"DANE authentication failed ({match.Outcome}): {match.Reason}");
            case DaneRequirement.TlsMandatory:
                return new AddressVerdict(DaneHostOutcome.TlsOnly, DaneFailureKind.None,
                    $"TLS established ({tlsVersion}); the secure TLSA RRset has no usable record, so TLS is mandatory without authentication.");
            default:
                return new AddressVerdict(DaneHostOutcome.NoDane, DaneFailureKind.None, $"TLS established ({tlsVersion}); no DANE applies (opportunistic TLS).");
        }
    }

    /// <summary>Classifies a failed match for the NDR and TLS-RPT (DESIGN section 6).</summary>
    internal static DaneFailureKind FailureOf(TlsaMatchResult match) => match.FailureKind switch
    {
        TlsaFailureKind.CertificateHostMismatch => DaneFailureKind.CertificateHostMismatch,
        TlsaFailureKind.CertificateExpired => DaneFailureKind.CertificateExpired,
        _ => DaneFailureKind.TlsaInvalid,
    };

    // ------------------------------------------------------------------ host from its addresses

    /// <summary>
    /// The host outcome from its addresses: every address must pass; when one passes and another fails the host can take
    /// mail (a sender tries its next address) but carries the failure, so the domain is Degraded (RFC 7672 section 2.2).
    /// With no failure the requirement decides (Authenticated, TlsOnly, NoDane).
    /// </summary>
    /// <param name="addresses">The address results, in the order probed.</param>
    /// <param name="requirement">What the TLSA lookup required.</param>
    /// <param name="dnsOnly">Whether the addresses were not probed.</param>
    /// <param name="usableCount">The number of usable TLSA records, for the reason.</param>
    /// <param name="tlsaName">The TLSA owner name <c>_port._tcp.base</c>, for the reason.</param>
    /// <param name="noTlsaWhy">Why no DANE applies, for the reason.</param>
    internal static (DaneHostOutcome Outcome, DaneFailureKind Failure, string Reason) ForHost(IReadOnlyList<DaneAddressResult> addresses,
        DaneRequirement requirement, bool dnsOnly, int usableCount, string tlsaName, string noTlsaWhy)
    {
        var failed = addresses.FirstOrDefault(x => IsFailure(x.Outcome));
        var passed = addresses.FirstOrDefault(x => !IsFailure(x.Outcome));
        int n = addresses.Count;
        string all = n == 1 ? $"its address {addresses[0].Address}" : $"all {n} addresses";
        if (failed is not null && passed is not null)
            return (passed.Outcome, failed.FailureKind, $"[{passed.Address}] {passed.Reason.TrimEnd('.')}; but [{failed.Address}] {failed.Reason.TrimEnd('.')}.");
        if (failed is not null)
            return (failed.Outcome, failed.FailureKind, n == 1 ? $"[{failed.Address}] {failed.Reason}" : $"[{failed.Address}] {failed.Reason.TrimEnd('.')} (every address must pass).");
        var outcome = Predicted(requirement);
        string reason = outcome switch
        {
            DaneHostOutcome.Authenticated when dnsOnly => $"DANE authentication is mandatory ({usableCount} usable TLSA record(s) at {tlsaName}); not probed.",
            DaneHostOutcome.Authenticated => $"DANE authenticated {all}: {addresses[0].Reason}",
            DaneHostOutcome.TlsOnly when dnsOnly => $"The secure TLSA RRset at {tlsaName} has no usable record: TLS is mandatory without authentication; not probed.",
            DaneHostOutcome.TlsOnly => $"The secure TLSA RRset has no usable record; TLS worked on {all} (TLS mandatory, no authentication).",
            _ => $"No DANE: {noTlsaWhy}.",
        };
        return (outcome, DaneFailureKind.None, reason);
    }

    // ------------------------------------------------------------------ domain from its hosts

    /// <summary>
    /// One entry per host, plus one per failing address of a host that can still take mail through another address. A host
    /// whose name is proven not to exist (or to have no address) is a permanent failure, as Postfix bounces it.
    /// </summary>
    internal static List<VerdictHost> DomainInput(IReadOnlyList<DaneMxHostResult> hosts,
        Func<DaneMxHostResult, DaneHostOutcome> outcome, Func<DaneMxHostResult, DaneFailureKind> failureKind)
    {
        var input = new List<VerdictHost>();
        foreach (var h in hosts)
        {
            var o = outcome(h);
            input.Add(new VerdictHost(o, h.HostName, h.Reason, o == DaneHostOutcome.DnsFailure && failureKind(h) == DaneFailureKind.HostNotFound));
            if (IsFailure(o) || o == DaneHostOutcome.NoDane) continue;
            foreach (var a in h.Addresses.Where(a => IsFailure(a.Outcome)))
                input.Add(new VerdictHost(a.Outcome, $"{h.HostName} [{a.Address}]", a.Reason, false));
        }
        return input;
    }

    /// <summary>
    /// The most preferred host's failure names the NDR; while the domain is deferred, that of the first host whose failure
    /// a retry can clear (a host that does not exist does not decide a deferral's final NDR).
    /// </summary>
    internal static DaneFailureKind NdrFailure(IReadOnlyList<DaneMxHostResult> hosts, DaneStatus status,
        Func<DaneMxHostResult, DaneHostOutcome> outcome, Func<DaneMxHostResult, DaneFailureKind> failureKind)
    {
        var failing = hosts.Where(h => IsFailure(outcome(h))).ToList();
        var host = (status == DaneStatus.Deferred ? failing.FirstOrDefault(h => failureKind(h) != DaneFailureKind.HostNotFound) : null)
            ?? failing.FirstOrDefault() ?? hosts.FirstOrDefault(h => failureKind(h) != DaneFailureKind.None);
        return host is null ? DaneFailureKind.None : failureKind(host);
    }

    /// <summary>The domain verdict rows of DESIGN section 6 (Deferred, Fail, Degraded, NotApplicable, Pass, DnsPass).</summary>
    /// <param name="hosts">The hosts (and failing addresses) in preference order.</param>
    /// <param name="dnsOnly">Whether nothing was probed: DnsPass in place of Pass.</param>
    internal static (DaneStatus Status, string Code, string Reason) ForDomain(IReadOnlyList<VerdictHost> hosts, bool dnsOnly)
    {
        int n = hosts.Count;
        var canTake = hosts.Where(h => h.Outcome is DaneHostOutcome.Authenticated or DaneHostOutcome.TlsOnly or DaneHostOutcome.NoDane).ToList();
        var failed = hosts.Where(h => IsFailure(h.Outcome)).ToList();
        string Plural(int k, string one) => k == 1 ? $"1 {one}" : $"{k} {one}s";
        if (n > 0 && failed.Count == n && failed.All(h => h.Outcome == DaneHostOutcome.DnsFailure))
        {
            // Deferred while one DNS failure may clear on a retry; when every host is proven absent, a bounce (5.4.4).
            var first = failed[0];
            if (failed.All(h => h.PermanentDnsFailure))
            {
                return (DaneStatus.Fail, "NoMxHostExists",
                    $"No MX host exists or has an address, so mail bounces; first: {first.Host}: {first.Reason}");
            }
            var temporary = failed.First(h => !h.PermanentDnsFailure);
            return (DaneStatus.Deferred, "AllHostsDnsFailure",
                $"Every MX host failed in DNS, so delivery is deferred; first: {temporary.Host}: {temporary.Reason}");
        }
        if (canTake.Count == 0)
        {
            // The most preferred host's failure, as for the NDR (at least one host failed TLS or authentication).
            var first = failed[0];
            return (DaneStatus.Fail, "NoHostCanTakeMail", $"No MX host can take mail; {first.Host}: {first.Reason}");
        }
        if (failed.Count > 0)
        {
            var first = failed[0];
            return (DaneStatus.Degraded, "SomeHostsFailed",
                $"{Plural(canTake.Count, "MX host")} can take mail but {Plural(failed.Count, "host")} failed; {first.Host}: {first.Reason}");
        }
        int dane = canTake.Count(h => h.Outcome != DaneHostOutcome.NoDane);
        if (dane == 0)
            return (DaneStatus.NotApplicable, "NoDane", n == 1
                ? $"{hosts[0].Host}: {hosts[0].Reason}"
                : $"None of the {n} MX hosts has secure TLSA records; delivery uses opportunistic TLS.");
        // DNS only: no certificate was seen, so what would be Pass is DnsPass (a full check may still give Degraded or Fail).
        var pass = dnsOnly ? DaneStatus.DnsPass : DaneStatus.Pass;
        if (dane < n)
            return (pass, "SomeHostsWithoutDane",
                $"{Plural(dane, "MX host")} {(dane == 1 ? "is" : "are")} covered by DANE, but {Plural(n - dane, "host")} {(n - dane == 1 ? "is" : "are")} not.");
        int auth = canTake.Count(h => h.Outcome == DaneHostOutcome.Authenticated);
        if (dnsOnly)
        {
            return (pass, "AllHostsDane", auth == n
                ? (n == 1 ? $"{hosts[0].Host} requires DANE authentication; its certificate was not checked." : $"All {n} MX hosts require DANE authentication; their certificates were not checked.")
                : auth == 0
                    ? "Every MX host has a secure TLSA RRset without a usable record: TLS is required, without authentication; not probed."
                    : $"Every MX host has secure TLSA records: {auth} require DANE authentication, {n - auth} TLS only (no usable TLSA record); not probed.");
        }
        return (DaneStatus.Pass, "AllHostsDane", auth == n
            ? (n == 1 ? $"{hosts[0].Host} is DANE-authenticated." : $"All {n} MX hosts passed DANE authentication.")
            : $"Every MX host has secure TLSA records: {auth} authenticated, {n - auth} TLS only (no usable TLSA record).");
    }
}
