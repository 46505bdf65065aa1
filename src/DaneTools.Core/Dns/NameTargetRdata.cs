namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of a record whose RDATA is one domain name: NS (RFC 1035 section 3.3.11), CNAME (section 3.3.1) or
/// DNAME (RFC 6672 section 2.1). Immutable.
/// </summary>
/// <remarks>For a DNAME the <see cref="Target"/> is the RDATA itself (the name substituted for the owner), not the
/// synthesized name of a query below it.</remarks>
public sealed class NameTargetRdata
{
    private NameTargetRdata(ResourceRecord record, DnsName target)
    {
        Record = record;
        Target = target;
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the name in the RDATA: the name server (NS), the canonical name (CNAME) or the DNAME target.</summary>
    public DnsName Target { get; }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="view">The view, or null.</param>
    /// <returns>True when the record is an NS, CNAME or DNAME whose RDATA starts with a well-formed uncompressed name.</returns>
    /// <remarks>Octets after the name are ignored, as the validator has always read CNAME and DNAME targets.</remarks>
    public static bool TryFrom(ResourceRecord? record, out NameTargetRdata? view)
    {
        view = null;
        if (record is null || record.Type is not (DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.DNAME)) return false;
        int p = 0;
        if (!RdataCodec.TryReadName(record.RdataBytes, ref p, out var target)) return false;
        view = new NameTargetRdata(record, target!);
        return true;
    }

    /// <summary>Formats the target name.</summary>
    /// <returns>The target with its trailing dot.</returns>
    public override string ToString() => Target.ToString();
}
