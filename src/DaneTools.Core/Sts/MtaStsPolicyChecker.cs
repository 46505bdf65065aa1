using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Sts;

/// <summary>
/// MTA-STS policy discovery (RFC 8461 section 3): the TXT record at <c>_mta-sts.&lt;domain&gt;</c> through our own
/// resolver (CNAMEs followed; only records starting <c>v=STSv1;</c>; exactly one), the addresses of
/// <c>mta-sts.&lt;domain&gt;</c> through the same resolver, then <see cref="MtaStsFetcher"/> and
/// <see cref="MtaStsPolicy.TryParse"/>. No cache: every call fetches. Thread-safe.
/// </summary>
/// <remarks>MTA-STS does not need DNSSEC: Secure and Insecure answers are used alike; Bogus or failed lookups are problems.</remarks>
public sealed class MtaStsPolicyChecker
{
    private readonly IValidatedResolver _resolver;
    private readonly Action<string>? _trace;

    /// <summary>Creates a checker.</summary>
    /// <param name="resolver">Our resolver (the one Test-DaneDomain uses).</param>
    /// <param name="trace">Receives one line per step (the -Verbose trace); null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is null.</exception>
    public MtaStsPolicyChecker(IValidatedResolver resolver, Action<string>? trace = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _trace = trace;
    }

    /// <summary>Discovers and fetches the policy of one domain.</summary>
    /// <param name="domain">The policy domain (A-label, no trailing dot).</param>
    /// <param name="options">Fetch limits and trust; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The result; problems are data, never exceptions.</returns>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a domain name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<MtaStsPolicyResult> CheckAsync(string domain, MtaStsFetchOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MtaStsFetchOptions();
        if (!DnsName.TryParse(domain, out var name, out var error) || name is null || name.IsRoot)
            throw new ArgumentException($"'{domain}' is not a domain name: {error}.", nameof(domain));
        var display = name.ToString().TrimEnd('.').ToLowerInvariant();
        var when = options.ValidationTime ?? DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var problems = new List<MtaStsProblem>();
        var warnings = new List<string>();
        var hostLookups = new List<DaneLookupResult>();
        // RFC 8460 section 3: the recipient domain is the TLS-RPT policy domain for MTA-STS; the record does not depend on the policy.
        // It overlaps the _mta-sts TXT lookup, also on a bulk worker whose reads block it (DnsIoModes.StartBeside).
        var tlsRptTask = DnsIoModes.StartBeside(() => TlsRptLookupResult.LookupAsync(_resolver, name, cancellationToken));
        TlsRptLookupResult tlsRpt = null!;
        async Task<TlsRptLookupResult> TlsRptDone(Task<TlsRptLookupResult> lookup)
        {
            var r = await lookup.ConfigureAwait(false);
            _trace?.Invoke($"TLS-RPT: {r}");
            return r;
        }
        MtaStsPolicyResult Done(DaneLookupResult? txt, IReadOnlyList<string> records, MtaStsTxtRecord? record, MtaStsFetchResult? fetch, MtaStsPolicy? policy) =>
            new(display, txt, records, record, hostLookups, fetch, policy, problems, warnings, when, Math.Round(clock.Elapsed.TotalMilliseconds, 1), tlsRpt);

        var txtName = name.Prepend("_mta-sts");
        _trace?.Invoke($"MTA-STS: TXT {txtName}");
        ValidatedAnswer txt;
        try { txt = await _resolver.ResolveAsync(txtName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false); }
        catch (DnsTransportException ex)
        {
            tlsRpt = await TlsRptDone(tlsRptTask).ConfigureAwait(false);
            problems.Add(new MtaStsProblem(MtaStsResultTypes.PolicyFetchError, $"The TXT lookup of {txtName} failed: {ex.Message}"));
            return Done(null, Array.Empty<string>(), null, null, null);
        }
        tlsRpt = await TlsRptDone(tlsRptTask).ConfigureAwait(false);
        var txtLookup = new DaneLookupResult(txt);
        if (!txt.IsUsable)
        {
            problems.Add(new MtaStsProblem(MtaStsResultTypes.PolicyFetchError, $"The TXT lookup of {txtName} gave {txt.Status} ({txt.Reason?.Code})."));
            return Done(txtLookup, Array.Empty<string>(), null, null, null);
        }
        var texts = txt.Records.Where(r => r.Type == DnsRecordType.TXT).Select(r => TxtText(r.GetRdata())).ToList();
        var sts = texts.Where(t => t.StartsWith(MtaStsTxtRecord.VersionPrefix, StringComparison.Ordinal)).ToList();
        _trace?.Invoke($"MTA-STS: {texts.Count} TXT record(s), {sts.Count} starting '{MtaStsTxtRecord.VersionPrefix}'");
        if (sts.Count == 0)
        {
            if (texts.Any(t => t.StartsWith("v=STSv1", StringComparison.OrdinalIgnoreCase)))
                warnings.Add($"A TXT record at {txtName} looks like MTA-STS but does not start exactly '{MtaStsTxtRecord.VersionPrefix}'; it is discarded.");
            return Done(txtLookup, sts, null, null, null);
        }
        if (sts.Count > 1)
        {
            problems.Add(new MtaStsProblem(MtaStsResultTypes.PolicyInvalid, $"{txtName} holds {sts.Count} records starting '{MtaStsTxtRecord.VersionPrefix}'; RFC 8461 section 3.1 allows exactly one."));
            return Done(txtLookup, sts, null, null, null);
        }
        if (!MtaStsTxtRecord.TryParse(sts[0], out var record, out var recordError))
        {
            problems.Add(new MtaStsProblem(MtaStsResultTypes.PolicyInvalid, $"The TXT record at {txtName} is invalid: {recordError}"));
            return Done(txtLookup, sts, null, null, null);
        }
        _trace?.Invoke($"MTA-STS: policy id {record!.Id}");

        var policyHost = name.Prepend("mta-sts");
        var addresses = new List<IPAddress>();
        // A and AAAA overlap (DnsIoModes.StartTogether); a transport failure of one leaves the other's addresses.
        var types = new[] { DnsRecordType.A, DnsRecordType.AAAA };
        var addressLookups = DnsIoModes.StartTogether(types.Select(type => (Func<Task<ValidatedAnswer?>>)(async () =>
        {
            try { return await _resolver.ResolveAsync(policyHost, type, cancellationToken).ConfigureAwait(false); }
            catch (DnsTransportException ex)
            {
                _trace?.Invoke($"MTA-STS: {type} {policyHost}: {ex.Message}");
                return null;
            }
        })).ToList());
        for (int i = 0; i < types.Length; i++)
        {
            var answer = await addressLookups[i].ConfigureAwait(false);
            if (answer is null) continue;
            hostLookups.Add(new DaneLookupResult(answer));
            if (answer.IsUsable)
                addresses.AddRange(answer.Records.Where(r => r.Type == types[i]).Select(r => new IPAddress(r.GetRdata())));
        }
        _trace?.Invoke($"MTA-STS: {policyHost} has {addresses.Count} address(es): {string.Join(", ", addresses)}");
        if (addresses.Count == 0)
        {
            problems.Add(new MtaStsProblem(MtaStsResultTypes.PolicyFetchError, $"The policy host {policyHost.ToString().TrimEnd('.')} has no usable address."));
            return Done(txtLookup, sts, record, null, null);
        }
        var fetch = await MtaStsFetcher.FetchAsync(display, addresses, options, _trace, cancellationToken).ConfigureAwait(false);
        warnings.AddRange(fetch.Warnings);
        if (!fetch.Succeeded)
        {
            problems.Add(fetch.Problem!);
            return Done(txtLookup, sts, record, fetch, null);
        }
        if (!MtaStsPolicy.TryParse(fetch.Body, out var policy, out var policyError))
        {
            problems.Add(new MtaStsProblem(MtaStsResultTypes.PolicyInvalid, $"The policy at {fetch.Url} is invalid: {policyError}"));
            return Done(txtLookup, sts, record, fetch, null);
        }
        warnings.AddRange(policy!.Warnings);
        _trace?.Invoke($"MTA-STS: {policy}");
        return Done(txtLookup, sts, record, fetch, policy);
    }

    /// <summary>Warnings about a policy against the domain's MX hosts: patterns that cover no MX host, MX hosts no pattern covers.</summary>
    /// <param name="policy">The policy, or null (no warnings).</param>
    /// <param name="mxHosts">The MX host names.</param>
    /// <returns>The warnings, in policy order then MX order.</returns>
    public static IReadOnlyList<string> CoverageWarnings(MtaStsPolicy? policy, IEnumerable<string> mxHosts)
    {
        var warnings = new List<string>();
        if (policy is null || policy.Mode == MtaStsMode.None) return warnings;
        var hosts = mxHosts.Select(h => h.TrimEnd('.').ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        if (hosts.Count == 0) return warnings;
        foreach (var p in policy.MxPatterns.Where(p => !hosts.Any(h => MtaStsMxPattern.Matches(p, h))))
            warnings.Add($"The mx pattern '{p}' covers no MX host of the domain.");
        foreach (var h in hosts.Where(h => policy.MatchingPattern(h) is null))
            warnings.Add($"The MX host {h} is covered by no mx pattern: a sender applying the policy in enforce mode will not deliver to it.");
        return warnings;
    }

    /// <summary>Concatenates the character-strings of TXT RDATA (RFC 1035 section 3.3.14; RFC 8461 section 3.1).</summary>
    internal static string TxtText(byte[] rdata)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < rdata.Length)
        {
            int len = rdata[i++];
            len = Math.Min(len, rdata.Length - i);
            sb.Append(Encoding.UTF8.GetString(rdata, i, len));
            i += len;
        }
        return sb.ToString();
    }
}
