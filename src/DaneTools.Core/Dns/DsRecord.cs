using System;

namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of a DS (or CDS) record.
/// </summary>
/// <remarks>
/// Wire layout (RFC 4034 section 5.1): Key Tag (16 bits), Algorithm (8 bits), Digest Type (8 bits), then the
/// digest to the end of the RDATA: digest = hash(canonical owner name | DNSKEY RDATA).
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#section-5"/>
public sealed class DsRecord
{
    private readonly byte[] _digest;

    private DsRecord(ResourceRecord record)
    {
        var d = record.RdataBytes;
        Record = record;
        KeyTag = RdataCodec.GetU16(d, 0);
        Algorithm = (DnssecAlgorithm)d[2];
        DigestType = (DsDigestType)d[3];
        _digest = new byte[d.Length - 4];
        Buffer.BlockCopy(d, 4, _digest, 0, _digest.Length);
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the owner name (the child zone apex).</summary>
    public DnsName Owner => Record.Owner;

    /// <summary>Gets the key tag of the referenced DNSKEY.</summary>
    public ushort KeyTag { get; }

    /// <summary>Gets the algorithm of the referenced DNSKEY.</summary>
    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Gets the digest type.</summary>
    public DsDigestType DigestType { get; }

    /// <summary>Gets the digest as upper-case hexadecimal.</summary>
    public string DigestHex => Hex.Encode(_digest);

    internal byte[] Digest => _digest;

    /// <summary>Returns a copy of the digest.</summary>
    /// <returns>A new array.</returns>
    public byte[] GetDigest() => (byte[])_digest.Clone();

    /// <summary>Creates the view from a DS or CDS record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="FormatException">The record is not a DS/CDS or its RDATA is shorter than 5 octets.</exception>
    public static DsRecord From(ResourceRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (!TryFrom(record, out var ds)) throw new FormatException($"Not a well-formed DS record: {record}");
        return ds!;
    }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="ds">The view, or null.</param>
    /// <returns>True when the record is a well-formed DS or CDS.</returns>
    public static bool TryFrom(ResourceRecord? record, out DsRecord? ds)
    {
        ds = null;
        if (record is null || (record.Type != DnsRecordType.DS && record.Type != DnsRecordType.CDS) || record.RdataBytes.Length < 5) return false;
        ds = new DsRecord(record);
        return true;
    }

    /// <summary>Formats the RDATA, e.g. <c>20326 8 2 E06D...</c>.</summary>
    /// <returns>The presentation form of the RDATA.</returns>
    public override string ToString() => Record.RdataText;
}
