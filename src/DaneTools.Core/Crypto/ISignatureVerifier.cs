using DaneTools.Core.Dns;

namespace DaneTools.Core.Crypto;

/// <summary>
/// Verifies one DNSSEC signature over already-built signed data. Nothing else in DaneTools verifies DNSSEC
/// signatures (STYLE.md section 7).
/// </summary>
public interface ISignatureVerifier
{
    /// <summary>Returns whether this verifier implements an algorithm (policy such as StrictSha1 is applied by the caller).</summary>
    /// <param name="algorithm">The DNSSEC algorithm number.</param>
    /// <returns>True when <see cref="Verify"/> can check signatures of this algorithm.</returns>
    bool IsSupported(DnssecAlgorithm algorithm);

    /// <summary>Verifies a signature.</summary>
    /// <param name="algorithm">The DNSSEC algorithm of the key and signature.</param>
    /// <param name="publicKey">The DNSKEY public key field, in the algorithm's DNSKEY format.</param>
    /// <param name="signedData">The signed data of RFC 4034 section 3.1.8.1.</param>
    /// <param name="signature">The RRSIG signature field, in the algorithm's RRSIG format.</param>
    /// <returns>True when the signature is valid; false when it is not, or the key or signature is malformed.</returns>
    /// <exception cref="System.ArgumentNullException">An array argument is null.</exception>
    /// <exception cref="System.NotSupportedException"><see cref="IsSupported"/> is false for <paramref name="algorithm"/>.</exception>
    bool Verify(DnssecAlgorithm algorithm, byte[] publicKey, byte[] signedData, byte[] signature);
}
