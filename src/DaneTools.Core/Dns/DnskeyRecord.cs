using System;

namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of a DNSKEY (or CDNSKEY) record.
/// </summary>
/// <remarks>
/// Wire layout (RFC 4034 section 2.1): Flags (16 bits; bit 7 = Zone Key 0x0100, bit 15 = Secure Entry Point
/// 0x0001, bit 8 = REVOKE 0x0080 from RFC 5011), Protocol (8 bits, must be 3), Algorithm (8 bits), then the
/// public key to the end of the RDATA in the algorithm's format.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#section-2"/>
public sealed class DnskeyRecord
{
    /// <summary>The Zone Key flag (RFC 4034 section 2.1.1).</summary>
    public const ushort ZoneFlag = 0x0100;

    /// <summary>The REVOKE flag (RFC 5011 section 7).</summary>
    public const ushort RevokeFlag = 0x0080;

    /// <summary>The Secure Entry Point flag (RFC 4034 section 2.1.1, RFC 3757).</summary>
    public const ushort SepFlag = 0x0001;

    private readonly byte[] _publicKey;

    private DnskeyRecord(ResourceRecord record)
    {
        var d = record.RdataBytes;
        Record = record;
        Flags = RdataCodec.GetU16(d, 0);
        Protocol = d[2];
        Algorithm = (DnssecAlgorithm)d[3];
        _publicKey = new byte[d.Length - 4];
        Buffer.BlockCopy(d, 4, _publicKey, 0, _publicKey.Length);
        KeyTag = Dns.KeyTag.Compute(d);
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the owner name (the zone apex for a zone key).</summary>
    public DnsName Owner => Record.Owner;

    /// <summary>Gets the flags field.</summary>
    public ushort Flags { get; }

    /// <summary>Gets the protocol field (3 for DNSSEC).</summary>
    public byte Protocol { get; }

    /// <summary>Gets the algorithm.</summary>
    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Gets the key tag (RFC 4034 Appendix B).</summary>
    public ushort KeyTag { get; }

    /// <summary>Gets whether the Zone Key flag is set (only such keys verify zone data, RFC 4034 section 2.1.1).</summary>
    public bool IsZoneKey => (Flags & ZoneFlag) != 0;

    /// <summary>Gets whether the Secure Entry Point flag is set (a hint only; validators do not depend on it).</summary>
    public bool IsSecureEntryPoint => (Flags & SepFlag) != 0;

    /// <summary>Gets whether the REVOKE flag is set (RFC 5011 section 2.1: the key must not be used).</summary>
    public bool IsRevoked => (Flags & RevokeFlag) != 0;

    /// <summary>Gets the public key octets' length.</summary>
    public int PublicKeyLength => _publicKey.Length;

    internal byte[] PublicKey => _publicKey;

    /// <summary>Returns a copy of the public key octets.</summary>
    /// <returns>A new array.</returns>
    public byte[] GetPublicKey() => (byte[])_publicKey.Clone();

    /// <summary>Creates the view from a DNSKEY or CDNSKEY record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="FormatException">The record is not a DNSKEY/CDNSKEY or its RDATA is shorter than 4 octets.</exception>
    public static DnskeyRecord From(ResourceRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (!TryFrom(record, out var key)) throw new FormatException($"Not a well-formed DNSKEY record: {record}");
        return key!;
    }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="key">The view, or null.</param>
    /// <returns>True when the record is a well-formed DNSKEY or CDNSKEY.</returns>
    public static bool TryFrom(ResourceRecord? record, out DnskeyRecord? key)
    {
        key = null;
        if (record is null || (record.Type != DnsRecordType.DNSKEY && record.Type != DnsRecordType.CDNSKEY) || record.RdataBytes.Length < 4) return false;
        key = new DnskeyRecord(record);
        return true;
    }

    /// <summary>Formats as <c>tag/algorithm/flags</c>, e.g. <c>20326/RsaSha256/257</c>.</summary>
    /// <returns>The short description.</returns>
    public override string ToString() => $"{KeyTag}/{Algorithm}/{Flags}";
}
