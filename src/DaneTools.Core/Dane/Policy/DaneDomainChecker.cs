using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

/// <summary>
/// Checks a recipient domain the way a DANE-enforcing SMTP client does (RFC 7672): validated MX, addresses and TLSA per
/// MX host, a STARTTLS probe of every address, TLSA matching, and the verdict per address, host and domain.
/// </summary>
/// <remarks>
/// <para>
/// The procedure and verdict rules are those of DESIGN section 6. A bogus or failed MX lookup defers; NODATA means the
/// domain itself is the host (implicit MX); a null MX (RFC 7505) or NXDOMAIN means no mail. Per host, TLSA is looked up
/// only where the address lookups are secure (the CNAME-expanded name first, then the original name, RFC 7672 section
/// 2.2.3), or at the original name alone when only the first CNAME link is secure (section 2.2.2). A failed TLSA lookup
/// makes the host unusable, never a downgrade. Every address is probed with SNI = the TLSA base domain (section 8.1) and
/// every address must pass for the host to pass.
/// </para>
/// <para>
/// Exchange Online is predicted separately: it applies DANE only after a secure MX and secure addresses, so an insecure MX
/// whose host has secure TLSA is DANE-authenticated by RFC 7672 section 2.2.1 (as Postfix does) but NotApplicable there.
/// </para>
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7672#section-2.2"/>
public sealed class DaneDomainChecker
{
    private readonly IValidatedResolver _resolver;
    private readonly ISmtpProber _prober;
    private readonly Action<string>? _trace;

    /// <summary>Creates a checker.</summary>
    /// <param name="resolver">The validating resolver (shared; may cache across domains).</param>
    /// <param name="prober">The SMTP prober; null for <see cref="SmtpStartTlsProber"/> over the network.</param>
    /// <param name="trace">Receives one line per decision, <c>&lt;domain&gt;: &lt;phase&gt;: &lt;fact&gt;</c> (phases Resolve, TLSA,
    /// Connect, STARTTLS, Match), for -Verbose; called from any thread, concurrently for different hosts; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is null.</exception>
    public DaneDomainChecker(IValidatedResolver resolver, ISmtpProber? prober = null, Action<string>? trace = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _prober = prober ?? SmtpStartTlsProber.Instance;
        _trace = trace;
    }

    /// <summary>Checks one recipient domain.</summary>
    /// <param name="domainName">The domain as an A-label, normalised (see <see cref="DomainNameInput"/>); a trailing dot is allowed.</param>
    /// <param name="options">Port, EHLO name, DNS-only mode, expiry warning window, validation time; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>
    /// The domain result: Status Pass (every host Authenticated or TlsOnly, possibly mixed with NoDane hosts, with a
    /// warning), Degraded (some host can take mail, another failed), Fail (no host can take mail, one failed TLS or
    /// authentication, or every host is proven not to exist), NotApplicable (no host has DANE), Deferred (MX lookup bogus or failed, or every host failed in DNS)
    /// or NoMail (null MX, or the domain does not exist); with reasons, NDR prediction and per-host detail.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="domainName"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="domainName"/> is not a valid domain name, or is the root.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (port outside 1-65535, negative warning days,
    /// time limit or throttle below 1).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="DnsTransportException">The resolver could not be reached at all (thrown by the resolver).</exception>
    public async Task<DaneDomainResult> CheckAsync(string domainName, DaneCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (domainName is null) throw new ArgumentNullException(nameof(domainName));
        if (!DnsName.TryParse(domainName.Trim(), out var parsed) || parsed!.IsRoot)
            throw new ArgumentException($"'{domainName}' is not a valid domain name.", nameof(domainName));
        var domain = parsed;
        var run = new Run(Settings.From(options ?? new DaneCheckOptions()), domain, _trace);

        var mx = await _resolver.ResolveAsync(domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        run.NoteAnswer(mx);
        var mxLookup = new DaneLookupResult(mx);
        string name = run.DomainText;

        if (mx.Status == DnssecStatus.Bogus)
        {
            return run.Finish(DaneStatus.Deferred, "MxBogus",
                $"The MX lookup for {name} is bogus ({Why(mx)}); a DANE client must not deliver and defers (RFC 7672 section 2.2.1).",
                DaneStatus.Deferred, DaneFailureKind.DnssecInvalid, DaneFailureKind.DnssecInvalid, DaneMxKind.LookupFailed, mx, mxLookup,
                Array.Empty<DaneMxHostResult>());
        }
        if (mx.Status == DnssecStatus.Indeterminate)
        {
            return run.Finish(DaneStatus.Deferred, "MxLookupFailed",
                $"The MX lookup for {name} failed ({Why(mx)}) without proof of bogus data; delivery is deferred (RFC 7672 section 2.2.1).",
                DaneStatus.Deferred, DaneFailureKind.DnsQueryFailed, DaneFailureKind.DnsQueryFailed, DaneMxKind.LookupFailed, mx, mxLookup,
                Array.Empty<DaneMxHostResult>());
        }
        if (mx.IsNxDomain)
        {
            return run.Finish(DaneStatus.NoMail, "DomainDoesNotExist",
                $"DomainDoesNotExist: {name} does not exist ({mx.Status} NXDOMAIN), so it receives no mail.",
                DaneStatus.NoMail, DaneFailureKind.DomainDoesNotExist, DaneFailureKind.DomainDoesNotExist, DaneMxKind.DomainDoesNotExist, mx, mxLookup,
                Array.Empty<DaneMxHostResult>());
        }

        var mxRecords = new List<(int Preference, DnsName Host)>();
        foreach (var rr in mx.Records)
        {
            if (rr.Type != DnsRecordType.MX) continue;
            if (MxRdata.TryFrom(rr, out var mxRecord)) mxRecords.Add((mxRecord!.Preference, mxRecord.Exchange));
            else run.Warn($"{name}: an MX record with malformed RDATA was ignored: {rr}");
        }

        var hosts = new List<(int Preference, DnsName Host, bool Implicit)>();
        DaneMxKind kind;
        if (mxRecords.Count == 0)
        {
            kind = DaneMxKind.ImplicitMx;
            hosts.Add((0, domain, true));
        }
        else if (mxRecords.All(m => m.Host.IsRoot))
        {
            return run.Finish(DaneStatus.NoMail, "NullMx",
                $"{name} publishes a null MX (RFC 7505): it accepts no mail.",
                DaneStatus.NoMail, DaneFailureKind.NullMx, DaneFailureKind.NullMx, DaneMxKind.NullMx, mx, mxLookup,
                Array.Empty<DaneMxHostResult>());
        }
        else
        {
            kind = DaneMxKind.Mx;
            if (mxRecords.Any(m => m.Host.IsRoot))
                run.Warn($"{name}: the MX RRset mixes a null MX with other MX records (RFC 7505 section 3 forbids it); the null MX was ignored.");
            foreach (var m in mxRecords.Where(m => !m.Host.IsRoot).OrderBy(m => m.Preference).ThenBy(m => m.Host))
            {
                if (hosts.Any(h => h.Host == m.Host)) continue;
                hosts.Add((m.Preference, m.Host, false));
            }
        }

        var context = new DomainContext(domain, mx.ExpandedName, mx.Status == DnssecStatus.Secure, kind == DaneMxKind.ImplicitMx);
        using var throttle = new SemaphoreSlim(run.Settings.ThrottleLimit);
        var tasks = hosts.Select(h => CheckHostAsync(run, context, h.Host, h.Preference, h.Implicit, throttle, cancellationToken)).ToList();
        var hostResults = await Task.WhenAll(tasks).ConfigureAwait(false);

        return Conclude(run, mx, mxLookup, kind, hostResults);
    }

    private static DaneDomainResult Conclude(Run run, ValidatedAnswer mx, DaneLookupResult mxLookup, DaneMxKind kind, IReadOnlyList<DaneMxHostResult> hosts)
    {
        var (status, code, reason) = Verdict(VerdictInput(hosts, h => h.Outcome, h => h.FailureKind), run.Settings.DnsOnly);
        var (eoStatus, _, _) = Verdict(VerdictInput(hosts, h => h.ExchangeOnlineOutcome, h => h.ExchangeOnlineFailureKind), run.Settings.DnsOnly);
        var failure = NdrFailure(hosts, status, h => h.Outcome, h => h.FailureKind);
        var eoFailure = NdrFailure(hosts, eoStatus, h => h.ExchangeOnlineOutcome, h => h.ExchangeOnlineFailureKind);

        if (status is DaneStatus.Pass or DaneStatus.DnsPass && hosts.Any(h => h.Outcome == DaneHostOutcome.NoDane))
        {
            foreach (var h in hosts.Where(h => h.Outcome == DaneHostOutcome.NoDane))
                run.Warn($"{h.HostName}: this MX host is not covered by DANE (no secure TLSA records); a sender can be steered to it without authentication.");
        }
        if (run.Settings.DnsOnly)
            reason += " DNS only: no SMTP server was probed; run without -DnsOnly to check certificates and STARTTLS.";
        return run.Finish(status, code, reason, eoStatus, eoFailure, failure, kind, mx, mxLookup, hosts);
    }

    // The most preferred host's failure names the NDR; while the domain is deferred, that of the first host whose
    // failure a retry can clear (a host that does not exist does not decide a deferral's final NDR).
    private static DaneFailureKind NdrFailure(IReadOnlyList<DaneMxHostResult> hosts, DaneStatus status,
        Func<DaneMxHostResult, DaneHostOutcome> outcome, Func<DaneMxHostResult, DaneFailureKind> failureKind)
    {
        var failing = hosts.Where(h => IsFailure(outcome(h))).ToList();
        var host = (status == DaneStatus.Deferred ? failing.FirstOrDefault(h => failureKind(h) != DaneFailureKind.HostNotFound) : null)
            ?? failing.FirstOrDefault() ?? hosts.FirstOrDefault(h => failureKind(h) != DaneFailureKind.None);
        return host is null ? DaneFailureKind.None : failureKind(host);
    }

    // One entry per host, plus one per failing address of a host that can still take mail through another address.
    // A host whose name is proven not to exist (or to have no address) is a permanent failure, as Postfix bounces it.
    private static List<VerdictHost> VerdictInput(IReadOnlyList<DaneMxHostResult> hosts,
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

    internal static (DaneStatus Status, string Code, string Reason) Verdict(IReadOnlyList<VerdictHost> hosts, bool dnsOnly)
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

    private static bool IsFailure(DaneHostOutcome o) => o is DaneHostOutcome.DnsFailure or DaneHostOutcome.TlsFailure or DaneHostOutcome.AuthFailure;

    private async Task<DaneMxHostResult> CheckHostAsync(Run run, DomainContext ctx, DnsName host, int preference, bool isImplicit,
        SemaphoreSlim throttle, CancellationToken cancellationToken)
    {
        string hostText = Display(host);
        var aTask = _resolver.ResolveAsync(host, DnsRecordType.A, cancellationToken);
        var aaaaTask = _resolver.ResolveAsync(host, DnsRecordType.AAAA, cancellationToken);
        var a = await aTask.ConfigureAwait(false);
        var aaaa = await aaaaTask.ConfigureAwait(false);
        run.NoteAnswer(a);
        run.NoteAnswer(aaaa);
        var addressLookups = new[] { new DaneLookupResult(a), new DaneLookupResult(aaaa) };
        var addressStatus = Weakest(a.Status, aaaa.Status);
        var chain = a.CnameChain.Count > 0 ? a.CnameChain : aaaa.CnameChain;
        var expanded = chain.Count > 0 ? chain[chain.Count - 1].Target : host;
        var builder = new HostBuilder(run, ctx, hostText, preference, isImplicit, addressStatus, Display(expanded), addressLookups);

        // Address lookups that failed make the host unusable for this attempt (RFC 7672 section 2.2, DESIGN section 6).
        var badAddress = new[] { a, aaaa }.FirstOrDefault(x => x.Status == DnssecStatus.Bogus)
            ?? new[] { a, aaaa }.FirstOrDefault(x => x.Status == DnssecStatus.Indeterminate);
        if (badAddress is not null)
        {
            var kind = badAddress.Status == DnssecStatus.Bogus ? DaneFailureKind.DnssecInvalid : DaneFailureKind.DnsQueryFailed;
            return builder.DnsFailure(kind, kind, $"The {badAddress.Type} lookup of {hostText} is {badAddress.Status} ({Why(badAddress)}); the host is unusable.");
        }

        var addresses = ReadAddresses(a).Concat(ReadAddresses(aaaa)).ToList();
        if (addresses.Count == 0)
        {
            return builder.DnsFailure(DaneFailureKind.HostNotFound, DaneFailureKind.HostNotFound,
                a.IsNxDomain || aaaa.IsNxDomain ? $"The MX host {hostText} does not exist (NXDOMAIN)." : $"The MX host {hostText} has no A or AAAA records.");
        }

        // TLSA base domain candidates (RFC 7672 sections 2.2.2 and 2.2.3).
        var candidates = new List<DnsName>();
        string noTlsaWhy;
        if (addressStatus == DnssecStatus.Secure)
        {
            if (chain.Count > 0) candidates.Add(expanded);
            candidates.Add(host);
            noTlsaWhy = string.Empty; // filled in from the TLSA lookups below
        }
        else if (chain.Count > 0 && chain[0].Status == DnssecStatus.Secure)
        {
            candidates.Add(host);
            noTlsaWhy = "the address records are insecure beyond the first (secure) CNAME, and the original name has no secure TLSA records (RFC 7672 section 2.2.2)";
        }
        else
        {
            noTlsaWhy = $"the address records of {hostText} are insecure, so TLSA is not looked up (RFC 7672 section 2.2.2)";
        }

        var tlsaLookups = new List<DaneLookupResult>();
        DnsName? baseDomain = null;
        ValidatedAnswer? tlsa = null;
        DnssecStatus? tlsaStatus = null;
        foreach (var candidate in candidates)
        {
            DnsName query;
            try
            {
                query = candidate.Prepend("_tcp").Prepend("_" + run.Settings.Port.ToString(CultureInfo.InvariantCulture));
            }
            catch (FormatException)
            {
                // A name over 255 octets cannot be in the DNS, so no TLSA RRset exists for this candidate (RFC 1035 2.3.4).
                string why = $"the TLSA name _{run.Settings.Port}._tcp.{Display(candidate)} would be longer than 255 octets, so no TLSA record can exist there";
                run.Warn($"{hostText}: {why}.");
                noTlsaWhy = noTlsaWhy.Length == 0 ? why : $"{noTlsaWhy}; {why}";
                continue;
            }
            var answer = await _resolver.ResolveAsync(query, DnsRecordType.TLSA, cancellationToken).ConfigureAwait(false);
            run.NoteAnswer(answer);
            tlsaLookups.Add(new DaneLookupResult(answer));
            tlsaStatus = answer.Status;
            if (!answer.IsUsable)
            {
                // Never downgrade: a TLSA lookup failure makes the host unusable (RFC 7672 section 2.2.3).
                builder.SetTlsa(tlsaLookups, tlsaStatus, string.Empty);
                return builder.DnsFailure(DaneFailureKind.DnssecInvalid, DaneFailureKind.DnssecInvalid,
                    $"The TLSA lookup at {Display(query)} is {answer.Status} ({Why(answer)}); the host is unusable (never a downgrade).",
                    tlsaStage: true);
            }
            bool hasRecords = answer.Records.Any(r => r.Type == DnsRecordType.TLSA);
            if (answer.Status == DnssecStatus.Secure && hasRecords && !answer.IsNxDomain && !answer.IsNoData)
            {
                baseDomain = candidate;
                tlsa = answer;
                break;
            }
        }

        if (tlsa is null && tlsaLookups.Count > 0)
        {
            var seen = string.Join(", ", tlsaLookups.Select(l => $"{l.QueryName} {(l.IsNxDomain ? "NXDOMAIN" : l.IsNoData ? "NODATA" : l.Records.Count + " record(s)")} ({l.Status})"));
            noTlsaWhy = noTlsaWhy.Length == 0 ? $"no secure TLSA records ({seen})" : $"{noTlsaWhy} ({seen})";
        }

        var records = new List<TlsaRecord>();
        if (tlsa is not null)
        {
            foreach (var rr in tlsa.Records.Where(r => r.Type == DnsRecordType.TLSA))
            {
                if (!TlsaRdata.TryFrom(rr, out var rdata)) { run.Warn($"{hostText}: a TLSA record shorter than 3 octets was ignored: {rr}"); continue; }
                records.Add(TlsaRecord.From(rdata!));
            }
        }
        // A secure TLSA RRset makes TLS mandatory even when none of its records is usable or readable (RFC 7672 section 2.2).
        TlsaUsableSet? usable = tlsa is not null ? TlsaMatcher.SelectUsable(records, smtpMode: true) : null;
        var requirement = usable is null ? DaneRequirement.None
            : usable.Usable.Count > 0 ? DaneRequirement.DaneMandatory : DaneRequirement.TlsMandatory;
        string serverName = baseDomain is null ? hostText : Display(baseDomain);
        builder.SetTlsa(tlsaLookups, tlsaStatus, baseDomain is null ? string.Empty : serverName);
        builder.SetRecords(records, usable, requirement, ReferenceIdentifiers(ctx, baseDomain, host, expanded));
        if (usable is not null && usable.Usable.Count == 1)
        {
            run.Warn($"{hostText}: the TLSA RRset at _{run.Settings.Port}._tcp.{serverName} has a single usable record, so no record for a next key is published; " +
                "publish the next key's record before a key or certificate rollover (RFC 7671 section 8.1).");
        }

        // Exchange Online looks for TLSA only when the MX and the addresses are authentic (EXCHANGE.md section 1.1).
        bool eoApplies = ctx.MxSecure && addressStatus == DnssecStatus.Secure;

        var probeOptions = new SmtpProbeOptions { Port = run.Settings.Port, TimeoutSeconds = run.Settings.TimeoutSeconds };
        if (run.Settings.HeloName is not null) probeOptions.HeloName = run.Settings.HeloName;
        var addressTasks = addresses.Select(ip => CheckAddressAsync(run, ctx, hostText, ip, serverName, records, requirement, builder.ReferenceIdentifiers,
            probeOptions, throttle, cancellationToken)).ToList();
        var addressResults = await Task.WhenAll(addressTasks).ConfigureAwait(false);
        if (usable is not null && usable.Usable.Count > 1) WarnIfNoNextKey(run, hostText, serverName, usable, addressResults);
        var hostResult = builder.Finish(addressResults, requirement, eoApplies, noTlsaWhy);
        run.Trace("Match", $"{hostText}: {hostResult.Outcome}: {hostResult.Reason}");
        return hostResult;
    }

    private async Task<DaneAddressResult> CheckAddressAsync(Run run, DomainContext ctx, string hostText, IPAddress ip, string serverName,
        IReadOnlyList<TlsaRecord> records, DaneRequirement requirement, IReadOnlyList<string> referenceIds, SmtpProbeOptions probeOptions,
        SemaphoreSlim throttle, CancellationToken cancellationToken)
    {
        string family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        string where = $"{hostText} [{ip}]";
        if (run.Settings.DnsOnly)
        {
            var predicted = requirement switch
            {
                DaneRequirement.DaneMandatory => DaneHostOutcome.Authenticated,
                DaneRequirement.TlsMandatory => DaneHostOutcome.TlsOnly,
                _ => DaneHostOutcome.NoDane,
            };
            return new DaneAddressResult(run.DomainText, hostText, ip.ToString(), family, run.Settings.Port, serverName, null,
                Array.Empty<PresentedCertificate>(), null, predicted, DaneFailureKind.None, "Not probed (DNS only).");
        }

        SmtpProbeResult probe;
        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            probe = await _prober.ProbeAsync(ip, serverName, probeOptions, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            throttle.Release();
        }

        run.Trace(probe.Outcome is SmtpProbeOutcome.ConnectionFailed or SmtpProbeOutcome.Timeout ? "Connect" : "STARTTLS",
            $"{where} SNI {serverName}: {probe.Outcome}" + (probe.Error is null ? string.Empty : $" ({probe.Error})") + (probe.TlsVersion is null ? string.Empty : $", {probe.TlsVersion}"));

        DaneAddressResult Result(IReadOnlyList<PresentedCertificate> chain, TlsaMatchResult? match, DaneHostOutcome outcome, DaneFailureKind kind, string reason)
        {
            run.Trace("Match", $"{where}: {outcome}: {reason}");
            return new(run.DomainText, hostText, ip.ToString(), family, run.Settings.Port, serverName, probe, chain, match, outcome, kind, reason);
        }

        if (probe.Outcome != SmtpProbeOutcome.TlsEstablished)
        {
            var (kind, what) = probe.Outcome switch
            {
                SmtpProbeOutcome.StartTlsNotOffered => (DaneFailureKind.StartTlsNotSupported, "does not offer STARTTLS"),
                SmtpProbeOutcome.TlsHandshakeFailed => (DaneFailureKind.TlsHandshakeFailed, "failed STARTTLS or the TLS handshake"),
                _ => (DaneFailureKind.ConnectionFailed, "could not be reached"),
            };
            string detail = probe.Error is null ? string.Empty : $" ({probe.Error})";
            if (requirement == DaneRequirement.None)
            {
                if (kind == DaneFailureKind.ConnectionFailed) run.Warn($"{where}: the server could not be reached{detail}.");
                return Result(Array.Empty<PresentedCertificate>(), null, DaneHostOutcome.NoDane, DaneFailureKind.None,
                    $"No DANE applies; the server {what}{detail}, so delivery would be opportunistic.");
            }
            string need = requirement == DaneRequirement.DaneMandatory ? "DANE authentication is mandatory" : "TLS is mandatory (secure TLSA RRset)";
            return Result(Array.Empty<PresentedCertificate>(), null, DaneHostOutcome.TlsFailure, kind, $"{need}, but the server {what}{detail}.");
        }

        if (probe.PresentedChain.Count == 0)
        {
            return requirement == DaneRequirement.DaneMandatory
                ? Result(Array.Empty<PresentedCertificate>(), null, DaneHostOutcome.AuthFailure, DaneFailureKind.TlsaInvalid, "TLS was established but no certificate was captured to match against the TLSA records.")
                : Result(Array.Empty<PresentedCertificate>(), null, requirement == DaneRequirement.TlsMandatory ? DaneHostOutcome.TlsOnly : DaneHostOutcome.NoDane,
                    DaneFailureKind.None, $"TLS established ({probe.TlsVersion}); no certificate was captured.");
        }

        var match = MatchChain(requirement == DaneRequirement.None ? Array.Empty<TlsaRecord>() : records, referenceIds, run.Settings.Now, probe.PresentedChain);
        switch (requirement)
        {
            case DaneRequirement.DaneMandatory:
                if (match.IsAuthenticated)
                {
                    if (match.MatchedRecord is { Usage: TlsaUsage.DaneTa })
                    {
                        foreach (var c in match.Chain.Where(c => c.Position <= Math.Max(0, match.MatchDepth)))
                            run.WarnCertificate(where, c, "under DANE-TA an expired certificate fails (5.7.322)");
                    }
                    else if (match.Chain.Count > 0 && match.Chain[0].Position == 0)
                    {
                        run.WarnCertificate(where, match.Chain[0],
                            "DANE-EE ignores the date, but a renewal with a new key needs its TLSA record published first");
                    }
                    return Result(match.Chain, match, DaneHostOutcome.Authenticated, DaneFailureKind.None, $"Authenticated over {probe.TlsVersion}: {match.Reason}");
                }
                var failure = FailureOf(match);
                return Result(match.Chain, match, DaneHostOutcome.AuthFailure, failure, $"DANE authentication failed ({match.Outcome}): {match.Reason}");
            case DaneRequirement.TlsMandatory:
                return Result(match.Chain, match, DaneHostOutcome.TlsOnly, DaneFailureKind.None,
                    $"TLS established ({probe.TlsVersion}); the secure TLSA RRset has no usable record, so TLS is mandatory without authentication.");
            default:
                return Result(match.Chain, null, DaneHostOutcome.NoDane, DaneFailureKind.None,
                    $"TLS established ({probe.TlsVersion}); no DANE applies (opportunistic TLS).");
        }
    }

    /// <summary>Matches a presented chain against a host's TLSA records in SMTP mode (RFC 7672 section 3); shared with the delivery path.</summary>
    internal static TlsaMatchResult MatchChain(IReadOnlyList<TlsaRecord> records, IReadOnlyList<string> referenceIds, DateTime now, IReadOnlyList<byte[]> chain)
    {
        var options = new TlsaMatchOptions { ValidationTime = now, SmtpMode = true };
        foreach (var id in referenceIds) options.ReferenceIdentifiers.Add(id);
        return TlsaMatcher.Match(records, chain, options);
    }

    /// <summary>Classifies a failed match for the NDR and TLS-RPT (DESIGN section 6).</summary>
    internal static DaneFailureKind FailureOf(TlsaMatchResult match) => match.FailureKind switch
    {
        TlsaFailureKind.CertificateHostMismatch => DaneFailureKind.CertificateHostMismatch,
        TlsaFailureKind.CertificateExpired => DaneFailureKind.CertificateExpired,
        _ => DaneFailureKind.TlsaInvalid,
    };

    /// <summary>
    /// Warns when several usable records exist but every one is a DANE-EE record for the key the server presents now, so
    /// none is ready for the next key (RFC 7671 section 8.1); DANE-TA records survive a leaf key change.
    /// </summary>
    private static void WarnIfNoNextKey(Run run, string hostText, string baseName, TlsaUsableSet usable, IReadOnlyList<DaneAddressResult> addresses)
    {
        if (usable.Usable.Any(r => r.Usage != TlsaUsage.DaneEe)) return;
        var presented = addresses.FirstOrDefault(a => a.PresentedChain.Count > 0 && a.PresentedChain[0].Position == 0);
        if (presented is null) return;
        var leaf = new[] { presented.PresentedChain[0].GetDer() };
        var options = new TlsaMatchOptions { ValidationTime = run.Settings.Now };
        if (usable.Usable.All(r => TlsaMatcher.Match(new[] { r }, leaf, options).IsAuthenticated))
        {
            run.Warn($"{hostText}: every usable TLSA record at _{run.Settings.Port}._tcp.{baseName} matches the current certificate, so no record for a next key is published; " +
                "publish the next key's record before a key rollover (RFC 7671 section 8.1).");
        }
    }

    /// <summary>Reference identifiers for DANE-TA name checks (RFC 7672 section 3.2.2, DESIGN section 6).</summary>
    internal static IReadOnlyList<string> ReferenceIdentifiers(DomainContext ctx, DnsName? baseDomain, DnsName host, DnsName expandedHost)
    {
        var ids = new List<DnsName>();
        void Add(DnsName n)
        {
            if (!ids.Contains(n)) ids.Add(n);
        }
        var tlsaBase = baseDomain ?? host;
        if (ctx.Implicit)
        {
            // Non-MX destination: the TLSA base domain and, if that is the expanded next-hop domain, the original one.
            // (The host is the domain itself, so its CNAME expansion is the expanded next-hop domain.)
            Add(tlsaBase);
            if (tlsaBase == expandedHost) Add(ctx.Domain);
        }
        else if (ctx.MxSecure)
        {
            Add(tlsaBase);
            Add(ctx.Domain);
            Add(ctx.ExpandedDomain);
        }
        else
        {
            // Insecure MX: only the host's own name, i.e. its TLSA base domain (RFC 7672 section 2.2.1).
            Add(tlsaBase);
        }
        return ids.Select(Display).ToList().AsReadOnly();
    }

    private static DnssecStatus Weakest(DnssecStatus x, DnssecStatus y)
    {
        static int Rank(DnssecStatus s) => s switch
        {
            DnssecStatus.Bogus => 0,
            DnssecStatus.Indeterminate => 1,
            DnssecStatus.Insecure => 2,
            _ => 3,
        };
        return Rank(x) <= Rank(y) ? x : y;
    }

    private static IEnumerable<IPAddress> ReadAddresses(ValidatedAnswer answer)
    {
        foreach (var rr in answer.Records)
        {
            if (AddressRdata.TryFrom(rr, out var address)) yield return address!.Address;
        }
    }

    private static string Why(ValidatedAnswer answer) => answer.Reason is null ? answer.Status.ToString() : $"{answer.Reason.Code}: {answer.Reason.Message}";

    /// <summary>Formats a name without its trailing dot (the root stays <c>.</c>).</summary>
    internal static string Display(DnsName name) => name.IsRoot ? "." : name.ToString().TrimEnd('.');

    internal sealed class DomainContext
    {
        public DomainContext(DnsName domain, DnsName expandedDomain, bool mxSecure, bool isImplicit)
        {
            Domain = domain;
            ExpandedDomain = expandedDomain;
            MxSecure = mxSecure;
            Implicit = isImplicit;
        }

        public DnsName Domain { get; }

        public DnsName ExpandedDomain { get; }

        public bool MxSecure { get; }

        public bool Implicit { get; }
    }

    private sealed class Settings
    {
        public int Port { get; private set; }

        public string? HeloName { get; private set; }

        public bool DnsOnly { get; private set; }

        public int ExpiryWarningDays { get; private set; }

        public DateTime Now { get; private set; }

        public int TimeoutSeconds { get; private set; }

        public int ThrottleLimit { get; private set; }

        public static Settings From(DaneCheckOptions o)
        {
            if (o.SmtpPort < 1 || o.SmtpPort > 65535) throw new ArgumentOutOfRangeException(nameof(o.SmtpPort), o.SmtpPort, "The SMTP port must be 1 to 65535.");
            if (o.ExpiryWarningDays < 0) throw new ArgumentOutOfRangeException(nameof(o.ExpiryWarningDays), o.ExpiryWarningDays, "The expiry warning window cannot be negative.");
            if (o.TimeoutSeconds < 1) throw new ArgumentOutOfRangeException(nameof(o.TimeoutSeconds), o.TimeoutSeconds, "The time limit must be at least 1 second.");
            if (o.ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(o.ThrottleLimit), o.ThrottleLimit, "The throttle limit must be at least 1.");
            var now = o.ValidationTime is DateTime t
                ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))
                : DateTime.UtcNow;
            return new Settings
            {
                Port = o.SmtpPort,
                HeloName = string.IsNullOrWhiteSpace(o.HeloName) ? null : o.HeloName,
                DnsOnly = o.DnsOnly,
                ExpiryWarningDays = o.ExpiryWarningDays,
                Now = now,
                TimeoutSeconds = o.TimeoutSeconds,
                ThrottleLimit = o.ThrottleLimit,
            };
        }
    }

    /// <summary>The state of one domain check: settings, the domain and the warnings collected (thread-safe).</summary>
    private sealed class Run
    {
        private readonly List<string> _warnings = new();
        private readonly HashSet<DateTime> _expiries = new();
        private readonly object _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        private readonly Action<string>? _trace;

        public Run(Settings settings, DnsName domain, Action<string>? trace)
        {
            _trace = trace;
            Settings = settings;
            DomainText = Display(domain).ToLowerInvariant();
        }

        public Settings Settings { get; }

        public string DomainText { get; }

        public void Warn(string warning)
        {
            lock (_gate)
            {
                if (!_warnings.Contains(warning)) _warnings.Add(warning);
            }
        }

        public void Trace(string phase, string fact) => _trace?.Invoke($"{DomainText}: {phase}: {fact}");

        public void NoteAnswer(ValidatedAnswer answer)
        {
            if (_trace is not null)
            {
                string absence = answer.IsNxDomain ? " NXDOMAIN" : answer.IsNoData ? " NODATA" : $" {answer.Records.Count} record(s)";
                string chain = answer.CnameChain.Count == 0 ? string.Empty : " via " + string.Join(" -> ", answer.CnameChain.Select(c => $"{Display(c.Target)} ({c.Status})"));
                Trace(answer.Type == DnsRecordType.TLSA ? "TLSA" : "Resolve",
                    $"{Display(answer.Name)} {answer.Type}{chain}: {answer.Status}{absence}" + (answer.Reason is null ? string.Empty : $" ({answer.Reason.Code})"));
            }
            // The validator's warnings name their zone; the same zone shows up on many paths, so keep each once.
            foreach (var w in answer.Warnings) Warn(w);
            if (answer.EarliestSignatureExpiration is DateTime exp && exp <= Settings.Now.AddDays(Settings.ExpiryWarningDays))
            {
                lock (_gate)
                {
                    // One warning per expiry time: lookups below a common zone share its signatures.
                    if (!_expiries.Add(exp)) return;
                }
                Warn(string.Format(CultureInfo.InvariantCulture,
                    "{0} {1}: an RRSIG on the validation path expires at {2:yyyy-MM-dd HH:mm:ss}Z, within {3} days.",
                    Display(answer.Name), answer.Type, exp, Settings.ExpiryWarningDays));
            }
        }

        public void WarnCertificate(string where, PresentedCertificate c, string consequence)
        {
            if (c.NotAfterUtc <= Settings.Now.AddDays(Settings.ExpiryWarningDays))
            {
                Warn(string.Format(CultureInfo.InvariantCulture,
                    "{0}: certificate {1} ({2}) {3} at {4:yyyy-MM-dd HH:mm:ss}Z{5}; {6}.",
                    where, c.Position, c.Subject, c.NotAfterUtc < Settings.Now ? "expired" : "expires", c.NotAfterUtc,
                    c.NotAfterUtc < Settings.Now ? string.Empty : $", within {Settings.ExpiryWarningDays} days", consequence));
            }
        }

        public DaneDomainResult Finish(DaneStatus status, string code, string reason, DaneStatus eoStatus, DaneFailureKind eoFailure,
            DaneFailureKind failure, DaneMxKind kind, ValidatedAnswer mx, DaneLookupResult mxLookup, IReadOnlyList<DaneMxHostResult> hosts)
        {
            string[] warnings;
            lock (_gate) warnings = _warnings.ToArray();
            return new DaneDomainResult(DomainText, status, code, reason, eoStatus, eoFailure, failure, kind, mx.Status, mxLookup,
                hosts, warnings, Settings.DnsOnly, Settings.Now,
                Math.Round(_clock.Elapsed.TotalMilliseconds, 1));
        }
    }

    /// <summary>Collects one host's facts as the check proceeds and builds its immutable result.</summary>
    private sealed class HostBuilder
    {
        private readonly Run _run;
        private readonly DomainContext _ctx;
        private readonly string _host;
        private readonly int _preference;
        private readonly bool _implicit;
        private readonly DnssecStatus _addressStatus;
        private readonly string _expanded;
        private readonly IReadOnlyList<DaneLookupResult> _addressLookups;
        private IReadOnlyList<DaneLookupResult> _tlsaLookups = Array.Empty<DaneLookupResult>();
        private DnssecStatus? _tlsaStatus;
        private string _baseDomain = string.Empty;
        private IReadOnlyList<TlsaRecord> _records = Array.Empty<TlsaRecord>();
        private TlsaUsableSet? _usable;
        private DaneRequirement _requirement = DaneRequirement.None;

        public HostBuilder(Run run, DomainContext ctx, string host, int preference, bool isImplicit, DnssecStatus addressStatus, string expanded,
            IReadOnlyList<DaneLookupResult> addressLookups)
        {
            _run = run;
            _ctx = ctx;
            _host = host;
            _preference = preference;
            _implicit = isImplicit;
            _addressStatus = addressStatus;
            _expanded = expanded;
            _addressLookups = addressLookups;
        }

        public IReadOnlyList<string> ReferenceIdentifiers { get; private set; } = Array.Empty<string>();

        public void SetTlsa(IReadOnlyList<DaneLookupResult> lookups, DnssecStatus? status, string baseDomain)
        {
            _tlsaLookups = lookups.ToArray();
            _tlsaStatus = status;
            _baseDomain = baseDomain;
        }

        public void SetRecords(IReadOnlyList<TlsaRecord> records, TlsaUsableSet? usable, DaneRequirement requirement, IReadOnlyList<string> referenceIds)
        {
            _records = records.ToArray();
            _usable = usable;
            _requirement = requirement;
            ReferenceIdentifiers = referenceIds;
        }

        public DaneMxHostResult DnsFailure(DaneFailureKind kind, DaneFailureKind eoKind, string reason, bool tlsaStage = false)
        {
            // Exchange Online never looks up TLSA after an insecure MX or insecure addresses, so a TLSA failure there is no failure to it.
            bool eoSeesIt = !tlsaStage || (_ctx.MxSecure && _addressStatus == DnssecStatus.Secure);
            _run.Trace(tlsaStage ? "TLSA" : "Resolve", $"{_host}: DnsFailure: {reason}");
            return Build(Array.Empty<DaneAddressResult>(), DaneRequirement.HostUnusable, DaneHostOutcome.DnsFailure, kind,
                eoSeesIt ? DaneHostOutcome.DnsFailure : DaneHostOutcome.NoDane, eoSeesIt ? eoKind : DaneFailureKind.None, reason);
        }

        public DaneMxHostResult Finish(IReadOnlyList<DaneAddressResult> addresses, DaneRequirement requirement, bool eoApplies, string noTlsaWhy)
        {
            var failed = addresses.FirstOrDefault(x => IsFailure(x.Outcome));
            var passed = addresses.FirstOrDefault(x => !IsFailure(x.Outcome));
            DaneHostOutcome outcome;
            DaneFailureKind kind = DaneFailureKind.None;
            string reason;
            int n = addresses.Count;
            string all = n == 1 ? $"its address {addresses[0].Address}" : $"all {n} addresses";
            if (failed is not null && passed is not null)
            {
                // The host can take mail (a sender tries its next address), but a sender that reaches the failing
                // address fails: the domain is Degraded, not Fail (RFC 7672 2.2: every address is a separate attempt).
                outcome = passed.Outcome;
                kind = failed.FailureKind;
                reason = $"[{passed.Address}] {passed.Reason.TrimEnd('.')}; but [{failed.Address}] {failed.Reason.TrimEnd('.')}.";
            }
            else if (failed is not null)
            {
                outcome = failed.Outcome;
                kind = failed.FailureKind;
                reason = n == 1 ? $"[{failed.Address}] {failed.Reason}" : $"[{failed.Address}] {failed.Reason.TrimEnd('.')} (every address must pass).";
            }
            else
            {
                outcome = requirement switch
                {
                    DaneRequirement.DaneMandatory => DaneHostOutcome.Authenticated,
                    DaneRequirement.TlsMandatory => DaneHostOutcome.TlsOnly,
                    _ => DaneHostOutcome.NoDane,
                };
                reason = outcome switch
                {
                    DaneHostOutcome.Authenticated when _run.Settings.DnsOnly => $"DANE authentication is mandatory ({_usable!.Usable.Count} usable TLSA record(s) at _{_run.Settings.Port}._tcp.{_baseDomain}); not probed.",
                    DaneHostOutcome.Authenticated => $"DANE authenticated {all}: {addresses[0].Reason}",
                    DaneHostOutcome.TlsOnly when _run.Settings.DnsOnly => $"The secure TLSA RRset at _{_run.Settings.Port}._tcp.{_baseDomain} has no usable record: TLS is mandatory without authentication; not probed.",
                    DaneHostOutcome.TlsOnly => $"The secure TLSA RRset has no usable record; TLS worked on {all} (TLS mandatory, no authentication).",
                    _ => $"No DANE: {noTlsaWhy}.",
                };
            }
            var eoOutcome = eoApplies ? outcome : DaneHostOutcome.NoDane;
            var eoKind = eoApplies ? kind : DaneFailureKind.None;
            return Build(addresses, requirement, outcome, kind, eoOutcome, eoKind, reason);
        }

        private DaneMxHostResult Build(IReadOnlyList<DaneAddressResult> addresses, DaneRequirement requirement, DaneHostOutcome outcome,
            DaneFailureKind kind, DaneHostOutcome eoOutcome, DaneFailureKind eoKind, string reason) =>
            new(_run.DomainText, _host, _preference, _implicit, _addressStatus, _expanded, _addressLookups, _baseDomain, _tlsaLookups, _tlsaStatus,
                _records, _usable, requirement, ReferenceIdentifiers, addresses, outcome, kind, eoOutcome, eoKind, reason);
    }
}
