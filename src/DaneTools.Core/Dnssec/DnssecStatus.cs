namespace DaneTools.Core.Dnssec;

/// <summary>The DNSSEC security status of an answer (RFC 4033 section 5, RFC 4035 section 4.3).</summary>
/// <remarks>Mirrors Unbound's <c>sec_status</c> without its "unchecked" sentinel.</remarks>
public enum DnssecStatus : byte
{
    /// <summary>No trust anchor covers the name, or the answer could not be obtained (timeout, server failure).</summary>
    Indeterminate = 0,

    /// <summary>A validated chain proves that the answer's zone is unsigned (or uses only unsupported algorithms).</summary>
    Insecure = 1,

    /// <summary>A chain from a trust anchor should exist but fails: a signature, key, DS or denial proof is wrong or missing.</summary>
    Bogus = 2,

    /// <summary>The answer (or the proven absence of an answer) validates from a trust anchor.</summary>
    Secure = 3,
}
