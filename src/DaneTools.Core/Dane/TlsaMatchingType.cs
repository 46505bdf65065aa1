namespace DaneTools.Core.Dane;

/// <summary>TLSA matching type field (RFC 6698 section 2.1.3, mnemonics from RFC 7218 section 2.3).</summary>
public enum TlsaMatchingType : byte
{
    /// <summary>Full(0): exact match on the selected content.</summary>
    Full = 0,

    /// <summary>SHA2-256(1): SHA-256 hash of the selected content (32 bytes).</summary>
    Sha256 = 1,

    /// <summary>SHA2-512(2): SHA-512 hash of the selected content (64 bytes).</summary>
    Sha512 = 2,

    /// <summary>PrivMatch(255): reserved for private use.</summary>
    PrivMatch = 255,
}
