using System;

namespace DaneTools.Core.Dns;

/// <summary>A typed view of an MX record: preference and exchange host (RFC 1035 section 3.3.9).</summary>
/// <remarks>Wire layout: PREFERENCE (16 bits), EXCHANGE (an uncompressed domain name filling the rest of the RDATA).
/// An exchange of <c>.</c> with preference 0 is a null MX (RFC 7505). Immutable.</remarks>
public sealed class MxRdata
{
    private MxRdata(ResourceRecord record, ushort preference, DnsName exchange)
    {
        Record = record;
        Preference = preference;
        Exchange = exchange;
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the preference (lower is tried first).</summary>
    public ushort Preference { get; }

    /// <summary>Gets the exchange host name; the root for a null MX.</summary>
    public DnsName Exchange { get; }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="mx">The view, or null.</param>
    /// <returns>True when the record is an MX whose RDATA is a preference and one name with nothing after it.</returns>
    public static bool TryFrom(ResourceRecord? record, out MxRdata? mx)
    {
        mx = null;
        if (record is null || record.Type != DnsRecordType.MX) return false;
        var d = record.RdataBytes;
        if (d.Length < 3) return false;
        int p = 2;
        if (!RdataCodec.TryReadName(d, ref p, out var exchange) || p != d.Length) return false;
        mx = new MxRdata(record, RdataCodec.GetU16(d, 0), exchange!);
        return true;
    }

    /// <summary>Formats the RDATA, e.g. <c>10 mx1.example.com.</c>.</summary>
    /// <returns>The presentation form of the RDATA.</returns>
    public override string ToString() => Record.RdataText;
}
