using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Sts;

/// <summary>
/// The TLS-RPT records a DANE sender reports to for one recipient domain: for DANE the policy domain is the TLSA base
/// domain (RFC 8460 section 1.1), so every host with a secure TLSA RRset reports to <c>_smtp._tls.&lt;TLSA base domain&gt;</c>,
/// one lookup per distinct base domain. The lookup starts as soon as a secure TLSA RRset is seen, beside the STARTTLS
/// probes, rather than after the whole check (issue 20: one round trip less at the end of every DANE domain). One instance
/// per recipient domain; thread-safe.
/// </summary>
public sealed class DaneTlsRptLookup
{
    private readonly IValidatedResolver _resolver;
    private readonly CancellationToken _cancellationToken;
    private readonly ConcurrentDictionary<DnsName, Lazy<Task<TlsRptLookupResult>>> _started = new();

    /// <summary>Creates the lookups of one recipient domain.</summary>
    /// <param name="resolver">Our resolver, the one the DANE check uses.</param>
    /// <param name="cancellationToken">Cancels the lookups (the domain's token).</param>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is null.</exception>
    public DaneTlsRptLookup(IValidatedResolver resolver, CancellationToken cancellationToken = default)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _cancellationToken = cancellationToken;
        Resolver = new Watching(this);
    }

    /// <summary>
    /// Gets the resolver to give the DANE check: it answers as the wrapped one and starts the TLS-RPT lookup of a TLSA base
    /// domain when it answers a TLSA query at <c>_&lt;port&gt;._tcp.&lt;base&gt;</c> with a secure RRset holding records.
    /// </summary>
    public IValidatedResolver Resolver { get; }

    /// <summary>
    /// The TLS-RPT lookups for the hosts of <paramref name="result"/> where DANE applies (a secure TLSA RRset: DaneMandatory or
    /// TlsMandatory), one per distinct TLSA base domain, in the order the hosts are listed; those already started are reused.
    /// </summary>
    /// <param name="result">The DANE check of the domain.</param>
    /// <returns>The lookups; failures are data (<see cref="TlsRptLookupResult.Problem"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The domain's token was cancelled.</exception>
    public async Task<TlsRptLookupResult[]> ForResultAsync(DaneDomainResult result)
    {
        if (result is null) throw new ArgumentNullException(nameof(result));
        var bases = result.MxHosts
            .Where(h => h.Requirement is DaneRequirement.DaneMandatory or DaneRequirement.TlsMandatory && h.TlsaBaseDomain.Length > 0)
            .Select(h => DnsName.TryParse(h.TlsaBaseDomain.TrimEnd('.'), out var n) ? n : null)
            .Where(n => n is not null)
            .Distinct()
            .Select(n => Start(n!));
        return await Task.WhenAll(bases).ConfigureAwait(false);
    }

    private Task<TlsRptLookupResult> Start(DnsName baseDomain) =>
        _started.GetOrAdd(baseDomain, b => new Lazy<Task<TlsRptLookupResult>>(
            () => DnsIoModes.StartBeside(() => TlsRptLookupResult.LookupAsync(_resolver, b, _cancellationToken)))).Value;

    private sealed class Watching : IValidatedResolver
    {
        private readonly DaneTlsRptLookup _owner;

        public Watching(DaneTlsRptLookup owner) => _owner = owner;

        public async Task<ValidatedAnswer> ResolveAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            var answer = await _owner._resolver.ResolveAsync(name, type, cancellationToken).ConfigureAwait(false);
            // _<port>._tcp.<base>: the two service labels stripped give the TLSA base domain (RFC 7672 section 2.2.3).
            if (type == DnsRecordType.TLSA && name.LabelCount > 2 && DaneVerdictTable.IsTlsaBase(answer))
            {
                var started = _owner.Start(name.GetAncestor(name.LabelCount - 2));
                // Observed here: a fault surfaces when ForResultAsync awaits it, or never if the host is not used.
                _ = started.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            return answer;
        }
    }
}
