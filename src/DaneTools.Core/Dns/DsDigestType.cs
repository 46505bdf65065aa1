namespace DaneTools.Core.Dns;

/// <summary>DS digest type numbers (IANA "Digest Algorithms").</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4509"/>
public enum DsDigestType : byte
{
    /// <summary>SHA-1 (1, RFC 4034 section 5.1.4).</summary>
    Sha1 = 1,

    /// <summary>SHA-256 (2, RFC 4509).</summary>
    Sha256 = 2,

    /// <summary>GOST R 34.11-94 (3, RFC 5933), unsupported.</summary>
    Gost = 3,

    /// <summary>SHA-384 (4, RFC 6605).</summary>
    Sha384 = 4,
}
