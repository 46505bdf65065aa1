namespace DaneTools.Core.Dns;

/// <summary>DNSSEC signing algorithm numbers (IANA "DNS Security Algorithm Numbers").</summary>
/// <remarks>Other numbers are valid values of this enum and are simply unsupported by the validator.</remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc9904"/>
public enum DnssecAlgorithm : byte
{
    /// <summary>RSA/MD5 (1), must not be used for validation (RFC 6725).</summary>
    RsaMd5 = 1,

    /// <summary>Diffie-Hellman (2), not a signing algorithm.</summary>
    DiffieHellman = 2,

    /// <summary>DSA/SHA-1 (3), deprecated.</summary>
    DsaSha1 = 3,

    /// <summary>RSA/SHA-1 (5, RFC 3110), deprecated by RFC 9905.</summary>
    RsaSha1 = 5,

    /// <summary>DSA-NSEC3-SHA1 (6), deprecated.</summary>
    DsaNsec3Sha1 = 6,

    /// <summary>RSASHA1-NSEC3-SHA1 (7, RFC 5155), deprecated by RFC 9905.</summary>
    RsaSha1Nsec3Sha1 = 7,

    /// <summary>RSA/SHA-256 (8, RFC 5702).</summary>
    RsaSha256 = 8,

    /// <summary>RSA/SHA-512 (10, RFC 5702).</summary>
    RsaSha512 = 10,

    /// <summary>GOST R 34.10-2001 (12), deprecated.</summary>
    EccGost = 12,

    /// <summary>ECDSA P-256 with SHA-256 (13, RFC 6605).</summary>
    EcdsaP256Sha256 = 13,

    /// <summary>ECDSA P-384 with SHA-384 (14, RFC 6605).</summary>
    EcdsaP384Sha384 = 14,

    /// <summary>Ed25519 (15, RFC 8080).</summary>
    Ed25519 = 15,

    /// <summary>Ed448 (16, RFC 8080).</summary>
    Ed448 = 16,

    /// <summary>Indirect keys (252), reserved.</summary>
    Indirect = 252,

    /// <summary>Private algorithm identified by a domain name (253).</summary>
    PrivateDns = 253,

    /// <summary>Private algorithm identified by an OID (254).</summary>
    PrivateOid = 254,
}
