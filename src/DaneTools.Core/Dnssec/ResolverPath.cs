using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>What the path to the DNS data is like, judged once before any domain is checked.</summary>
public enum ResolverPathKind
{
    /// <summary>The resolver returns RRSIGs, and the trust anchor's zone keys validate from the anchor.</summary>
    DnssecAware,

    /// <summary>The resolver answers but returns no RRSIGs (it drops the DO bit or strips DNSSEC records).</summary>
    StripsDnssec,

    /// <summary>The resolver (or, resolving iteratively, the root servers) did not answer, or refused.</summary>
    NoAnswer,

    /// <summary>The keys served for the trust anchor's zone do not match the trust anchor.</summary>
    TrustAnchorMismatch,

    /// <summary>The trust anchor's zone keys match, but their signatures are not valid at the validation time (a
    /// wrong local clock, or a -ValidationTime far from now).</summary>
    ClockOutsideSignatureWindow,
}

/// <summary>The verdict on a resolution path: its kind, a sentence that names the server, and what to do.</summary>
public sealed class ResolverPathReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="servers">The servers asked, for messages (e.g. <c>127.0.0.1:53</c>).</param>
    /// <param name="message">What was found, naming the servers.</param>
    /// <param name="recommendation">What to do about it; empty when nothing is needed.</param>
    /// <param name="reason">The validator's reason behind a mismatch, if any.</param>
    public ResolverPathReport(ResolverPathKind kind, string servers, string message, string recommendation, ValidationReason? reason = null)
    {
        Kind = kind;
        Servers = servers ?? string.Empty;
        Message = message ?? string.Empty;
        Recommendation = recommendation ?? string.Empty;
        Reason = reason;
    }

    /// <summary>Gets the kind.</summary>
    public ResolverPathKind Kind { get; }

    /// <summary>Gets the servers asked, for messages.</summary>
    public string Servers { get; }

    /// <summary>Gets what was found.</summary>
    public string Message { get; }

    /// <summary>Gets what to do about it; empty when the path is sound.</summary>
    public string Recommendation { get; }

    /// <summary>Gets the validator's reason behind a mismatch or a clock problem, or null.</summary>
    public ValidationReason? Reason { get; }

    /// <summary>Returns <see cref="Message"/>.</summary>
    /// <returns>The message.</returns>
    public override string ToString() => Message;
}

/// <summary>
/// Judges the path once, before the domains: asks for the trust anchor zone's DNSKEY RRset (the root's, normally)
/// with the DO bit and validates it from the anchor. A local problem (a resolver that strips DNSSEC, does not
/// answer, serves another root, or a clock outside the signatures' window) is then said once, instead of being
/// reported as a DNSSEC failure of every recipient domain.
/// </summary>
public static class ResolverPath
{
    /// <summary>Judges a path.</summary>
    /// <param name="source">The source to judge, without any fallback (the resolver itself, or the iterative source).</param>
    /// <param name="options">The validator options (trust anchors, validation time, budgets); null for the defaults.</param>
    /// <param name="servers">The servers behind <paramref name="source"/>, for messages.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The check was cancelled.</exception>
    public static async Task<ResolverPathReport> JudgeAsync(IDnsRecordSource source, DnssecValidatorOptions? options, string servers,
        CancellationToken cancellationToken = default)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        options ??= new DnssecValidatorOptions();
        var anchors = (options.TrustAnchors ?? TrustAnchorStore.CreateDefault()).Anchors;
        // The root's keys when the root is anchored; else the highest anchored zone.
        var zone = anchors.Select(a => a.Zone).OrderBy(z => z.LabelCount).FirstOrDefault() ?? DnsName.Root;
        string zoneText = zone.IsRoot ? "the root" : zone.ToString();

        DnsResponse response;
        try
        {
            response = await source.QueryAsync(zone, DnsRecordType.DNSKEY, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsTransportException ex)
        {
            return new ResolverPathReport(ResolverPathKind.NoAnswer, servers,
                $"{servers} did not answer the question for {zoneText}'s DNSKEY RRset: {ex.Message}",
                "Check that the resolver answers (or name one that does with -Server); a run against a resolver that does not answer cannot say anything about the domains.");
        }
        if (response.Rcode != DnsResponseCode.NoError)
        {
            return new ResolverPathReport(ResolverPathKind.NoAnswer, servers,
                $"{servers} answered the question for {zoneText}'s DNSKEY RRset with {response.Rcode}.",
                "Name a resolver that answers this machine's queries with -Server, or resolve from the root servers with -Resolution Iterative.");
        }
        bool hasKeys = response.Answer.Any(r => r.Type == DnsRecordType.DNSKEY && r.Owner.Equals(zone));
        bool hasSignatures = response.Answer.Any(r => r.Type == DnsRecordType.RRSIG && r.Owner.Equals(zone));
        if (!hasKeys || !hasSignatures)
        {
            return new ResolverPathReport(ResolverPathKind.StripsDnssec, servers,
                $"{servers} returns no RRSIG records ({zoneText} DNSKEY came back {(hasKeys ? "unsigned" : "without keys")}): it is not DNSSEC-aware (it drops the DO bit or strips DNSSEC records).",
                "DaneTools resolves from the root servers itself (-Resolution Auto); name a DNSSEC-aware resolver with -Server to use one.");
        }

        var validator = new ChainValidator(source, options);
        var result = await validator.ValidateAsync(zone, DnsRecordType.DNSKEY, cancellationToken).ConfigureAwait(false);
        if (result.Status == DnssecStatus.Secure)
            return new ResolverPathReport(ResolverPathKind.DnssecAware, servers, $"{servers} returns DNSSEC records, and {zoneText}'s keys validate from the trust anchor.", string.Empty);
        var reason = result.Reason;
        if (reason?.Code is ReasonCodes.RrsigExpired or ReasonCodes.RrsigNotYetValid)
        {
            return new ResolverPathReport(ResolverPathKind.ClockOutsideSignatureWindow, servers,
                $"{zoneText}'s DNSKEY RRset served by {servers} is not validly signed at {result.ValidationTimeUtc:yyyy-MM-ddTHH:mm:ssZ}: {reason.Message}",
                "Check this machine's clock (and -ValidationTime): every signature would look expired or not yet valid.", reason);
        }
        if (result.Status == DnssecStatus.Indeterminate)
        {
            return new ResolverPathReport(ResolverPathKind.NoAnswer, servers,
                $"{servers} gave no usable answer for {zoneText}'s DNSKEY RRset: {reason?.Message}",
                "Check that the resolver answers, or name one that does with -Server.", reason);
        }
        return new ResolverPathReport(ResolverPathKind.TrustAnchorMismatch, servers,
            $"The trust anchor does not match {zoneText}'s keys served by {servers}: {reason?.Message}",
            "Check -TrustAnchor (or, with the built-in IANA anchors, that the resolver serves the public root).", reason);
    }
}
