using System;
using System.Collections.Generic;
using System.Linq;
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
public sealed partial class DaneDomainChecker
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

        var mx = await ResolveMxAsync(run, domain, cancellationToken).ConfigureAwait(false);
        if (mx.Finished is not null) return mx.Finished;

        var context = new DomainContext(domain, mx.Answer.ExpandedName, mx.Answer.Status == DnssecStatus.Secure, mx.Kind == DaneMxKind.ImplicitMx);
        using var throttle = new SemaphoreSlim(run.Settings.ThrottleLimit);
        // The hosts of one domain overlap, also on a bulk worker whose reads block it (DnsIoModes.StartTogether).
        var tasks = DnsIoModes.StartTogether(mx.Hosts
            .Select(h => (Func<Task<DaneMxHostResult>>)(() => CheckHostAsync(run, context, h.Host, h.Preference, h.Implicit, throttle, cancellationToken)))
            .ToList());
        var hostResults = await Task.WhenAll(tasks).ConfigureAwait(false);

        return Conclude(run, mx.Answer, mx.Lookup, mx.Kind, hostResults);
    }

    private static DaneDomainResult Conclude(Run run, ValidatedAnswer mx, DaneLookupResult mxLookup, DaneMxKind kind, IReadOnlyList<DaneMxHostResult> hosts)
    {
        var (status, code, reason) = DaneVerdictTable.ForDomain(DaneVerdictTable.DomainInput(hosts, h => h.Outcome, h => h.FailureKind), run.Settings.DnsOnly);
        var (eoStatus, _, _) = DaneVerdictTable.ForDomain(
            DaneVerdictTable.DomainInput(hosts, h => h.ExchangeOnlineOutcome, h => h.ExchangeOnlineFailureKind), run.Settings.DnsOnly);
        var failure = DaneVerdictTable.NdrFailure(hosts, status, h => h.Outcome, h => h.FailureKind);
        var eoFailure = DaneVerdictTable.NdrFailure(hosts, eoStatus, h => h.ExchangeOnlineOutcome, h => h.ExchangeOnlineFailureKind);

        if (status is DaneStatus.Pass or DaneStatus.DnsPass && hosts.Any(h => h.Outcome == DaneHostOutcome.NoDane))
        {
            foreach (var h in hosts.Where(h => h.Outcome == DaneHostOutcome.NoDane))
                run.Warn($"{h.HostName}: this MX host is not covered by DANE (no secure TLSA records); a sender can be steered to it without authentication.");
        }
        if (run.Settings.DnsOnly)
            reason += " DNS only: no SMTP server was probed; run without -DnsOnly to check certificates and STARTTLS.";
        return run.Finish(status, code, reason, eoStatus, eoFailure, failure, kind, mx, mxLookup, hosts);
    }

    /// <summary>Matches a presented chain against a host's TLSA records in SMTP mode (RFC 7672 section 3); shared with the delivery path.</summary>
    internal static TlsaMatchResult MatchChain(IReadOnlyList<TlsaRecord> records, IReadOnlyList<string> referenceIds, DateTime now, IReadOnlyList<byte[]> chain)
    {
        var options = new TlsaMatchOptions { ValidationTime = now, SmtpMode = true };
        foreach (var id in referenceIds) options.ReferenceIdentifiers.Add(id);
        return TlsaMatcher.Match(records, chain, options);
    }

    /// <summary>Classifies a failed match for the NDR and TLS-RPT (DESIGN section 6); shared with the delivery path.</summary>
    internal static DaneFailureKind FailureOf(TlsaMatchResult match) => DaneVerdictTable.FailureOf(match);

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

    private static string Why(ValidatedAnswer answer) => answer.Reason is null ? answer.Status.ToString() : $"{answer.Reason.Code}: {answer.Reason.Message}";

    /// <summary>Formats a name without its trailing dot (the root stays <c>.</c>).</summary>
    internal static string Display(DnsName name) => name.IsRoot ? "." : name.ToString().TrimEnd('.');
}
