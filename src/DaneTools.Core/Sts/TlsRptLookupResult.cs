using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Sts;

/// <summary>
/// The TLS-RPT record of one policy domain as a sender finds it (RFC 8460 section 3): the TXT lookup at
/// <c>_smtp._tls.&lt;domain&gt;</c>, the records starting <c>v=TLSRPTv1;</c>, the one valid record or the problem
/// that leaves the domain without TLS-RPT. Immutable.
/// </summary>
public sealed class TlsRptLookupResult
{
    private TlsRptLookupResult(string policyDomain, IReadOnlyList<string> records, TlsRptRecord? record, string? problem)
    {
        PolicyDomain = policyDomain;
        Records = new TextList<string>(records);
        Record = record;
        Problem = problem ?? string.Empty;
    }

    /// <summary>Gets the policy domain (A-label, lower case, no trailing dot).</summary>
    public string PolicyDomain { get; }

    /// <summary>Gets the owner name looked up: <c>_smtp._tls.&lt;PolicyDomain&gt;</c>.</summary>
    public string RecordName => "_smtp._tls." + PolicyDomain;

    /// <summary>Gets the TXT records starting <c>v=TLSRPTv1;</c> (strings concatenated).</summary>
    public IReadOnlyList<string> Records { get; }

    /// <summary>Gets the one valid record, or null.</summary>
    public TlsRptRecord? Record { get; }

    /// <summary>Gets the rua URIs of <see cref="Record"/> (empty without one).</summary>
    public IReadOnlyList<string> ReportUris => Record?.ReportUris ?? new TextList<string>(null);

    /// <summary>Gets why the published record(s) cannot be used (lookup failure, several records, grammar), or an empty string.</summary>
    public string Problem { get; }

    /// <summary>Gets the record's warnings (unusable URI schemes, a second rua).</summary>
    public IReadOnlyList<string> Warnings => Record?.Warnings ?? new TextList<string>(null);

    /// <summary>Gets whether the domain publishes a record starting <c>v=TLSRPTv1;</c> at all.</summary>
    public bool Published => Records.Count > 0;

    /// <summary>Looks up and selects the record (no DNSSEC needed: Secure and Insecure answers alike).</summary>
    /// <param name="resolver">Our resolver.</param>
    /// <param name="policyDomain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The result; failures are data.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TlsRptLookupResult> LookupAsync(IValidatedResolver resolver, DnsName policyDomain, CancellationToken cancellationToken = default)
    {
        if (resolver is null) throw new ArgumentNullException(nameof(resolver));
        if (policyDomain is null) throw new ArgumentNullException(nameof(policyDomain));
        var display = policyDomain.ToString().TrimEnd('.').ToLowerInvariant();
        var owner = policyDomain.Prepend("_tls").Prepend("_smtp");
        ValidatedAnswer answer;
        try { answer = await resolver.ResolveAsync(owner, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false); }
        catch (DnsTransportException ex) { return new TlsRptLookupResult(display, Array.Empty<string>(), null, $"The TXT lookup of _smtp._tls.{display} failed: {ex.Message}"); }
        if (!answer.IsUsable)
            return new TlsRptLookupResult(display, Array.Empty<string>(), null, $"The TXT lookup of _smtp._tls.{display} gave {answer.Status} ({answer.Reason?.Code}).");
        var texts = answer.Records.Where(r => r.Type == DnsRecordType.TXT).Select(r => MtaStsPolicyChecker.TxtText(r.GetRdata())).ToList();
        TlsRptRecord.TrySelect(texts, out var record, out var problem);
        return new TlsRptLookupResult(display, texts.Where(t => t.StartsWith(TlsRptRecord.VersionPrefix, StringComparison.Ordinal)).ToList(), record, problem);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Record is not null ? $"{RecordName}: {string.Join(", ", Record.ReportUris)}"
        : Problem.Length > 0 ? $"{RecordName}: {Problem}" : $"{RecordName}: none";
}
