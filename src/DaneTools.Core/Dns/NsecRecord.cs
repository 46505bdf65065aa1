using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of an NSEC record.
/// </summary>
/// <remarks>
/// Wire layout (RFC 4034 section 4.1): Next Domain Name (uncompressed, case as signed - RFC 6840 section 5.1 keeps
/// it out of canonical lower-casing), then the type bit maps.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#section-4"/>
public sealed class NsecRecord
{
    private readonly HashSet<DnsRecordType> _types;

    private NsecRecord(ResourceRecord record, DnsName next, List<DnsRecordType> types)
    {
        Record = record;
        NextDomainName = next;
        Types = types.AsReadOnly();
        _types = new HashSet<DnsRecordType>(types);
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the owner name.</summary>
    public DnsName Owner => Record.Owner;

    /// <summary>Gets the next owner name in canonical order (the zone apex for the last NSEC).</summary>
    public DnsName NextDomainName { get; }

    /// <summary>Gets the types present at the owner, in increasing numeric order.</summary>
    public IReadOnlyList<DnsRecordType> Types { get; }

    /// <summary>Returns whether the type bit map lists a type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>True when the bit is set.</returns>
    public bool HasType(DnsRecordType type) => _types.Contains(type);

    /// <summary>Creates the view from an NSEC record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="FormatException">The record is not a well-formed NSEC.</exception>
    public static NsecRecord From(ResourceRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (!TryFrom(record, out var nsec)) throw new FormatException($"Not a well-formed NSEC record: {record}");
        return nsec!;
    }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="nsec">The view, or null.</param>
    /// <returns>True when the record is a well-formed NSEC.</returns>
    public static bool TryFrom(ResourceRecord? record, out NsecRecord? nsec)
    {
        nsec = null;
        if (record is null || record.Type != DnsRecordType.NSEC) return false;
        try
        {
            int p = 0;
            var next = DnsName.ReadWire(record.RdataBytes, ref p);
            nsec = new NsecRecord(record, next, TypeBitmap.Decode(record.RdataBytes, p));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Formats the RDATA in presentation form.</summary>
    /// <returns>The presentation form of the RDATA.</returns>
    public override string ToString() => Record.RdataText;
}
