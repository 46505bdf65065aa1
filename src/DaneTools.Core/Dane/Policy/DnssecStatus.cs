namespace DaneTools.Core.Dnssec;

// TODO(merge): the dnssec branch owns this type; this copy lives in Dane/Policy until that branch defines it.

/// <summary>
/// The DNSSEC security status of validated data (RFC 4033 section 5, RFC 4035 section 4.3); mirrors Unbound's
/// <c>sec_status</c> without its sentinel.
/// </summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4035#section-4.3"/>
public enum DnssecStatus
{
    /// <summary>The status could not be determined: the lookup timed out, the server failed, or the work limit was hit.</summary>
    Indeterminate,

    /// <summary>The data lies below a proven insecure delegation (no chain of trust).</summary>
    Insecure,

    /// <summary>A chain of trust should exist but the data failed validation (bad or missing signatures, failed proofs).</summary>
    Bogus,

    /// <summary>The data, or the proof of its absence, validated from a trust anchor.</summary>
    Secure,
}
