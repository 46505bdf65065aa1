using System;

namespace DaneTools.Core.Dns;

/// <summary>
/// The wire reader of TLSA RDATA (RFC 6698 section 2.1): certificate usage, selector and matching type (one octet
/// each), then the certificate association data to the end. The DANE layer turns it into its TLSA model. Immutable.
/// </summary>
/// <remarks>Three octets (no association data) are accepted: such a record is well formed on the wire and merely
/// unusable (RFC 7671 section 4.1); fewer octets are not TLSA RDATA.</remarks>
public sealed class TlsaRdata
{
    private readonly byte[] _data;

    private TlsaRdata(ResourceRecord record)
    {
        var d = record.RdataBytes;
        Record = record;
        Usage = d[0];
        Selector = d[1];
        MatchingType = d[2];
        _data = new byte[d.Length - 3];
        Buffer.BlockCopy(d, 3, _data, 0, _data.Length);
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the certificate usage octet.</summary>
    public byte Usage { get; }

    /// <summary>Gets the selector octet.</summary>
    public byte Selector { get; }

    /// <summary>Gets the matching type octet.</summary>
    public byte MatchingType { get; }

    internal byte[] AssociationData => _data;

    /// <summary>Returns a copy of the certificate association data.</summary>
    /// <returns>A new array (empty when the RDATA has only the three parameter octets).</returns>
    public byte[] GetAssociationData() => (byte[])_data.Clone();

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="tlsa">The view, or null.</param>
    /// <returns>True when the record is a TLSA with at least 3 octets of RDATA.</returns>
    public static bool TryFrom(ResourceRecord? record, out TlsaRdata? tlsa)
    {
        tlsa = null;
        if (record is null || record.Type != DnsRecordType.TLSA || record.RdataBytes.Length < 3) return false;
        tlsa = new TlsaRdata(record);
        return true;
    }

    /// <summary>Formats the RDATA, e.g. <c>3 1 1 0A1B...</c>.</summary>
    /// <returns>The presentation form of the RDATA.</returns>
    public override string ToString() => Record.RdataText;
}
