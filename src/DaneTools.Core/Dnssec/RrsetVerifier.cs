using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>The outcome of checking one RRset's RRSIGs.</summary>
internal sealed class RrsetCheck
{
    public RrsetCheck(DnssecStatus status, ValidationReason? reason, RrsigRecord? signature, DnskeyRecord? key, List<DnssecSignatureInfo> signatures, DateTime validationTime)
    {
        Status = status;
        Reason = reason;
        Signature = signature;
        Key = key;
        Signatures = signatures;
        if (signature is not null)
        {
            WindowStart = SerialTime.ToDateTime(signature.Inception, validationTime);
            WindowEnd = SerialTime.ToDateTime(signature.Expiration, validationTime);
        }
        else
        {
            WindowStart = validationTime;
            WindowEnd = validationTime;
        }
    }

    public DnssecStatus Status { get; }

    public bool IsSecure => Status == DnssecStatus.Secure;

    public ValidationReason? Reason { get; }

    /// <summary>The RRSIG that verified, or null.</summary>
    public RrsigRecord? Signature { get; }

    /// <summary>The key that verified it, or null.</summary>
    public DnskeyRecord? Key { get; }

    public List<DnssecSignatureInfo> Signatures { get; }

    /// <summary>Start of the verified RRSIG's validity (UTC).</summary>
    public DateTime WindowStart { get; }

    /// <summary>End of the verified RRSIG's validity (UTC).</summary>
    public DateTime WindowEnd { get; }

    /// <summary>
    /// True when the verified RRSIG's Labels field shows a wildcard expansion (RFC 4035 section 5.3.2): fewer labels
    /// than the owner, not counting a literal leading <c>*</c>.
    /// </summary>
    public bool IsWildcardExpansion(DnsName owner) =>
        Signature is not null && Signature.Labels < owner.LabelCount - (owner.IsWildcard ? 1 : 0);
}

/// <summary>
/// Checks the RRSIGs of one RRset against a zone's trusted keys (RFC 4035 section 5.3): signer is the zone apex,
/// type covered, Labels not above the owner's label count, inception/expiration with RFC 1982 serial arithmetic,
/// a key with the RRSIG's key tag and algorithm, the Zone Key flag set and REVOKE clear (RFC 5011 section 2.1),
/// then the signature over the RFC 4034 section 3.1.8.1 signed data (original TTL, wildcard owner rebuilt).
/// </summary>
/// <remarks>
/// RRSIGs that have no matching key or an unsupported algorithm are ignored (RFC 6840 section 5.12); one valid
/// RRSIG suffices (RFC 6840 section 5.4). Work budgets: at most the per-RRset verifications, at most the per-key-tag
/// keys tried for one RRSIG, and the validation's total; a budget hit makes the RRset Bogus with WorkLimitExceeded.
/// </remarks>
internal sealed class RrsetVerifier
{
    private readonly ISignatureVerifier _verifier;
    private readonly ValidatorSettings _settings;
    private readonly WorkBudget _budget;
    private readonly SortedSet<string> _warnings = new(StringComparer.Ordinal);

    public RrsetVerifier(ISignatureVerifier verifier, ValidatorSettings settings, WorkBudget budget)
    {
        _verifier = verifier;
        _settings = settings;
        _budget = budget;
    }

    /// <summary>Returns whether signatures of an algorithm count: implemented, and not RSA/SHA-1 under StrictSha1.</summary>
    public bool IsAlgorithmUsable(DnssecAlgorithm algorithm) =>
        _verifier.IsSupported(algorithm)
        && !(_settings.StrictSha1 && (algorithm == DnssecAlgorithm.RsaSha1 || algorithm == DnssecAlgorithm.RsaSha1Nsec3Sha1));

    public RrsetCheck Verify(IReadOnlyList<ResourceRecord> rrset, IEnumerable<RrsigRecord> rrsigs, DnsName zone, IReadOnlyList<DnskeyRecord> keys)
    {
        if (rrset.Count == 0) throw new ArgumentException("The RRset is empty.", nameof(rrset));
        var owner = rrset[0].Owner;
        var type = rrset[0].Type;
        var recordText = $"{owner} {DnsRecordTypeText.ToText(type)}";
        var sigs = rrsigs.Where(s => s.Owner.Equals(owner) && s.TypeCovered == type && s.Record.Class == rrset[0].Class).ToList();
        var infos = new List<DnssecSignatureInfo>();
        if (sigs.Count == 0)
        {
            return Fail(ReasonCodes.MissingRrsig, zone, recordText, $"{recordText} has no RRSIG, but {zone} is signed.", infos);
        }

        var outcomes = new List<SignatureOutcome>();
        int used = 0;
        bool limitHit = false;
        foreach (var sig in sigs)
        {
            SignatureOutcome? outcome = CheckFields(sig, owner, zone);
            List<DnskeyRecord> usable = new();
            if (outcome is null)
            {
                var candidates = keys.Where(k => k.Owner.Equals(sig.SignerName) && k.Algorithm == sig.Algorithm && k.KeyTag == sig.KeyTag && k.Protocol == 3).ToList();
                usable = candidates.Where(k => k.IsZoneKey && !k.IsRevoked).ToList();
                if (candidates.Count == 0) outcome = SignatureOutcome.NoMatchingKey;
                else if (usable.Count == 0) outcome = candidates.Any(k => k.IsRevoked) ? SignatureOutcome.KeyRevoked : SignatureOutcome.NoZoneKeyBit;
            }
            if (outcome is null) outcome = CheckTime(sig, recordText);
            if (outcome is null)
            {
                if (limitHit)
                {
                    outcome = SignatureOutcome.NotTried;
                }
                else
                {
                    byte[] data = SignedData.Build(sig, rrset);
                    int tried = 0;
                    outcome = SignatureOutcome.Invalid;
                    foreach (var key in usable)
                    {
                        if (tried == _settings.MaxKeysPerKeyTag)
                        {
                            limitHit = true;
                            outcome = SignatureOutcome.WorkLimitExceeded;
                            break;
                        }
                        if (used == _settings.MaxVerificationsPerRrset || !_budget.TryVerification())
                        {
                            limitHit = true;
                            outcome = SignatureOutcome.WorkLimitExceeded;
                            break;
                        }
                        used++;
                        tried++;
                        if (_verifier.Verify(key.Algorithm, key.PublicKey, data, sig.Signature))
                        {
                            infos.Add(new DnssecSignatureInfo(sig, SignatureOutcome.Valid, _settings.ValidationTime));
                            _budget.RecordRrsetVerifications(used);
                            return new RrsetCheck(DnssecStatus.Secure, null, sig, key, infos, _settings.ValidationTime);
                        }
                    }
                }
            }
            infos.Add(new DnssecSignatureInfo(sig, outcome.Value, _settings.ValidationTime));
            outcomes.Add(outcome.Value);
        }
        _budget.RecordRrsetVerifications(used);

        if (limitHit)
        {
            return Fail(ReasonCodes.WorkLimitExceeded, zone, recordText,
                $"Validating {recordText} needed more than the allowed signature verifications ({_settings.MaxVerificationsPerRrset} per RRset, {_settings.MaxKeysPerKeyTag} keys per key tag, {_settings.MaxVerifications} in all).", infos);
        }
        var first = sigs[0];
        if (outcomes.Contains(SignatureOutcome.Invalid))
            return Fail(ReasonCodes.NoValidSignature, zone, recordText, $"No RRSIG over {recordText} verifies with a DNSKEY of {zone}.", infos);
        if (outcomes.Contains(SignatureOutcome.Expired))
        {
            var s = sigs[outcomes.IndexOf(SignatureOutcome.Expired)];
            return Fail(ReasonCodes.RrsigExpired, zone, recordText,
                $"The RRSIG over {recordText} by key {s.KeyTag} expired at {SerialTime.ToDateTime(s.Expiration, _settings.ValidationTime):yyyy-MM-ddTHH:mm:ssZ}.", infos);
        }
        if (outcomes.Contains(SignatureOutcome.NotYetValid))
        {
            var s = sigs[outcomes.IndexOf(SignatureOutcome.NotYetValid)];
            return Fail(ReasonCodes.RrsigNotYetValid, zone, recordText,
                $"The RRSIG over {recordText} by key {s.KeyTag} is valid only from {SerialTime.ToDateTime(s.Inception, _settings.ValidationTime):yyyy-MM-ddTHH:mm:ssZ}.", infos);
        }
        if (outcomes.Contains(SignatureOutcome.ExpiredBeforeValid))
            return Fail(ReasonCodes.RrsigExpiredBeforeValid, zone, recordText, $"The RRSIG over {recordText} expires before its inception.", infos);
        if (outcomes.Contains(SignatureOutcome.LabelsExceedOwner))
            return Fail(ReasonCodes.RrsigLabelsExceedOwner, zone, recordText,
                $"The RRSIG over {recordText} has Labels {first.Labels}, more than the {owner.LabelCount} labels of its owner (RFC 4035 section 5.3.1).", infos);
        if (outcomes.Contains(SignatureOutcome.LabelsBelowSigner))
        {
            var s = sigs[outcomes.IndexOf(SignatureOutcome.LabelsBelowSigner)];
            return Fail(ReasonCodes.NoValidSignature, zone, recordText,
                $"The RRSIG over {recordText} has Labels {s.Labels}, fewer than the {s.SignerName.LabelCount} labels of its signer {s.SignerName}: the wildcard it claims to expand would lie outside the zone (RFC 4035 section 5.3.2).", infos);
        }
        if (outcomes.Contains(SignatureOutcome.KeyRevoked))
            return Fail(ReasonCodes.KeyRevoked, zone, recordText, $"The only DNSKEY matching the RRSIG over {recordText} has the REVOKE flag (RFC 5011).", infos);
        if (outcomes.Contains(SignatureOutcome.NoZoneKeyBit))
            return Fail(ReasonCodes.NoZoneKeyBit, zone, recordText, $"The only DNSKEY matching the RRSIG over {recordText} lacks the Zone Key flag.", infos);
        if (outcomes.All(o => o == SignatureOutcome.WrongSigner))
            return Fail(ReasonCodes.NoValidSignature, zone, recordText, $"The RRSIGs over {recordText} are by {first.SignerName}, not by the zone {zone}.", infos);
        return Fail(ReasonCodes.NoValidSignature, zone, recordText,
            $"No RRSIG over {recordText} was made by a trusted DNSKEY of {zone} with a supported algorithm (key tags {string.Join(", ", sigs.Select(s => s.KeyTag).Distinct())}).", infos);
    }

    private SignatureOutcome? CheckFields(RrsigRecord sig, DnsName owner, DnsName zone)
    {
        if (!sig.SignerName.Equals(zone) || !owner.IsSubdomainOf(sig.SignerName)) return SignatureOutcome.WrongSigner;
        if (sig.Labels > owner.LabelCount) return SignatureOutcome.LabelsExceedOwner;
        // The wildcard *.<Labels labels> the RRset would come from must lie in the signer's zone (RFC 4035 sections 5.3.1-5.3.2).
        if (sig.Labels < sig.SignerName.LabelCount) return SignatureOutcome.LabelsBelowSigner;
        if (!IsAlgorithmUsable(sig.Algorithm)) return SignatureOutcome.UnsupportedAlgorithm;
        return null;
    }

    private SignatureOutcome? CheckTime(RrsigRecord sig, string recordText)
    {
        if (SerialTime.LessThan(sig.Expiration, sig.Inception)) return SignatureOutcome.ExpiredBeforeValid;
        if (SerialTime.LessThan(_settings.Now, sig.Inception))
        {
            // A signer whose clock runs ahead: accepted within the allowance (Unbound's rule), with a warning.
            uint ahead = unchecked(sig.Inception - _settings.Now);
            uint allowance = _settings.InceptionSkew(sig.Inception, sig.Expiration);
            if (ahead > allowance) return SignatureOutcome.NotYetValid;
            lock (_warnings)
            {
                _warnings.Add($"The RRSIG over {recordText} by key {sig.KeyTag} is valid only from {SerialTime.ToDateTime(sig.Inception, _settings.ValidationTime):yyyy-MM-ddTHH:mm:ssZ}, "
                    + $"{Minutes(ahead)} ahead of the validation time; accepted within the clock-skew allowance of {Minutes(allowance)} (10% of the signature's lifetime, 1 to 24 hours, as Unbound).");
            }
        }
        if (SerialTime.LessThan(sig.Expiration, _settings.Now)) return SignatureOutcome.Expired;
        return null;
    }

    private static string Minutes(uint seconds)
    {
        uint minutes = (seconds + 59) / 60;
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }

    /// <summary>Gets the warnings of this validation's signature checks (an inception accepted within the clock-skew allowance).</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings) return _warnings.ToList();
        }
    }

    private RrsetCheck Fail(string code, DnsName zone, string record, string message, List<DnssecSignatureInfo> infos) =>
        new(DnssecStatus.Bogus, ValidationReason.Create(code, zone.ToString(), record, message), null, null, infos, _settings.ValidationTime);
}
