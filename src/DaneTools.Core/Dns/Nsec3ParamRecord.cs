using System;

namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of an NSEC3PARAM record.
/// </summary>
/// <remarks>
/// Wire layout (RFC 5155 section 4.2): Hash Algorithm (8 bits), Flags (8 bits, 0 in practice), Iterations (16),
/// Salt Length (8), Salt.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc5155#section-4"/>
public sealed class Nsec3ParamRecord
{
    private readonly byte[] _salt;

    private Nsec3ParamRecord(ResourceRecord record)
    {
        var d = record.RdataBytes;
        Record = record;
        HashAlgorithm = d[0];
        Flags = d[1];
        Iterations = RdataCodec.GetU16(d, 2);
        _salt = new byte[d[4]];
        Buffer.BlockCopy(d, 5, _salt, 0, _salt.Length);
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the hash algorithm (1 = SHA-1).</summary>
    public byte HashAlgorithm { get; }

    /// <summary>Gets the flags field.</summary>
    public byte Flags { get; }

    /// <summary>Gets the number of additional hash iterations.</summary>
    public ushort Iterations { get; }

    /// <summary>Gets the salt as upper-case hexadecimal, or an empty string when there is none.</summary>
    public string SaltHex => Hex.Encode(_salt);

    /// <summary>Returns a copy of the salt.</summary>
    /// <returns>A new array.</returns>
    public byte[] GetSalt() => (byte[])_salt.Clone();

    /// <summary>Creates the view from an NSEC3PARAM record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="FormatException">The record is not a well-formed NSEC3PARAM.</exception>
    public static Nsec3ParamRecord From(ResourceRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (!TryFrom(record, out var p)) throw new FormatException($"Not a well-formed NSEC3PARAM record: {record}");
        return p!;
    }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="param">The view, or null.</param>
    /// <returns>True when the record is a well-formed NSEC3PARAM.</returns>
    public static bool TryFrom(ResourceRecord? record, out Nsec3ParamRecord? param)
    {
        param = null;
        if (record is null || record.Type != DnsRecordType.NSEC3PARAM) return false;
        var d = record.RdataBytes;
        if (d.Length < 5 || d.Length != 5 + d[4]) return false;
        param = new Nsec3ParamRecord(record);
        return true;
    }

    /// <summary>Formats the RDATA in presentation form.</summary>
    /// <returns>The presentation form of the RDATA.</returns>
    public override string ToString() => Record.RdataText;
}
