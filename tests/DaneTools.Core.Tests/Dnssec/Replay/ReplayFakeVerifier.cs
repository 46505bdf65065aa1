using System;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>
/// Test-only signature verifier for scenarios with <c>fake-dsa: yes</c> or <c>fake-sha1: yes</c>: DSA (3) and
/// DSA-NSEC3-SHA1 (6) signatures are taken as valid without crypto; every other algorithm, RSASHA1 (5) and
/// RSASHA1-NSEC3-SHA1 (7) included, goes to <see cref="DnssecSignatureVerifier.Shared"/>.
/// </summary>
/// <remarks>
/// This mirrors what the peer does in a normal build: Unbound's validator/val_secalgo.c skips the crypto for
/// DSA under fake_dsa or fake_sha1 only when built without DSA (<c>#ifndef USE_DSA</c>), and for the SHA-1
/// algorithms under fake_sha1 only when built without SHA-1 (<c>#ifndef USE_SHA1</c>). DaneTools implements
/// RSA/SHA-1, so the RSASHA1 signatures of these files (real ones, made when the files were written) are
/// checked for real, as a SHA-1-capable peer checks them; accepting them blindly would turn the files' bad
/// signatures (val_nodata_failsig and the like) into Secure. <see cref="AcceptSha1WithoutCrypto"/> switches the
/// broader behaviour on for experiments. The product keeps its algorithm rules: no DSA.
/// </remarks>
internal sealed class ReplayFakeVerifier : ISignatureVerifier
{
    private readonly ISignatureVerifier _inner = DnssecSignatureVerifier.Shared;

    /// <summary>Gets or sets whether RSASHA1 (5) and RSASHA1-NSEC3-SHA1 (7) are accepted without crypto too.</summary>
    public bool AcceptSha1WithoutCrypto { get; init; }

    /// <summary>Gets how many signatures were accepted without crypto.</summary>
    public int Faked { get; private set; }

    public bool IsSupported(DnssecAlgorithm algorithm) => IsFaked(algorithm) || _inner.IsSupported(algorithm);

    public bool Verify(DnssecAlgorithm algorithm, byte[] publicKey, byte[] signedData, byte[] signature)
    {
        if (publicKey is null) throw new ArgumentNullException(nameof(publicKey));
        if (signedData is null) throw new ArgumentNullException(nameof(signedData));
        if (signature is null) throw new ArgumentNullException(nameof(signature));
        if (IsFaked(algorithm))
        {
            Faked++;
            return true;
        }
        return _inner.Verify(algorithm, publicKey, signedData, signature);
    }

    private bool IsFaked(DnssecAlgorithm algorithm) =>
        algorithm is DnssecAlgorithm.DsaSha1 or DnssecAlgorithm.DsaNsec3Sha1
        || (AcceptSha1WithoutCrypto && algorithm is DnssecAlgorithm.RsaSha1 or DnssecAlgorithm.RsaSha1Nsec3Sha1);
}
