using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>
/// Judges one validation of a mutated world against invariants that hold whatever the mutation was.
/// </summary>
/// <remarks>
/// <para>The oracle never asks "did this mutation break a signature?" (that would need a second validator); it
/// asks whether what the validator claims can be true of the original, unmutated world. A mutation cannot make
/// new signed data, so every Secure claim must be one the original world supports:</para>
/// <list type="bullet">
/// <item><b>ForgedSecure</b>: a Secure result must equal the world's unmutated Secure result for the same question:
/// same reason code (positive, NameDoesNotExist or NoData), same final name, same CNAME/DNAME links (owner, type,
/// target), and the same set of answer records compared as RRs (owner case-insensitive, type, class, canonical
/// RDATA of RFC 4034 section 6.2; TTL and duplicates ignored). An unmutated result that is not Secure admits no
/// Secure result at all.</item>
/// <item><b>ForgedChain</b>: every DS and DNSKEY a Secure result's zone links report must be a record of the
/// original world.</item>
/// <item><b>ForgedSignature</b>: in any result, every signature reported <c>Valid</c> (answer, denial and zone
/// links) must match the signed fields of an RRSIG of the original world (owner, or its wildcard form for an
/// expansion, type covered, algorithm, labels, key tag, signer, inception, expiration).</item>
/// <item><b>Downgrade</b>: a question whose unmutated result is Secure must not come out Insecure: Insecure needs
/// signed evidence (a signed DS absence, a signed DS set of unsupported algorithms, signed NSEC3 parameters) that a
/// Secure world cannot hold for the path of its own answer, so an Insecure there was made by the attacker (for
/// DANE, the downgrade to unauthenticated TLS).</item>
/// <item><b>Budget</b>: the work counters stay within the options' limits, and the questions the source
/// counted stay within <see cref="DnssecValidatorOptions.MaxQueries"/>.</item>
/// <item><b>Slow</b>: the call took longer than the time limit.</item>
/// <item><b>Exception</b> (set by the campaign): anything escaping <see cref="ChainValidator.ValidateAsync(DnsName, DnsRecordType, System.Threading.CancellationToken)"/>;
/// its documented exceptions (ArgumentException for RRSIG/OPT/ANY, OperationCanceledException) cannot occur here,
/// since the campaign asks no such type and never cancels.</item>
/// </list>
/// <para>Harmless mutations need no list in the code: they leave the reported content equal to the baseline (TTL
/// edits, RRSIG TTL, duplicates, reordering, case in names that RFC 4034 section 6.2 lowercases, extra or dropped
/// unrelated records) and so pass; the report lists the classes.</para>
/// </remarks>
internal static class FuzzOracle
{
    public const string ForgedSecure = "ForgedSecure";
    public const string ForgedChain = "ForgedChain";
    public const string ForgedSignature = "ForgedSignature";
    public const string Downgrade = "Downgrade";
    public const string Budget = "Budget";
    public const string Slow = "Slow";
    public const string Exception = "Exception";

    /// <summary>Checks one result; returns the violated invariants with a short why each.</summary>
    public static List<(string Kind, string Why)> Check(FuzzWorld world, DnssecChainResult result, DnssecValidatorOptions options, int queriesCounted, TimeSpan elapsed, TimeSpan limit)
    {
        var found = new List<(string, string)>();
        var baseline = world.Baseline;

        if (result.Status == DnssecStatus.Secure)
        {
            if (baseline.Status != DnssecStatus.Secure)
            {
                found.Add((ForgedSecure, $"Secure where the unmutated world is {baseline.Status} ({baseline.ReasonCode})"));
            }
            else
            {
                if (result.ReasonCode != baseline.ReasonCode) found.Add((ForgedSecure, $"Secure '{result.ReasonCode}' where the world says Secure '{baseline.ReasonCode}'"));
                if (!string.Equals(result.FinalName, baseline.FinalName, StringComparison.OrdinalIgnoreCase)) found.Add((ForgedSecure, $"final name {result.FinalName}, the world's is {baseline.FinalName}"));
                if (!SameAliases(result, baseline)) found.Add((ForgedSecure, "CNAME/DNAME links differ from the world's: " + string.Join(" > ", result.Aliases)));
                if (!SameRecords(result, baseline, out var extra)) found.Add((ForgedSecure, "answer records differ from the world's: " + extra));
            }
            foreach (var link in result.Links)
            {
                // An anchor link's DS set is the configured trust anchor, not data from the world.
                foreach (var ds in link.DsRecords.Where(d => !link.IsTrustAnchor && !Genuine(world, d.Record)))
                    found.Add((ForgedChain, $"zone {link.Zone}: DS not in the world: {ds.Record}"));
                foreach (var key in link.Keys.Where(k => !Genuine(world, k.Record)))
                    found.Add((ForgedChain, $"zone {link.Zone}: DNSKEY not in the world: {key.Record}"));
            }
        }

        if (result.Status == DnssecStatus.Insecure && baseline.Status == DnssecStatus.Secure)
            found.Add((Downgrade, $"Insecure ({result.ReasonCode}: {result.Reason?.Message}) where the unmutated world is Secure"));

        foreach (var sig in result.AnswerSignatures.Concat(result.Links.SelectMany(l => l.Signatures)).Where(s => s.Outcome == "Valid"))
        {
            if (!world.HoldsGenuineSignature(FuzzWorld.SignatureKey(sig))) found.Add((ForgedSignature, $"reported Valid, not an RRSIG of the world: {sig} labels={sig.Labels} signer={sig.Signer} {sig.InceptionUtc:O}..{sig.ExpirationUtc:O}"));
        }

        var w = result.Work;
        if (w.SignatureVerifications > options.MaxSignatureVerifications) found.Add((Budget, $"{w.SignatureVerifications} verifications > {options.MaxSignatureVerifications}"));
        if (w.Queries > options.MaxQueries || queriesCounted > options.MaxQueries) found.Add((Budget, $"{Math.Max(w.Queries, queriesCounted)} queries > {options.MaxQueries}"));
        if (w.MaxVerificationsForOneRrset > options.MaxSignatureVerificationsPerRrset) found.Add((Budget, $"{w.MaxVerificationsForOneRrset} verifications for one RRset > {options.MaxSignatureVerificationsPerRrset}"));
        if (w.MaxNsec3HashesInOneResponse > options.MaxNsec3HashesPerResponse) found.Add((Budget, $"{w.MaxNsec3HashesInOneResponse} NSEC3 hashes for one response > {options.MaxNsec3HashesPerResponse}"));
        if (w.Queries != queriesCounted) found.Add((Budget, $"the validator counted {w.Queries} queries, the source saw {queriesCounted}"));
        if (elapsed > limit) found.Add((Slow, $"{elapsed.TotalMilliseconds:F0} ms > {limit.TotalMilliseconds:F0} ms"));
        return found;
    }

    private static bool Genuine(FuzzWorld world, string presentation) =>
        ResourceRecord.TryParse(presentation, out var r, out _) && world.HoldsGenuine(r!);

    private static bool SameAliases(DnssecChainResult a, DnssecChainResult b) =>
        a.Aliases.Count == b.Aliases.Count && a.Aliases.Zip(b.Aliases, (x, y) =>
            x.Type == y.Type && string.Equals(x.Owner, y.Owner, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Target, y.Target, StringComparison.OrdinalIgnoreCase)).All(t => t);

    // Records compared as RRs (RFC 2181 section 5): a set, TTL ignored, names case-insensitive, canonical RDATA.
    private static bool SameRecords(DnssecChainResult a, DnssecChainResult b, out string difference)
    {
        var x = Parse(a);
        var y = Parse(b);
        if (x is null || y is null)
        {
            difference = "a reported record does not parse: " + string.Join(" | ", a.Records.Select(r => r.Record));
            return false;
        }
        var extra = x.Except(y).Concat(y.Except(x)).ToList();
        difference = string.Join(" | ", extra.Select(r => r.ToString()));
        return extra.Count == 0;
    }

    private static HashSet<ResourceRecord>? Parse(DnssecChainResult result)
    {
        var set = new HashSet<ResourceRecord>();
        foreach (var info in result.Records)
        {
            if (!ResourceRecord.TryParse(info.Record, out var r, out _)) return null;
            set.Add(r!);
        }
        return set;
    }
}
