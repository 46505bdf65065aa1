namespace DaneTools.Core.Dane;

/// <summary>TLSA selector field (RFC 6698 section 2.1.2, mnemonics from RFC 7218 section 2.2).</summary>
public enum TlsaSelector : byte
{
    /// <summary>Cert(0): the full DER-encoded certificate.</summary>
    Certificate = 0,

    /// <summary>SPKI(1): the DER-encoded SubjectPublicKeyInfo.</summary>
    SubjectPublicKeyInfo = 1,

    /// <summary>PrivSel(255): reserved for private use.</summary>
    PrivSel = 255,
}
