using System.Net;

namespace DaneTools.Core.Dns;

/// <summary>A typed view of an A (RFC 1035 section 3.4.1) or AAAA (RFC 3596 section 2.2) record. Immutable.</summary>
public sealed class AddressRdata
{
    private AddressRdata(ResourceRecord record, IPAddress address)
    {
        Record = record;
        Address = address;
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the address: IPv4 for A, IPv6 for AAAA.</summary>
    public IPAddress Address { get; }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="address">The view, or null.</param>
    /// <returns>True when the record is an A with 4 octets of RDATA or an AAAA with 16.</returns>
    public static bool TryFrom(ResourceRecord? record, out AddressRdata? address)
    {
        address = null;
        if (record is null) return false;
        var d = record.RdataBytes;
        bool wellFormed = (record.Type == DnsRecordType.A && d.Length == 4) || (record.Type == DnsRecordType.AAAA && d.Length == 16);
        if (!wellFormed) return false;
        address = new AddressRdata(record, new IPAddress(d));
        return true;
    }

    /// <summary>Formats the address.</summary>
    /// <returns>For example <c>192.0.2.1</c>.</returns>
    public override string ToString() => Address.ToString();
}
