using System;
using System.Collections.Generic;

namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of an NSEC3 record.
/// </summary>
/// <remarks>
/// Wire layout (RFC 5155 section 3.2): Hash Algorithm (8 bits, 1 = SHA-1), Flags (8 bits, bit 7 = Opt-Out),
/// Iterations (16), Salt Length (8), Salt, Hash Length (8), Next Hashed Owner Name (binary), then the type bit
/// maps. The owner's first label is the base32hex hash of the original owner name.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc5155#section-3"/>
public sealed class Nsec3Record
{
    /// <summary>The Opt-Out flag (RFC 5155 section 3.1.2.1).</summary>
    public const byte OptOutFlag = 0x01;

    private readonly byte[] _salt;
    private readonly byte[] _next;
    private readonly byte[]? _ownerHash;
    private readonly HashSet<DnsRecordType> _types;

    private Nsec3Record(ResourceRecord record, byte[] salt, byte[] next, List<DnsRecordType> types)
    {
        var d = record.RdataBytes;
        Record = record;
        HashAlgorithm = d[0];
        Flags = d[1];
        Iterations = RdataCodec.GetU16(d, 2);
        _salt = salt;
        _next = next;
        Types = types.AsReadOnly();
        _types = new HashSet<DnsRecordType>(types);
        if (record.Owner.LabelCount > 0 && Base32Hex.TryDecode(System.Text.Encoding.ASCII.GetString(record.Owner.LabelAt(0)), out var h) && h!.Length > 0)
        {
            _ownerHash = h;
        }
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the owner name (hash label + zone).</summary>
    public DnsName Owner => Record.Owner;

    /// <summary>Gets the hash algorithm (1 = SHA-1).</summary>
    public byte HashAlgorithm { get; }

    /// <summary>Gets the flags field.</summary>
    public byte Flags { get; }

    /// <summary>Gets whether the Opt-Out flag is set (unsigned delegations may be skipped by the chain).</summary>
    public bool OptOut => (Flags & OptOutFlag) != 0;

    /// <summary>Gets the number of additional hash iterations.</summary>
    public ushort Iterations { get; }

    /// <summary>Gets the salt as upper-case hexadecimal, or an empty string when there is none.</summary>
    public string SaltHex => Hex.Encode(_salt);

    internal byte[] Salt => _salt;

    internal byte[] NextHashedOwner => _next;

    /// <summary>Gets the next hashed owner name in base32hex (upper case).</summary>
    public string NextHashedOwnerName => Base32Hex.Encode(_next);

    /// <summary>Gets the hash decoded from the owner's first label, or null when that label is not base32hex.</summary>
    internal byte[]? OwnerHash => _ownerHash;

    /// <summary>Gets the types present at the original owner name.</summary>
    public IReadOnlyList<DnsRecordType> Types { get; }

    /// <summary>Returns whether the type bit map lists a type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>True when the bit is set.</returns>
    public bool HasType(DnsRecordType type) => _types.Contains(type);

    /// <summary>Returns a copy of the salt.</summary>
    /// <returns>A new array (empty when there is no salt).</returns>
    public byte[] GetSalt() => (byte[])_salt.Clone();

    /// <summary>Creates the view from an NSEC3 record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="FormatException">The record is not a well-formed NSEC3.</exception>
    public static Nsec3Record From(ResourceRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (!TryFrom(record, out var nsec3)) throw new FormatException($"Not a well-formed NSEC3 record: {record}");
        return nsec3!;
    }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="nsec3">The view, or null.</param>
    /// <returns>True when the record is a well-formed NSEC3.</returns>
    public static bool TryFrom(ResourceRecord? record, out Nsec3Record? nsec3)
    {
        nsec3 = null;
        if (record is null || record.Type != DnsRecordType.NSEC3) return false;
        var d = record.RdataBytes;
        try
        {
            if (d.Length < 6) return false;
            int saltLen = d[4];
            int p = 5 + saltLen;
            if (p >= d.Length) return false;
            int hashLen = d[p];
            if (hashLen == 0 || p + 1 + hashLen > d.Length) return false;
            var salt = new byte[saltLen];
            Buffer.BlockCopy(d, 5, salt, 0, saltLen);
            var next = new byte[hashLen];
            Buffer.BlockCopy(d, p + 1, next, 0, hashLen);
            nsec3 = new Nsec3Record(record, salt, next, TypeBitmap.Decode(d, p + 1 + hashLen));
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
