using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dane;

namespace DaneTools.Core.Sts;

/// <summary>
/// MTA-STS discovery and fetch for one domain (RFC 8461 sections 3 and 5): the TXT record, the fetched policy (text and
/// parsed), the policy host's chain and WebPKI verdict, and every problem with its RFC 8460 result type. Immutable.
/// </summary>
/// <remarks><see cref="Mode"/> is the policy a sender applies: NoPolicy when discovery, fetch or parsing failed (RFC 8461
/// section 5: without a cached policy a sender delivers as if the domain had none), whatever the TXT record says.</remarks>
public sealed class MtaStsPolicyResult
{
    internal MtaStsPolicyResult(string domainName, DaneLookupResult? txtLookup, IReadOnlyList<string> stsRecords, MtaStsTxtRecord? record,
        IReadOnlyList<DaneLookupResult> policyHostLookups, MtaStsFetchResult? fetch, MtaStsPolicy? policy,
        IReadOnlyList<MtaStsProblem> problems, IReadOnlyList<string> warnings, DateTime validationTimeUtc, double elapsedMilliseconds, TlsRptLookupResult? tlsRpt = null)
    {
        TlsRpt = tlsRpt;
        DomainName = domainName;
        TxtLookup = txtLookup;
        StsRecords = new TextList<string>(stsRecords);
        Record = record;
        PolicyHostLookups = new TextList<DaneLookupResult>(policyHostLookups);
        Fetch = fetch;
        Policy = policy;
        Problems = new TextList<MtaStsProblem>(problems);
        Warnings = new TextList<string>(warnings);
        ValidationTimeUtc = validationTimeUtc;
        ElapsedMilliseconds = elapsedMilliseconds;
    }

    /// <summary>Gets the policy domain (A-label, lower case, no trailing dot).</summary>
    public string DomainName { get; }

    /// <summary>Gets the TXT lookup at <c>_mta-sts.&lt;domain&gt;</c> (CNAMEs followed), or null when it could not be made.</summary>
    public DaneLookupResult? TxtLookup { get; }

    /// <summary>Gets the TXT records that start <c>v=STSv1;</c> (strings concatenated); the others are discarded.</summary>
    public IReadOnlyList<string> StsRecords { get; }

    /// <summary>Gets the parsed TXT record when exactly one valid record was found, else null.</summary>
    public MtaStsTxtRecord? Record { get; }

    /// <summary>Gets the policy id of <see cref="Record"/>, or an empty string.</summary>
    public string PolicyId => Record?.Id ?? string.Empty;

    /// <summary>Gets the A and AAAA lookups of <c>mta-sts.&lt;domain&gt;</c>.</summary>
    public IReadOnlyList<DaneLookupResult> PolicyHostLookups { get; }

    /// <summary>Gets the HTTPS fetch, or null when none was made.</summary>
    public MtaStsFetchResult? Fetch { get; }

    /// <summary>Gets the policy URL.</summary>
    public string PolicyUrl => Fetch?.Url ?? "https://mta-sts." + DomainName + MtaStsFetcher.WellKnownPath;

    /// <summary>Gets the HTTP status, or null.</summary>
    public int? HttpStatus => Fetch?.HttpStatus;

    /// <summary>Gets the policy text as fetched, or null.</summary>
    public string? PolicyText => Fetch?.Body;

    /// <summary>Gets the policy host's chain, leaf first.</summary>
    public IReadOnlyList<PresentedCertificate> PolicyHostChain => Fetch?.Chain ?? new TextList<PresentedCertificate>(null);

    /// <summary>Gets the parsed policy when it is valid, else null.</summary>
    public MtaStsPolicy? Policy { get; }

    /// <summary>Gets the mode a sender applies (NoPolicy unless a valid policy was fetched).</summary>
    public MtaStsMode Mode => Policy?.Mode ?? MtaStsMode.NoPolicy;

    /// <summary>Gets <see cref="Mode"/> as a name.</summary>
    public string ModeText => Mode.ToString();

    /// <summary>Gets the policy's max_age in seconds, or null.</summary>
    public long? MaxAgeSeconds => Policy?.MaxAgeSeconds;

    /// <summary>Gets the policy's mx patterns (empty without a policy).</summary>
    public IReadOnlyList<string> MxPatterns => Policy?.MxPatterns ?? new TextList<string>(null);

    /// <summary>Gets every problem in the order met, each with its RFC 8460 result type.</summary>
    public IReadOnlyList<MtaStsProblem> Problems { get; }

    /// <summary>Gets the result type of the first problem (the one that stopped discovery), or an empty string.</summary>
    public string ResultType => Problems.Count > 0 ? Problems[0].ResultType : string.Empty;

    /// <summary>Gets remarks: media type, max_age under a day, empty lines, repeated keys, mx patterns and MX hosts that do not meet.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the domain's TLS-RPT record (RFC 8460 section 3, <c>_smtp._tls.&lt;domain&gt;</c>), or null when not looked up.</summary>
    public TlsRptLookupResult? TlsRpt { get; }

    /// <summary>Gets whether the domain has one valid TLS-RPT record.</summary>
    public bool TlsRptValid => TlsRpt?.Record is not null;

    /// <summary>Gets the TLS-RPT rua URIs (empty without a valid record).</summary>
    public IReadOnlyList<string> TlsRptReportUris => TlsRpt?.ReportUris ?? new TextList<string>(null);

    /// <summary>Gets why the published TLS-RPT record(s) cannot be used, or an empty string.</summary>
    public string TlsRptProblem => TlsRpt?.Problem ?? string.Empty;

    /// <summary>Gets whether the domain publishes an MTA-STS TXT record at all (valid or not).</summary>
    public bool Published => StsRecords.Count > 0;

    /// <summary>Gets the time, UTC, at which certificates were judged.</summary>
    public DateTime ValidationTimeUtc { get; }

    /// <summary>Gets how long discovery and fetch took, in milliseconds.</summary>
    public double ElapsedMilliseconds { get; }

    /// <summary>Returns a copy with more warnings (e.g. once MX hosts are known).</summary>
    /// <param name="more">The warnings to append.</param>
    /// <returns>The copy.</returns>
    public MtaStsPolicyResult WithWarnings(IEnumerable<string> more) =>
        new(DomainName, TxtLookup, StsRecords, Record, PolicyHostLookups, Fetch, Policy, Problems, Warnings.Concat(more).ToList(), ValidationTimeUtc, ElapsedMilliseconds, TlsRpt);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{DomainName}: {ModeText}" + (Record is null ? string.Empty : $" id={PolicyId}") + (Problems.Count == 0 ? string.Empty : $": {Problems[0]}");
}
