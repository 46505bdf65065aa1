namespace DaneTools.Core.Dnssec;

/// <summary>
/// The stable reason codes of DNSSEC verdicts (DESIGN.md section 5), with their RFC 8914 extended DNS error numbers.
/// </summary>
public static class ReasonCodes
{
    /// <summary>Every usable RRSIG has expired (EDE 7, Signature Expired).</summary>
    public const string RrsigExpired = "RrsigExpired";

    /// <summary>Every usable RRSIG has an inception in the future (EDE 8, Signature Not Yet Valid).</summary>
    public const string RrsigNotYetValid = "RrsigNotYetValid";

    /// <summary>An RRSIG's expiration precedes its inception (EDE 25, Signature Expired before Valid).</summary>
    public const string RrsigExpiredBeforeValid = "RrsigExpiredBeforeValid";

    /// <summary>A DNSKEY has the DS's key tag and algorithm but not its digest (EDE 9, DNSKEY Missing).</summary>
    public const string DsDigestMismatch = "DsDigestMismatch";

    /// <summary>No DNSKEY matches any usable DS, or the DNSKEY RRset is missing (EDE 9, DNSKEY Missing).</summary>
    public const string NoDnskeyForDs = "NoDnskeyForDs";

    /// <summary>RRSIGs exist but none verifies with a trusted key (EDE 6, DNSSEC Bogus).</summary>
    public const string NoValidSignature = "NoValidSignature";

    /// <summary>An RRset of a signed zone has no RRSIG (EDE 10, RRSIGs Missing).</summary>
    public const string MissingRrsig = "MissingRrsig";

    /// <summary>
    /// No DS or anchor names a supported algorithm (or every NSEC3 of a proof uses an unknown hash algorithm), so the
    /// zone is treated as unsigned: Insecure (EDE 1, Unsupported DNSKEY Algorithm).
    /// </summary>
    public const string UnsupportedAlgorithm = "UnsupportedAlgorithm";

    /// <summary>No DS uses a supported digest type, so the zone is treated as unsigned (EDE 2, Unsupported DS Digest Type).</summary>
    public const string UnsupportedDigest = "UnsupportedDigest";

    /// <summary>A negative answer lacks the NSEC/NSEC3 records that prove it (EDE 12, NSEC Missing).</summary>
    public const string NsecProofMissing = "NsecProofMissing";

    /// <summary>An NSEC3 proof uses more than 150 iterations; the answer is treated as Insecure (EDE 27).</summary>
    public const string Nsec3IterationsTooHigh = "Nsec3IterationsTooHigh";

    /// <summary>A work budget (signature verifications, keys per tag, NSEC3 hashes, queries) was exhausted; the answer is Bogus (EDE 6, DNSSEC Bogus).</summary>
    public const string WorkLimitExceeded = "WorkLimitExceeded";

    /// <summary>A server answered SERVFAIL, REFUSED or another failure code (EDE 23, Network Error).</summary>
    public const string ServerFailure = "ServerFailure";

    /// <summary>A question got no answer in time (EDE 22, No Reachable Authority).</summary>
    public const string Timeout = "Timeout";

    /// <summary>An RRSIG's Labels field exceeds the owner's label count (RFC 4035 section 5.3.1; EDE 6).</summary>
    public const string RrsigLabelsExceedOwner = "RrsigLabelsExceedOwner";

    /// <summary>The only matching keys have the REVOKE flag (RFC 5011 section 2.1), so no usable key is left (EDE 9, DNSKEY Missing).</summary>
    public const string KeyRevoked = "KeyRevoked";

    /// <summary>The only matching keys lack the Zone Key flag (RFC 4034 section 2.1.1; EDE 11, No Zone Key Bit Set).</summary>
    public const string NoZoneKeyBit = "NoZoneKeyBit";

    /// <summary>The CNAME/DNAME chain is longer than 12 links, or loops (EDE 0, Other).</summary>
    public const string CnameChainTooLong = "CnameChainTooLong";

    /// <summary>A validated proof shows an unsigned delegation (NS without DS, or opt-out); the status is Insecure, no EDE.</summary>
    public const string InsecureDelegation = "InsecureDelegation";

    /// <summary>The name does not exist, and that is proven (status Secure, no EDE).</summary>
    public const string NameDoesNotExist = "NameDoesNotExist";

    /// <summary>The name exists without the type, and that is proven (status Secure, no EDE).</summary>
    public const string NoData = "NoData";

    /// <summary>No configured trust anchor is an ancestor of the name (status Indeterminate; EDE 5, DNSSEC Indeterminate).</summary>
    public const string NoTrustAnchor = "NoTrustAnchor";

    /// <summary>A record could not be parsed or a response is inconsistent, e.g. a DNAME whose target is too long (EDE 24, Invalid Data).</summary>
    public const string InvalidData = "InvalidData";

    /// <summary>
    /// A denial proof rests on an NSEC or NSEC3 that is itself a wildcard expansion (its RRSIG Labels field is below its
    /// owner's label count, RFC 4035 section 5.3.2) and fails at the real owner (CVE-2017-15105 class; EDE 6, DNSSEC Bogus).
    /// </summary>
    public const string WildcardExpandedDenial = "WildcardExpandedDenial";

    /// <summary>
    /// The NSEC3 records of one response use more than one parameter set (hash algorithm, iterations, salt): a zone sends
    /// one set per response (RFC 5155 section 7.2), so the proof is Bogus (section 8.2; EDE 6, DNSSEC Bogus).
    /// </summary>
    public const string Nsec3ParametersMixed = "Nsec3ParametersMixed";

    /// <summary>
    /// A DNAME to follow is itself a wildcard expansion (RRSIG Labels below its owner's label count): never followed, Bogus
    /// (RFC 4592 section 4.4, RFC 6672 section 3.3; EDE 6, DNSSEC Bogus).
    /// </summary>
    public const string WildcardDname = "WildcardDname";

    /// <summary>
    /// A validly signed DNAME's substitution into the query name exceeds 255 octets, so the server answered YXDOMAIN
    /// (RFC 6672 section 2.2): the name cannot be resolved (status Indeterminate, no EDE).
    /// </summary>
    public const string DnameSubstitutionTooLong = "DnameSubstitutionTooLong";

    /// <summary>Returns the RFC 8914 INFO-CODE of a reason code, or null when none applies.</summary>
    /// <param name="code">A reason code.</param>
    /// <returns>The INFO-CODE, or null.</returns>
    public static int? ExtendedDnsErrorOf(string code) => code switch
    {
        RrsigExpired => 7,
        RrsigNotYetValid => 8,
        RrsigExpiredBeforeValid => 25,
        DsDigestMismatch => 9,
        NoDnskeyForDs => 9,
        NoValidSignature => 6,
        MissingRrsig => 10,
        UnsupportedAlgorithm => 1,
        UnsupportedDigest => 2,
        NsecProofMissing => 12,
        Nsec3IterationsTooHigh => 27,
        WorkLimitExceeded => 6,
        ServerFailure => 23,
        Timeout => 22,
        RrsigLabelsExceedOwner => 6,
        KeyRevoked => 9,
        NoZoneKeyBit => 11,
        CnameChainTooLong => 0,
        NoTrustAnchor => 5,
        InvalidData => 24,
        WildcardExpandedDenial => 6,
        Nsec3ParametersMixed => 6,
        WildcardDname => 6,
        _ => null,
    };
}
