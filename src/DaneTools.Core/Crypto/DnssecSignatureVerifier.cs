using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using DaneTools.Core.Dns;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace DaneTools.Core.Crypto;

/// <summary>
/// The product's signature verifier: RSA (algorithms 5, 7, 8, 10) and ECDSA (13, 14) through
/// System.Security.Cryptography, Ed25519 and Ed448 (15, 16) through BouncyCastle.
/// </summary>
/// <remarks>
/// <para>Key formats: RSA per RFC 3110 section 2 (exponent length, exponent, modulus; 512 to 4096 bits), ECDSA per
/// RFC 6605 section 4 (Q = x | y without a point-format octet), EdDSA per RFC 8080 section 3 (the raw public key).
/// Signature formats: RSA PKCS#1 v1.5 (RFC 3110 section 3, RFC 5702 section 3), ECDSA r | s (RFC 6605 section 4),
/// EdDSA per RFC 8032.</para>
/// <para>Parsed keys are cached by algorithm and key octets (at most <see cref="MaxCachedKeys"/>; the cache is
/// cleared when full). The instance is safe for concurrent use; verification with one cached key is serialised.</para>
/// </remarks>
public sealed class DnssecSignatureVerifier : ISignatureVerifier
{
    /// <summary>The most parsed keys kept before the cache is cleared.</summary>
    public const int MaxCachedKeys = 512;

    private static readonly object s_invalidKey = new();
    private readonly ConcurrentDictionary<string, object> _keys = new(StringComparer.Ordinal);

    /// <summary>Gets a shared instance.</summary>
    public static DnssecSignatureVerifier Shared { get; } = new DnssecSignatureVerifier();

    /// <summary>Gets how many parsed keys are cached (for tests and diagnostics).</summary>
    public int CachedKeyCount => _keys.Count;

    /// <inheritdoc/>
    public bool IsSupported(DnssecAlgorithm algorithm) => algorithm switch
    {
        DnssecAlgorithm.RsaSha1 or DnssecAlgorithm.RsaSha1Nsec3Sha1 or DnssecAlgorithm.RsaSha256 or DnssecAlgorithm.RsaSha512 => true,
        DnssecAlgorithm.EcdsaP256Sha256 or DnssecAlgorithm.EcdsaP384Sha384 => true,
        DnssecAlgorithm.Ed25519 or DnssecAlgorithm.Ed448 => true,
        _ => false,
    };

    /// <inheritdoc/>
    public bool Verify(DnssecAlgorithm algorithm, byte[] publicKey, byte[] signedData, byte[] signature)
    {
        if (publicKey is null) throw new ArgumentNullException(nameof(publicKey));
        if (signedData is null) throw new ArgumentNullException(nameof(signedData));
        if (signature is null) throw new ArgumentNullException(nameof(signature));
        if (!IsSupported(algorithm)) throw new NotSupportedException($"DNSSEC algorithm {(byte)algorithm} is not supported.");
        var key = GetKey(algorithm, publicKey);
        if (ReferenceEquals(key, s_invalidKey)) return false;
        try
        {
            switch (key)
            {
                case RSA rsa:
                    lock (rsa)
                    {
                        // RFC 3110 section 3 sizes the signature like the modulus; accept one with its leading zeros dropped.
                        int modulusLength = (rsa.KeySize + 7) / 8;
                        if (signature.Length > modulusLength) return false;
                        if (signature.Length < modulusLength)
                        {
                            var padded = new byte[modulusLength];
                            Buffer.BlockCopy(signature, 0, padded, modulusLength - signature.Length, signature.Length);
                            signature = padded;
                        }
                        return rsa.VerifyData(signedData, signature, RsaHash(algorithm), RSASignaturePadding.Pkcs1);
                    }
                case ECDsa ecdsa:
                    int size = algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? 64 : 96;
                    if (signature.Length != size) return false;
                    lock (ecdsa)
                    {
                        return ecdsa.VerifyData(signedData, signature, algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);
                    }
                case Ed25519PublicKeyParameters ed25519:
                {
                    if (signature.Length != 64) return false;
                    var signer = new Ed25519Signer();
                    signer.Init(false, ed25519);
                    signer.BlockUpdate(signedData, 0, signedData.Length);
                    return signer.VerifySignature(signature);
                }
                case Ed448PublicKeyParameters ed448:
                {
                    if (signature.Length != 114) return false;
                    var signer = new Ed448Signer(Array.Empty<byte>());
                    signer.Init(false, ed448);
                    signer.BlockUpdate(signedData, 0, signedData.Length);
                    return signer.VerifySignature(signature);
                }
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private object GetKey(DnssecAlgorithm algorithm, byte[] publicKey)
    {
        var cacheKey = ((byte)algorithm).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(publicKey);
        if (_keys.TryGetValue(cacheKey, out var key)) return key;
        key = ParseKey(algorithm, publicKey) ?? s_invalidKey;
        if (_keys.Count >= MaxCachedKeys) _keys.Clear();
        return _keys.GetOrAdd(cacheKey, key);
    }

    private static object? ParseKey(DnssecAlgorithm algorithm, byte[] k)
    {
        try
        {
            switch (algorithm)
            {
                case DnssecAlgorithm.RsaSha1:
                case DnssecAlgorithm.RsaSha1Nsec3Sha1:
                case DnssecAlgorithm.RsaSha256:
                case DnssecAlgorithm.RsaSha512:
                    return ParseRsa(k);
                case DnssecAlgorithm.EcdsaP256Sha256:
                case DnssecAlgorithm.EcdsaP384Sha384:
                {
                    int half = algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? 32 : 48;
                    if (k.Length != 2 * half) return null;
                    var x = new byte[half];
                    var y = new byte[half];
                    Buffer.BlockCopy(k, 0, x, 0, half);
                    Buffer.BlockCopy(k, half, y, 0, half);
                    var parameters = new ECParameters
                    {
                        Curve = algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
                        Q = new ECPoint { X = x, Y = y },
                    };
                    return ECDsa.Create(parameters); // throws CryptographicException for a point not on the curve
                }
                case DnssecAlgorithm.Ed25519:
                    return k.Length == 32 ? new Ed25519PublicKeyParameters(k, 0) : null;
                case DnssecAlgorithm.Ed448:
                    return k.Length == 57 ? new Ed448PublicKeyParameters(k, 0) : null;
                default:
                    return null;
            }
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Parses an RFC 3110 section 2 RSA public key; null when malformed or outside 512..4096 bits.</summary>
    internal static RSA? ParseRsa(byte[] k)
    {
        if (k.Length < 3) return null;
        int expLen = k[0], offset = 1;
        if (expLen == 0)
        {
            expLen = (k[1] << 8) | k[2];
            offset = 3;
        }
        if (expLen == 0 || offset + expLen >= k.Length) return null;
        var exponent = TrimLeadingZeros(k, offset, expLen);
        var modulus = TrimLeadingZeros(k, offset + expLen, k.Length - offset - expLen);
        int bits = (modulus.Length * 8) - LeadingZeroBits(modulus[0]);
        if (exponent.Length == 0 || bits < 512 || bits > 4096) return null;
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Exponent = exponent, Modulus = modulus });
        return rsa;
    }

    private static byte[] TrimLeadingZeros(byte[] data, int offset, int length)
    {
        while (length > 0 && data[offset] == 0)
        {
            offset++;
            length--;
        }
        var result = new byte[Math.Max(length, 1)];
        if (length > 0) Buffer.BlockCopy(data, offset, result, 0, length);
        return result;
    }

    private static int LeadingZeroBits(byte b)
    {
        int n = 0;
        for (int mask = 0x80; mask != 0 && (b & mask) == 0; mask >>= 1) n++;
        return n;
    }

    private static HashAlgorithmName RsaHash(DnssecAlgorithm algorithm) => algorithm switch
    {
        DnssecAlgorithm.RsaSha256 => HashAlgorithmName.SHA256,
        DnssecAlgorithm.RsaSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA1,
    };
}
