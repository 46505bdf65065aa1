using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Validates one name and type from a trust anchor down, zone cut by zone cut, through an
/// <see cref="IDnsRecordSource"/> (RFC 4033-4035, RFC 5155, RFC 6840).
/// </summary>
/// <remarks>
/// <para>For each answer the validator finds the zone that signed it (the RRSIG signer, or the query name when the
/// answer is unsigned), then walks from the closest trust anchor towards it: the anchor zone's DNSKEY RRset is
/// authenticated from the anchor, then for each label below it a DS question is asked. A signed DS RRset is a zone
/// cut (its DNSKEY RRset is authenticated from the DS, <see cref="DsMatcher"/>); a validated NSEC/NSEC3 proof shows
/// an unsigned delegation (Insecure), a name that is no zone cut, or a name that does not exist.</para>
/// <para>The answer is then checked with the zone's keys (<see cref="RrsetVerifier"/>): a positive RRset (a wildcard
/// expansion also needs the proof that the query name does not exist), a CNAME or DNAME link that is followed link
/// by link (at most 12), or a NXDOMAIN/NODATA proof (<see cref="NsecProver"/>, <see cref="Nsec3Prover"/>), which is
/// Secure with reason NameDoesNotExist or NoData. Denial records are used at the owner their RRSIG was made over (a
/// wildcard-expanded NSEC at <c>*.</c> plus its Labels labels, RFC 4035 section 5.3.2). A DNAME that is itself a wildcard
/// expansion is Bogus (RFC 6672 section 3.3); a CNAME question answered through a DNAME is proven by the DNAME (section
/// 5.3.1); a YXDOMAIN answer has its DNAME validated and is Indeterminate when the substitution is indeed too long
/// (section 2.2).</para>
/// <para>Work budgets are counted per call, chain included, cache hits free; exceeding one gives Bogus with
/// WorkLimitExceeded. Options are snapshotted when a call starts. Instances are safe for concurrent use.</para>
/// </remarks>
public sealed partial class ChainValidator
{
    private readonly IDnsRecordSource _source;
    private readonly DnssecValidatorOptions _options;
    private readonly IClock _clock;
    private readonly ValidationCache _cache;
    private readonly ISignatureVerifier _verifier;
    private readonly KeyEntryWalk _keyEntries;

    /// <summary>Creates a validator.</summary>
    /// <param name="source">Where questions are asked.</param>
    /// <param name="options">The options; null means the defaults (IANA root anchors, now, budgets of DESIGN.md section 5).</param>
    /// <param name="clock">The clock for "now" and cache expiry; null means the system clock.</param>
    /// <param name="cache">A cache to share with other validators; null means a private one.</param>
    /// <param name="verifier">The signature verifier; null means <see cref="DnssecSignatureVerifier.Shared"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public ChainValidator(IDnsRecordSource source, DnssecValidatorOptions? options = null, IClock? clock = null, ValidationCache? cache = null, ISignatureVerifier? verifier = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? new DnssecValidatorOptions();
        _clock = clock ?? SystemClock.Instance;
        _cache = cache ?? new ValidationCache();
        _verifier = verifier ?? DnssecSignatureVerifier.Shared;
        _keyEntries = new KeyEntryWalk(this);
    }

    /// <summary>Gets the cache this validator uses.</summary>
    public ValidationCache Cache => _cache;

    /// <summary>Validates a name and type given in presentation form.</summary>
    /// <param name="name">The name, e.g. <c>_25._tcp.mail.example.com</c>.</param>
    /// <param name="type">The type.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The result, as for <see cref="ValidateAsync(DnsName, DnsRecordType, CancellationToken)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="name"/> is not a valid domain name.</exception>
    /// <exception cref="OperationCanceledException">The validation was cancelled.</exception>
    public Task<DnssecChainResult> ValidateAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
        ValidateAsync(DnsName.Parse(name ?? throw new ArgumentNullException(nameof(name))), type, cancellationToken);

    /// <summary>Validates a name and type.</summary>
    /// <param name="name">The query name.</param>
    /// <param name="type">The query type (not RRSIG or ANY).</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>
    /// Secure when the answer (or a proven NXDOMAIN/NODATA, reason NameDoesNotExist/NoData) validates from an anchor;
    /// Insecure when a validated proof shows an unsigned delegation, unsupported algorithms or too many NSEC3
    /// iterations on the way; Bogus when a signature, key, DS or proof fails or a budget is exceeded;
    /// Indeterminate when no anchor covers the name, a question got no usable answer, or a validated DNAME makes the name
    /// too long (YXDOMAIN, reason DnameSubstitutionTooLong).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is RRSIG, OPT or ANY.</exception>
    /// <exception cref="OperationCanceledException">The validation was cancelled.</exception>
    public async Task<DnssecChainResult> ValidateAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        if (type is DnsRecordType.RRSIG or DnsRecordType.OPT or DnsRecordType.ANY) throw new ArgumentException($"Type {type} cannot be validated.", nameof(type));
        var settings = _options.Snapshot(_clock);
        var ctx = new Context(settings, _verifier, _clock.UtcNow, cancellationToken);

        var aliases = new List<DnssecAliasLink>();
        var visited = new HashSet<DnsName> { name };
        var current = name;
        Outcome final;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await ValidateOneAsync(ctx, current, type).ConfigureAwait(false);
            if (outcome.AliasTarget is null)
            {
                final = outcome;
                break;
            }
            aliases.Add(outcome.Alias!);
            if (outcome.Status is DnssecStatus.Bogus or DnssecStatus.Indeterminate)
            {
                final = outcome;
                break;
            }
            if (aliases.Count > settings.MaxChainLinks || !visited.Add(outcome.AliasTarget))
            {
                final = new Outcome(DnssecStatus.Indeterminate, ValidationReason.Create(ReasonCodes.CnameChainTooLong, null, outcome.Alias!.Record,
                    visited.Contains(outcome.AliasTarget) && aliases.Count <= settings.MaxChainLinks
                        ? $"The CNAME/DNAME chain loops back to {outcome.AliasTarget}."
                        : $"The CNAME/DNAME chain is longer than {settings.MaxChainLinks} links."), current);
                break;
            }
            current = outcome.AliasTarget;
        }

        // The chain's status is its weakest link: Bogus, then Indeterminate, then Insecure, then Secure.
        var status = final.Status;
        var reason = final.Reason;
        foreach (var link in aliases)
        {
            if (Rank(link.Status) < Rank(status))
            {
                status = link.Status;
                reason = link.Reason;
            }
        }
        if (status == DnssecStatus.Bogus && reason is not null) reason = NameServer(reason, ctx);
        foreach (var w in ctx.Verifier.Warnings) ctx.Warnings.Add(w);
        var records = final.Records.Select(r => new DnssecRecordInfo(r, final.Status)).ToList().AsReadOnly();
        return new DnssecChainResult(name.ToString(), type, status, reason, final.Name.ToString(), records, aliases.AsReadOnly(),
            ctx.Warnings.ToList().AsReadOnly(), ctx.Links.AsReadOnly(), settings.ValidationTime, ctx.Budget.Snapshot(), ctx.AnswerSignatures.AsReadOnly(),
            ctx.AnswerServer ?? string.Empty);
    }

    // A bogus verdict names the server that served the failing data: the zone link's, else the answer's
    // (after a resolver SERVFAIL that is the zone's authoritative server, DESIGN.md section 4).
    private static ValidationReason NameServer(ValidationReason reason, Context ctx)
    {
        var link = ctx.Links.LastOrDefault(l => l.Status == DnssecStatus.Bogus);
        var server = link is null ? ctx.AnswerServer
            : reason.Code is ReasonCodes.DsDigestMismatch or ReasonCodes.NoDnskeyForDs && link.DsServer.Length > 0 ? link.DsServer
            : link.Server;
        if (string.IsNullOrEmpty(server) || reason.Message.Contains(server!)) return reason;
        return new ValidationReason(reason.Code, reason.ExtendedDnsError, reason.Zone, reason.Record, $"{reason.Message} Served by {server}.");
    }

    private static int Rank(DnssecStatus s) => s switch
    {
        DnssecStatus.Bogus => 0,
        DnssecStatus.Indeterminate => 1,
        DnssecStatus.Insecure => 2,
        _ => 3,
    };

    // ------------------------------------------------------------------ one question

    // Classify the response (ResponseClassifier), find the key entry of the zone that signs it, and hand it to the prover of
    // its class: the answer (positive, CNAME, DNAME, wildcard), a referral, or a denial (NXDOMAIN, NODATA).
    private async Task<Outcome> ValidateOneAsync(Context ctx, DnsName qname, DnsRecordType qtype)
    {
        if (ctx.Settings.Anchors.FindClosest(qname) is null)
        {
            // Nothing could validate the answer: do not even ask.
            return new Outcome(DnssecStatus.Indeterminate, ValidationReason.Create(ReasonCodes.NoTrustAnchor, null, qname.ToString(),
                $"No trust anchor is configured for {qname} or any of its ancestors."), qname);
        }

        var (resp, failure) = await QueryAsync(ctx, qname, qtype, allowYxDomain: true).ConfigureAwait(false);
        if (resp is null) return new Outcome(failure!.Value.Status, failure.Value.Reason, qname);
        ctx.AnswerServer = resp.Server;

        var c = ResponseClassifier.Classify(resp, qname, qtype);
        if (c.YxDomain && c.Dname is null)
        {
            var from = resp.Server.Length > 0 ? $" from {resp.Server}" : string.Empty;
            return new Outcome(DnssecStatus.Indeterminate, ValidationReason.Create(ReasonCodes.ServerFailure, null, $"{qname} {DnsRecordTypeText.ToText(qtype)}",
                $"The question {qname} {DnsRecordTypeText.ToText(qtype)} was answered YXDOMAIN{from} without a DNAME to explain it."), qname);
        }

        var entry = await _keyEntries.FindAsync(ctx, ResponseClassifier.KeyTarget(resp, c, qname, qtype)).ConfigureAwait(false);
        if (entry.Status != DnssecStatus.Secure)
        {
            var reason = entry.Reason;
            if (entry.Status == DnssecStatus.Insecure && reason is null)
                reason = ValidationReason.Create(ReasonCodes.InsecureDelegation, entry.Zone.ToString(), null, $"{entry.Zone} is unsigned.");
            var outcome = new Outcome(entry.Status, reason, qname) { Records = c.Synthesized ?? c.Relevant };
            return c.Follow ? WithAlias(outcome, qname, c.Cname, c.Dname) : outcome;
        }

        if (c.Class != ResponseClass.Negative) return ProveAnswer(ctx, resp, c, qname, entry);
        return ResponseClassifier.ClassifyNegative(resp, qname, entry.Zone, out var cut) == ResponseClass.Referral
            ? ProveReferral(ctx, resp, qname, cut!, entry)
            : ProveNegative(ctx, resp, qname, qtype, resp.Rcode == DnsResponseCode.NXDomain, entry);
    }

    /// <summary>A positive answer or alias: its RRSIG, then a wildcard expansion's proof, a DNAME's substitution, the alias followed.</summary>
    private Outcome ProveAnswer(Context ctx, DnsResponse resp, ClassifiedResponse c, DnsName qname, KeyEntry entry)
    {
        var zone = entry.Zone;
        var relevant = c.Relevant;
        var check = ctx.Verifier.Verify(relevant, c.AnswerSignatures, zone, entry.Keys);
        ctx.AnswerSignatures.AddRange(check.Signatures);
        Outcome outcome;
        if (!check.IsSecure)
        {
            outcome = new Outcome(DnssecStatus.Bogus, check.Reason, qname) { Records = relevant };
        }
        else
        {
            ctx.WarnSha1(zone, check.Key!.Algorithm);
            outcome = check.IsWildcardExpansion(relevant[0].Owner)
                ? ProveWildcard(ctx, resp, c, qname, entry, check)
                : new Outcome(DnssecStatus.Secure, null, qname) { Records = relevant };
        }
        if (outcome.Status == DnssecStatus.Secure && (c.Synthesized is not null || c.YxDomain))
            outcome = CheckDnameSubstitution(outcome, qname, c.Dname!, zone, c.Synthesized);
        return c.Follow ? WithAlias(outcome, qname, c.Cname, c.Dname) : outcome;
    }

    /// <summary>
    /// A validly signed wildcard expansion (RRSIG Labels below the owner's): the query name must be proven not to exist
    /// (RFC 4035 section 5.3.4, RFC 5155 section 8.8); a DNAME from a wildcard is never followed.
    /// </summary>
    private Outcome ProveWildcard(Context ctx, DnsResponse resp, ClassifiedResponse c, DnsName qname, KeyEntry entry, RrsetCheck check)
    {
        var zone = entry.Zone;
        var relevant = c.Relevant;
        var owner = relevant[0].Owner;
        if (c.Dname is not null && relevant[0].Type == DnsRecordType.DNAME)
        {
            // A DNAME from a wildcard is never followed: its substitution is ill-defined (RFC 4592 section 4.4,
            // RFC 6672 section 3.3); Unbound rates it Bogus as well.
            var wildcard = owner.GetAncestor(check.Signature!.Labels).Prepend(new[] { (byte)'*' });
            return new Outcome(DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.WildcardDname, zone.ToString(), $"{owner} DNAME",
                $"The DNAME at {owner} is itself a wildcard expansion of {wildcard} (its RRSIG has Labels {check.Signature.Labels}); a DNAME synthesised from a wildcard is never followed (RFC 4592 section 4.4, RFC 6672 section 3.3)."), qname)
                { Records = relevant };
        }
        var closestEncloser = owner.GetAncestor(check.Signature!.Labels);
        var evidence = new DenialEvidence();
        var denial = ProveDenial(ctx, resp, zone, entry.Keys, DenialQuestion.WildcardAnswer, owner, relevant[0].Type, closestEncloser, evidence);
        ctx.Absorb(evidence);
        if (denial.Verdict == DenialVerdict.NameError) return new Outcome(DnssecStatus.Secure, null, qname) { Records = relevant };
        var (st, why) = MapDenial(denial, zone, $"{owner} {DnsRecordTypeText.ToText(relevant[0].Type)}", wildcard: true);
        return new Outcome(st, why, qname) { Records = relevant };
    }

    /// <summary>A referral (an authoritative server's NS set below the zone, no SOA): the delegation must be proven unsigned.</summary>
    private Outcome ProveReferral(Context ctx, DnsResponse resp, DnsName qname, DnsName cut, KeyEntry entry)
    {
        var zone = entry.Zone;
        string referral = $"{cut} NS";
        if (resp.Authority.Any(r => r.Type == DnsRecordType.DS && r.Owner.Equals(cut)))
        {
            return new Outcome(DnssecStatus.Indeterminate, ValidationReason.Create(ReasonCodes.ServerFailure, zone.ToString(), referral,
                $"The server answered with a referral to the signed zone {cut} instead of an answer; ask a recursive resolver."), qname);
        }
        var referralEvidence = new DenialEvidence();
        var noDs = ProveDenial(ctx, resp, zone, entry.Keys, DenialQuestion.DsAbsence, cut, DnsRecordType.DS, null, referralEvidence);
        ctx.Absorb(referralEvidence);
        if (noDs.Verdict == DenialVerdict.InsecureDelegation)
        {
            return new Outcome(DnssecStatus.Insecure, ValidationReason.Create(ReasonCodes.InsecureDelegation, cut.ToString(), referral,
                $"{cut} is an unsigned delegation from {zone}: {noDs.Message}."), qname);
        }
        var (rs, rr) = MapDenial(noDs.Verdict is DenialVerdict.NotACut or DenialVerdict.NameError ? new DenialOutcome(DenialVerdict.Missing, noDs.Message) : noDs,
            zone, referral, wildcard: false);
        return new Outcome(rs, rr, qname);
    }

    /// <summary>NXDOMAIN or NODATA: the NSEC/NSEC3 proof for that question (RFC 4035 section 5.4, RFC 5155 section 8).</summary>
    private Outcome ProveNegative(Context ctx, DnsResponse resp, DnsName qname, DnsRecordType qtype, bool nxdomain, KeyEntry entry)
    {
        var zone = entry.Zone;
        var negativeEvidence = new DenialEvidence();
        var proof = ProveDenial(ctx, resp, zone, entry.Keys, nxdomain ? DenialQuestion.NameError : DenialQuestion.NoData, qname, qtype, null, negativeEvidence);
        ctx.Absorb(negativeEvidence);
        string rec = $"{qname} {DnsRecordTypeText.ToText(qtype)}";
        if (nxdomain && proof.Verdict == DenialVerdict.NameError)
            return new Outcome(DnssecStatus.Secure, ValidationReason.Create(ReasonCodes.NameDoesNotExist, zone.ToString(), rec, $"{qname} does not exist: {proof.Message}."), qname);
        if (!nxdomain && proof.Verdict == DenialVerdict.NoData)
            return new Outcome(DnssecStatus.Secure, ValidationReason.Create(ReasonCodes.NoData, zone.ToString(), rec, $"{qname} has no {DnsRecordTypeText.ToText(qtype)} record: {proof.Message}."), qname);
        var (s2, r2) = MapDenial(proof, zone, rec, wildcard: false);
        return new Outcome(s2, r2, qname);
    }

    /// <summary>Substitutes a DNAME into a name below its owner (RFC 6672 section 2.2); null when the result exceeds 255 octets.</summary>
    private static bool TryReadDnameTarget(ResourceRecord dname, out DnsName? target)
    {
        target = NameTargetRdata.TryFrom(dname, out var view) ? view!.Target : null;
        return target is not null;
    }

    // Null when the substitution exceeds 255 octets (RFC 6672 section 2.2) or the DNAME RDATA is malformed.
    private static DnsName? Substitute(DnsName qname, ResourceRecord dname)
    {
        if (!TryReadDnameTarget(dname, out var read)) return null;
        var target = read!;
        try
        {
            for (int i = qname.LabelCount - dname.Owner.LabelCount - 1; i >= 0; i--) target = target.Prepend(qname.LabelAt(i));
            return target;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// For an answer proven by a validated DNAME without following it: a CNAME question's synthesised CNAME must be the
    /// substitution (RFC 6672 section 5.3.1), Secure with the CNAME as the answer; a YXDOMAIN needs a substitution that is
    /// indeed too long (section 2.2), then the name cannot be resolved: Indeterminate, the DNAME Secure among the records.
    /// </summary>
    private static Outcome CheckDnameSubstitution(Outcome outcome, DnsName qname, ResourceRecord dname, DnsName zone, List<ResourceRecord>? synthesized)
    {
        string rec = $"{dname.Owner} DNAME";
        if (!TryReadDnameTarget(dname, out _))
            return new Outcome(DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.InvalidData, zone.ToString(), rec, "The DNAME RDATA is malformed."), qname);
        var target = Substitute(qname, dname);
        if (synthesized is not null)
        {
            var cnameTarget = synthesized.Count == 1 && CnameTarget(synthesized[0]) is DnsName t ? t : null;
            if (target is null || cnameTarget is null || !cnameTarget.Equals(target))
            {
                return new Outcome(DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.InvalidData, zone.ToString(), rec,
                    $"The unsigned CNAME at {qname} is not the substitution of the DNAME at {dname.Owner} ({(target is null ? "which gives a name longer than 255 octets" : target.ToString())}), so nothing signs it (RFC 6672 section 5.3.1)."), qname)
                    { Records = synthesized };
            }
            return new Outcome(DnssecStatus.Secure, null, qname) { Records = synthesized };
        }
        if (target is not null)
        {
            return new Outcome(DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.InvalidData, zone.ToString(), rec,
                $"The server answered YXDOMAIN, but substituting the validated DNAME at {dname.Owner} into {qname} gives {target}, a valid name (RFC 6672 section 2.2)."), qname)
                { Records = outcome.Records };
        }
        return new Outcome(DnssecStatus.Indeterminate, ValidationReason.Create(ReasonCodes.DnameSubstitutionTooLong, zone.ToString(), rec,
            $"The DNAME at {dname.Owner} is validly signed, but substituting it into {qname} gives a name longer than 255 octets, so {qname} cannot be resolved (YXDOMAIN, RFC 6672 section 2.2)."), qname)
            { Records = outcome.Records };
    }

    private static DnsName? CnameTarget(ResourceRecord cname) => NameTargetRdata.TryFrom(cname, out var view) ? view!.Target : null;

    private static Outcome WithAlias(Outcome outcome, DnsName qname, ResourceRecord? cname, ResourceRecord? dname)
    {
        if (dname is not null)
        {
            // Unverified RDATA from the wire: a malformed target is bad data, never an exception for the caller.
            if (!TryReadDnameTarget(dname, out _))
                return new Outcome(DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.InvalidData, null, dname.ToString(), "The DNAME RDATA is malformed."), qname);
            var target = Substitute(qname, dname);
            if (target is null)
            {
                var reason = ValidationReason.Create(ReasonCodes.InvalidData, null, dname.ToString(), $"Substituting the DNAME at {dname.Owner} into {qname} gives a name longer than 255 octets (RFC 6672 section 2.2).");
                return new Outcome(DnssecStatus.Bogus, reason, qname);
            }
            outcome.Alias = new DnssecAliasLink(dname.Owner, DnsRecordType.DNAME, target, outcome.Status, outcome.Reason, dname);
            outcome.AliasTarget = target;
        }
        else if (cname is not null)
        {
            if (!NameTargetRdata.TryFrom(cname, out var link))
                return new Outcome(DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.InvalidData, null, cname.ToString(), "The CNAME RDATA is malformed."), qname);
            var target = link!.Target;
            outcome.Alias = new DnssecAliasLink(qname, DnsRecordType.CNAME, target, outcome.Status, outcome.Reason, cname);
            outcome.AliasTarget = target;
        }
        return outcome;
    }

    private static (DnssecStatus, ValidationReason) MapDenial(DenialOutcome d, DnsName zone, string record, bool wildcard)
    {
        string z = zone.ToString();
        return d.Verdict switch
        {
            DenialVerdict.InsecureDelegation => (DnssecStatus.Insecure, ValidationReason.Create(ReasonCodes.InsecureDelegation, z, record, Sentence(d.Message))),
            DenialVerdict.Unsupported => (DnssecStatus.Insecure, ValidationReason.Create(d.Code ?? ReasonCodes.UnsupportedAlgorithm, z, record, Sentence(d.Message))),
            DenialVerdict.WorkLimitExceeded => (DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.WorkLimitExceeded, z, record, Sentence(d.Message))),
            _ => (DnssecStatus.Bogus, d.Code is not null && d.Code != ReasonCodes.NsecProofMissing
                ? ValidationReason.Create(d.Code, z, record, Sentence(d.Message))
                : ValidationReason.Create(ReasonCodes.NsecProofMissing, z, record,
                    (wildcard ? "The wildcard answer lacks its denial proof: " : "The denial proof is missing or wrong: ") + d.Message + ".")),
        };
    }

    private static string Sentence(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1) + ".";

    // ------------------------------------------------------------------ denial of existence

    private enum DenialQuestion { NameError, NoData, WildcardAnswer, DsAbsence }

    /// <summary>Verifies the NSEC/NSEC3/SOA RRsets of the authority section with the zone's keys, then runs the proof.</summary>
    private DenialOutcome ProveDenial(Context ctx, DnsResponse resp, DnsName zone, IReadOnlyList<DnskeyRecord> keys, DenialQuestion question,
        DnsName name, DnsRecordType type, DnsName? closestEncloser, DenialEvidence evidence)
    {
        var (nsecs, nsec3s, failure) = VerifyDenialRecords(ctx, resp, zone, keys, evidence);
        if (failure is not null) return failure;
        if (nsec3s.Count > 0 && nsecs.Count == 0)
        {
            var prover = new Nsec3Prover(zone, nsec3s, ctx.Settings.MaxNsec3HashesPerResponse, ctx.Settings.MaxNsec3Iterations);
            foreach (var r in prover.Records.Where(r => r.Iterations > 0 || r.Salt.Length > 0).Take(1))
            {
                evidence.Warnings.Add($"{zone}: NSEC3 uses {r.Iterations} iterations and salt '{(r.Salt.Length == 0 ? "-" : r.SaltHex)}'; RFC 9276 asks for 0 iterations and no salt.");
            }
            DenialOutcome outcome = question switch
            {
                DenialQuestion.NameError => prover.ProveNameError(name),
                DenialQuestion.NoData => prover.ProveNoData(name, type),
                DenialQuestion.WildcardAnswer => prover.ProveWildcardAnswer(name, closestEncloser!),
                _ => prover.ProveDsAbsence(name),
            };
            ctx.Budget.AddNsec3Hashes(prover.HashCount);
            return outcome;
        }
        if (nsecs.Count > 0)
        {
            var outcome = question switch
            {
                DenialQuestion.NameError => NsecProver.ProveNameError(name, zone, nsecs),
                DenialQuestion.NoData => NsecProver.ProveNoData(name, type, zone, nsecs),
                DenialQuestion.WildcardAnswer => NsecProver.ProveWildcardAnswer(name, closestEncloser!, zone, nsecs),
                _ => NsecProver.ProveDsAbsence(name, zone, nsecs),
            };
            if (outcome.Verdict == DenialVerdict.Missing && evidence.Expansions.Count > 0)
            {
                var (shown, real, labels) = evidence.Expansions[0];
                return new DenialOutcome(DenialVerdict.Missing,
                    $"the NSEC denying {name} is itself a wildcard expansion: shown at {shown}, its RRSIG (Labels {labels}) was made over {real} (RFC 4035 section 5.3.2), and taken at {real} the proof fails: {outcome.Message}",
                    ReasonCodes.WildcardExpandedDenial);
            }
            return outcome;
        }
        return new DenialOutcome(DenialVerdict.Missing, $"the response has no NSEC or NSEC3 record from {zone}");
    }

    private static (List<NsecRecord>, List<Nsec3Record>, DenialOutcome?) VerifyDenialRecords(Context ctx, DnsResponse resp, DnsName zone, IReadOnlyList<DnskeyRecord> keys,
        DenialEvidence evidence)
    {
        var nsecs = new List<NsecRecord>();
        var nsec3s = new List<Nsec3Record>();
        var sigs = Sigs(resp.Authority);
        var groups = resp.Authority
            .Where(r => r.Type is DnsRecordType.NSEC or DnsRecordType.NSEC3 or DnsRecordType.SOA && r.Owner.IsSubdomainOf(zone))
            .GroupBy(r => (r.Owner, r.Type)).ToList();
        foreach (var g in groups)
        {
            var rrset = g.ToList();
            var check = ctx.Verifier.Verify(rrset, sigs, zone, keys);
            evidence.Signatures.AddRange(check.Signatures);
            if (!check.IsSecure)
            {
                return (nsecs, nsec3s, new DenialOutcome(DenialVerdict.Missing, check.Reason!.Message.TrimEnd('.'), check.Reason.Code));
            }
            if (IsSha1(check.Key!.Algorithm)) evidence.Warnings.Add(Sha1Warning(zone));
            if (check.WindowEnd < evidence.WindowEnd) evidence.WindowEnd = check.WindowEnd;
            if (check.WindowStart > evidence.WindowStart) evidence.WindowStart = check.WindowStart;
            evidence.Ttl = Math.Min(evidence.Ttl, Ttl(rrset, check, ctx.Settings.Now));
            var owner = rrset[0].Owner;
            if (check.IsWildcardExpansion(owner) && rrset[0].Type == DnsRecordType.NSEC3)
            {
                // An NSEC3 owner is a hash one label below the apex: no wildcard can have produced it (RFC 5155 section 7.1).
                return (nsecs, nsec3s, new DenialOutcome(DenialVerdict.Missing,
                    $"the NSEC3 at {owner} is itself a wildcard expansion (its RRSIG has Labels {check.Signature!.Labels}, fewer than the {owner.LabelCount} labels of its owner), which an NSEC3 can never be (RFC 4035 section 5.3.2, RFC 5155 section 7.1)",
                    ReasonCodes.WildcardExpandedDenial));
            }
            foreach (var r in rrset)
            {
                if (NsecRecord.TryFrom(r, out var n))
                {
                    // A wildcard-expanded NSEC proves only what it says at its real owner, *.<Labels labels> (RFC 4035 section 5.3.2).
                    var atOwner = NsecProver.AtSignedOwner(n!, check.Signature!.Labels);
                    if (!ReferenceEquals(atOwner, n)) evidence.Expansions.Add((owner, atOwner.Owner, check.Signature.Labels));
                    nsecs.Add(atOwner);
                }
                else if (Nsec3Record.TryFrom(r, out var n3)) nsec3s.Add(n3!);
            }
        }
        return (nsecs, nsec3s, null);
    }

    private static bool IsSha1(DnssecAlgorithm a) => a is DnssecAlgorithm.RsaSha1 or DnssecAlgorithm.RsaSha1Nsec3Sha1;

    private static string Sha1Warning(DnsName zone) =>
        $"{zone}: signed with RSA/SHA-1 (algorithm 5 or 7), deprecated by RFC 9905; it still validates (use StrictSha1 to refuse it).";

    // ------------------------------------------------------------------ helpers

    // YXDOMAIN is an answer only to the question itself (a DNAME whose substitution is too long, RFC 6672 section 2.2).
    private async Task<(DnsResponse?, (DnssecStatus Status, ValidationReason Reason)?)> QueryAsync(Context ctx, DnsName name, DnsRecordType type, bool allowYxDomain = false)
    {
        string q = $"{name} {DnsRecordTypeText.ToText(type)}";
        if (!ctx.Budget.TryQuery())
        {
            return (null, (DnssecStatus.Bogus, ValidationReason.Create(ReasonCodes.WorkLimitExceeded, null, q,
                $"Validating needed more than {ctx.Settings.MaxQueries} queries (next: {q}).")));
        }
        DnsResponse resp;
        try
        {
            resp = await _source.QueryAsync(name, type, ctx.CancellationToken).ConfigureAwait(false);
        }
        catch (DnsTransportException ex)
        {
            var code = ex.IsTimeout ? ReasonCodes.Timeout : ReasonCodes.ServerFailure;
            return (null, (DnssecStatus.Indeterminate, ValidationReason.Create(code, null, q, $"The question {q} got no answer: {ex.Message}")));
        }
        if (resp.Rcode != DnsResponseCode.NoError && resp.Rcode != DnsResponseCode.NXDomain && !(allowYxDomain && resp.Rcode == DnsResponseCode.YXDomain))
        {
            var from = resp.Server.Length > 0 ? $" from {resp.Server}" : string.Empty;
            return (null, (DnssecStatus.Indeterminate, ValidationReason.Create(ReasonCodes.ServerFailure, null, q, $"The question {q} was answered {resp.Rcode}{from}.")));
        }
        return (resp, null);
    }

    private static uint Ttl(IReadOnlyList<ResourceRecord> rrset, RrsetCheck check, uint now)
    {
        uint ttl = rrset.Count == 0 ? 0 : rrset.Min(r => r.Ttl);
        if (check.Signature is not null)
        {
            ttl = Math.Min(ttl, check.Signature.OriginalTtl);
            ttl = Math.Min(ttl, unchecked(check.Signature.Expiration - now)); // RFC 4035 5.3.3: not beyond expiration
        }
        return ttl;
    }

    private static string Key(DnsName name) => Hex.Encode(name.ToCanonicalWire());

    private static List<ResourceRecord> RrsetOf(IEnumerable<ResourceRecord> section, DnsName owner, DnsRecordType type) => ResponseClassifier.RrsetOf(section, owner, type);

    private static List<RrsigRecord> Sigs(IEnumerable<ResourceRecord> section) => ResponseClassifier.Sigs(section);

    private enum StepKind { Cut, NotACut, NameError, Stop }

    private sealed class DelegationStep
    {
        private DelegationStep(StepKind kind, KeyEntry? entry, bool cacheable, DateTime expires, DateTime start, DateTime end, IReadOnlyList<string> warnings)
        {
            Kind = kind;
            Entry = entry;
            Cacheable = cacheable;
            ExpiresUtc = expires;
            WindowStart = start;
            WindowEnd = end;
            Warnings = warnings;
        }

        public StepKind Kind { get; }

        public KeyEntry? Entry { get; }

        public bool Cacheable { get; }

        public DateTime ExpiresUtc { get; }

        public DateTime WindowStart { get; }

        public DateTime WindowEnd { get; }

        public IReadOnlyList<string> Warnings { get; }

        public static DelegationStep Cut(KeyEntry entry, bool cacheable) =>
            new(StepKind.Cut, entry, cacheable, entry.ExpiresUtc, entry.WindowStart, entry.WindowEnd, Array.Empty<string>());

        public static DelegationStep Stop(KeyEntry entry, bool cacheable) =>
            new(StepKind.Stop, entry, cacheable, entry.ExpiresUtc, entry.WindowStart, entry.WindowEnd, Array.Empty<string>());

        public static DelegationStep Continue(StepKind kind, DateTime expires, DateTime start, DateTime end, IReadOnlyList<string> warnings) =>
            new(kind, null, true, expires, start, end, warnings);
    }

    private sealed class DenialEvidence
    {
        public List<DnssecSignatureInfo> Signatures { get; } = new();

        public List<string> Warnings { get; } = new();

        public DateTime WindowStart { get; set; } = DateTime.MinValue;

        public DateTime WindowEnd { get; set; } = DateTime.MaxValue;

        public uint Ttl { get; set; } = uint.MaxValue;

        /// <summary>Wildcard-expanded NSEC records: the name shown, the real owner, the RRSIG Labels.</summary>
        public List<(DnsName Shown, DnsName Real, int Labels)> Expansions { get; } = new();
    }

    private sealed class Outcome
    {
        public Outcome(DnssecStatus status, ValidationReason? reason, DnsName name)
        {
            Status = status;
            Reason = reason;
            Name = name;
        }

        public DnssecStatus Status { get; }

        public ValidationReason? Reason { get; }

        public DnsName Name { get; }

        public IReadOnlyList<ResourceRecord> Records { get; set; } = Array.Empty<ResourceRecord>();

        public DnssecAliasLink? Alias { get; set; }

        public DnsName? AliasTarget { get; set; }
    }

    private sealed class Context
    {
        private readonly object _gate = new();
        private readonly List<DnssecZoneLink> _links = new();
        private readonly HashSet<string> _linkZones = new(StringComparer.OrdinalIgnoreCase);

        public Context(ValidatorSettings settings, ISignatureVerifier verifier, DateTime clockNow, CancellationToken cancellationToken)
        {
            Settings = settings;
            Budget = new WorkBudget(settings);
            Verifier = new RrsetVerifier(verifier, settings, Budget);
            ClockNow = clockNow;
            CancellationToken = cancellationToken;
            CachePrefix = (settings.StrictSha1 ? "S1|" : "S0|") + settings.Anchors.Fingerprint + "|";
        }

        public ValidatorSettings Settings { get; }

        public WorkBudget Budget { get; }

        public RrsetVerifier Verifier { get; }

        /// <summary>The server that answered the last question about the name itself.</summary>
        public string? AnswerServer { get; set; }

        public DateTime ClockNow { get; }

        public CancellationToken CancellationToken { get; }

        public string CachePrefix { get; }

        public SortedSet<string> Warnings { get; } = new(StringComparer.Ordinal);

        public List<DnssecSignatureInfo> AnswerSignatures { get; } = new();

        public List<DnssecZoneLink> Links
        {
            get
            {
                lock (_gate) return _links.ToList();
            }
        }

        public void AddLink(KeyEntry entry)
        {
            lock (_gate)
            {
                if (_linkZones.Add(entry.Link.Zone)) _links.Add(entry.Link);
            }
            foreach (var w in entry.Warnings) Warnings.Add(w);
        }

        public void Absorb(DenialEvidence evidence)
        {
            AnswerSignatures.AddRange(evidence.Signatures);
            foreach (var w in evidence.Warnings) Warnings.Add(w);
        }

        public void WarnSha1(DnsName zone, DnssecAlgorithm algorithm)
        {
            if (IsSha1(algorithm)) Warnings.Add(Sha1Warning(zone));
        }
    }
}
