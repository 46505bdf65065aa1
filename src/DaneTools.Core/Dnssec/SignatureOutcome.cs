namespace DaneTools.Core.Dnssec;

/// <summary>What the validator concluded about one RRSIG (RFC 4035 section 5.3). <see cref="DnssecSignatureInfo.Outcome"/> is its name.</summary>
public enum SignatureOutcome
{
    /// <summary>The signature verifies with a zone key of the signer and is within its validity window.</summary>
    Valid,

    /// <summary>The signature does not verify with any matching key.</summary>
    Invalid,

    /// <summary>The expiration lies before the validation time.</summary>
    Expired,

    /// <summary>The inception lies after the validation time, beyond the clock-skew allowance.</summary>
    NotYetValid,

    /// <summary>The expiration lies before the inception.</summary>
    ExpiredBeforeValid,

    /// <summary>The Labels field exceeds the owner's label count (RFC 4035 section 5.3.1).</summary>
    LabelsExceedOwner,

    /// <summary>The Labels field is below the signer's label count: the claimed wildcard lies outside the zone.</summary>
    LabelsBelowSigner,

    /// <summary>No DNSKEY of the signer has the signature's key tag and algorithm.</summary>
    NoMatchingKey,

    /// <summary>The only matching keys have the REVOKE flag (RFC 5011).</summary>
    KeyRevoked,

    /// <summary>The only matching keys lack the Zone Key flag.</summary>
    NoZoneKeyBit,

    /// <summary>The signer is not the zone the RRset belongs to.</summary>
    WrongSigner,

    /// <summary>The algorithm is not one the validator supports.</summary>
    UnsupportedAlgorithm,

    /// <summary>Not verified: the work budget was spent on earlier signatures.</summary>
    NotTried,

    /// <summary>Verifying it would exceed the work budget (KeyTrap limits).</summary>
    WorkLimitExceeded,
}
