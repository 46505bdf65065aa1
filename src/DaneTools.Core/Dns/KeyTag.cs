using System;

namespace DaneTools.Core.Dns;

/// <summary>Computes DNSKEY key tags (RFC 4034 Appendix B).</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#appendix-B"/>
public static class KeyTag
{
    /// <summary>Computes the key tag of DNSKEY RDATA.</summary>
    /// <remarks>
    /// The 16-bit ones-complement-style sum of RFC 4034 Appendix B over the whole RDATA. For algorithm 1 (RSA/MD5)
    /// the tag is instead the most significant 16 of the least significant 24 bits of the modulus (Appendix B.1).
    /// </remarks>
    /// <param name="dnskeyRdata">The DNSKEY (or CDNSKEY) wire RDATA.</param>
    /// <returns>The key tag.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dnskeyRdata"/> is null.</exception>
    public static ushort Compute(byte[] dnskeyRdata)
    {
        if (dnskeyRdata is null) throw new ArgumentNullException(nameof(dnskeyRdata));
        if (dnskeyRdata.Length >= 4 && dnskeyRdata[3] == 1)
        {
            int n = dnskeyRdata.Length;
            return n >= 7 ? (ushort)((dnskeyRdata[n - 3] << 8) | dnskeyRdata[n - 2]) : (ushort)0;
        }
        uint ac = 0;
        for (int i = 0; i < dnskeyRdata.Length; i++)
        {
            ac += (i & 1) != 0 ? dnskeyRdata[i] : (uint)dnskeyRdata[i] << 8;
        }
        ac += (ac >> 16) & 0xFFFF;
        return (ushort)(ac & 0xFFFF);
    }
}
