using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace DaneTools.Core.Dns;

/// <summary>
/// One DNS resource record: owner, type, class, TTL and uncompressed wire RDATA.
/// </summary>
/// <remarks>
/// Wire layout (RFC 1035 section 3.2.1): owner name, TYPE (16 bits), CLASS (16 bits), TTL (32 bits, seconds),
/// RDLENGTH (16 bits), RDATA. Here the RDATA is kept uncompressed, as received, with its case preserved;
/// <see cref="GetCanonicalRdata"/> gives the RFC 4034 section 6.2 form used for signatures. Immutable.
/// </remarks>
public sealed class ResourceRecord : IEquatable<ResourceRecord>
{
    /// <summary>The class number of IN (Internet).</summary>
    public const ushort ClassInternet = 1;

    private readonly byte[] _rdata;
    private byte[]? _canonical;

    /// <summary>Creates a record; the RDATA is copied.</summary>
    /// <param name="owner">The owner name.</param>
    /// <param name="type">The type.</param>
    /// <param name="recordClass">The class, normally <see cref="ClassInternet"/>.</param>
    /// <param name="ttl">The TTL in seconds.</param>
    /// <param name="rdata">The uncompressed wire RDATA (at most 65535 octets).</param>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> or <paramref name="rdata"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rdata"/> is longer than 65535 octets.</exception>
    public ResourceRecord(DnsName owner, DnsRecordType type, ushort recordClass, uint ttl, byte[] rdata)
    {
        Owner = owner ?? throw new ArgumentNullException(nameof(owner));
        if (rdata is null) throw new ArgumentNullException(nameof(rdata));
        if (rdata.Length > 65535) throw new ArgumentException("RDATA is longer than 65535 octets.", nameof(rdata));
        Type = type;
        Class = recordClass;
        Ttl = ttl;
        _rdata = (byte[])rdata.Clone();
        Rdata = new ReadOnlyCollection<byte>(_rdata);
    }

    /// <summary>Gets the owner name.</summary>
    public DnsName Owner { get; }

    /// <summary>Gets the type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>Gets the class (1 = IN).</summary>
    public ushort Class { get; }

    /// <summary>Gets the TTL in seconds.</summary>
    public uint Ttl { get; }

    /// <summary>Gets the uncompressed wire RDATA, as received.</summary>
    public IReadOnlyList<byte> Rdata { get; }

    internal byte[] RdataBytes => _rdata;

    /// <summary>Returns a copy of the wire RDATA.</summary>
    /// <returns>A new array.</returns>
    public byte[] GetRdata() => (byte[])_rdata.Clone();

    /// <summary>
    /// Returns the canonical RDATA (RFC 4034 section 6.2 as corrected by RFC 6840 section 5.1): domain names inside
    /// the RDATA of NS, CNAME, SOA, PTR, MX, SRV, DNAME, RRSIG (signer) and the other listed types are lower-cased;
    /// NSEC next names and HINFO are left as they are.
    /// </summary>
    /// <returns>A new array.</returns>
    public byte[] GetCanonicalRdata() => (byte[])CanonicalRdata.Clone();

    internal byte[] CanonicalRdata => _canonical ??= RdataCodec.Canonicalize(Type, _rdata);

    /// <summary>Gets the RDATA in presentation form, or RFC 3597 <c>\# len hex</c> for types without one.</summary>
    public string RdataText => RdataCodec.ToPresentation(Type, _rdata);

    /// <summary>Returns a copy of this record with another TTL.</summary>
    /// <param name="ttl">The new TTL in seconds.</param>
    /// <returns>The new record.</returns>
    public ResourceRecord WithTtl(uint ttl) => new(Owner, Type, Class, ttl, _rdata);

    /// <summary>Returns a copy of this record with another owner name (e.g. a wildcard owner).</summary>
    /// <param name="owner">The new owner.</param>
    /// <returns>The new record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public ResourceRecord WithOwner(DnsName owner) => new(owner, Type, Class, Ttl, _rdata);

    /// <summary>
    /// Parses one presentation line <c>owner ttl class type rdata...</c> as printed by <c>dig</c>,
    /// <c>named-compilezone -s full</c> or <c>ldns-read-zone</c>.
    /// </summary>
    /// <remarks>
    /// The owner is taken as fully qualified. TTL and class may come in either order; a missing TTL is 0 and a
    /// missing class is IN (convenient for trust anchor lines). RFC 3597 <c>\# len hex</c> RDATA is accepted for
    /// every type, <c>TYPEnnn</c>/<c>CLASSnnn</c> for unknown numbers. Text after <c>;</c> is a comment;
    /// parentheses are ignored.
    /// </remarks>
    /// <param name="line">The line.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    /// <exception cref="FormatException">The line is not a valid record; the message names the field.</exception>
    public static ResourceRecord Parse(string line)
    {
        if (line is null) throw new ArgumentNullException(nameof(line));
        if (!TryParse(line, out var record, out var error)) throw new FormatException($"Invalid record '{line.Trim()}': {error}");
        return record!;
    }

    /// <summary>Parses one presentation line without throwing.</summary>
    /// <param name="line">The line, as for <see cref="Parse"/>.</param>
    /// <param name="record">The record, or null when parsing failed.</param>
    /// <param name="error">Why parsing failed, or null.</param>
    /// <returns>True when the line was parsed.</returns>
    public static bool TryParse(string? line, out ResourceRecord? record, out string? error)
    {
        record = null;
        error = null;
        try
        {
            var tokens = PresentationTokenizer.Tokenize(line ?? string.Empty);
            if (tokens.Count < 2) { error = "expected 'owner ttl class type rdata'"; return false; }
            if (!DnsName.TryParse(tokens[0].Text, out var owner, out var nameError)) { error = $"invalid owner name: {nameError}"; return false; }
            int i = 1;
            uint ttl = 0;
            ushort cls = ClassInternet;
            bool haveTtl = false, haveClass = false;
            DnsRecordType type = 0;
            bool haveType = false;
            while (i < tokens.Count && !haveType)
            {
                var t = tokens[i].Text;
                if (!haveTtl && t.Length > 0 && char.IsDigit(t[0]))
                {
                    if (!uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out ttl)) { error = $"invalid TTL '{t}'"; return false; }
                    haveTtl = true;
                }
                else if (!haveClass && DnsRecordTypeText.TryParseClass(t, out var c))
                {
                    cls = c;
                    haveClass = true;
                }
                else if (DnsRecordTypeText.TryParse(t, out type))
                {
                    haveType = true;
                }
                else
                {
                    error = $"unknown type '{t}'";
                    return false;
                }
                i++;
            }
            if (!haveType) { error = "missing type"; return false; }
            var rdata = RdataCodec.FromPresentation(type, tokens.Skip(i).ToList());
            if (rdata.Length > 65535) { error = "RDATA longer than 65535 octets"; return false; }
            record = new ResourceRecord(owner!, type, cls, ttl, rdata);
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Formats the record as one presentation line: <c>owner ttl class type rdata</c>.</summary>
    /// <returns>For example <c>www.example.com. 3600 IN A 192.0.2.1</c>.</returns>
    public override string ToString() =>
        $"{Owner} {Ttl.ToString(CultureInfo.InvariantCulture)} {DnsRecordTypeText.ClassToText(Class)} {DnsRecordTypeText.ToText(Type)} {RdataText}";

    /// <summary>Returns whether two records have the same owner (case-insensitive), type, class and canonical RDATA; the TTL is ignored.</summary>
    /// <param name="other">The other record.</param>
    /// <returns>True when they are the same RR in the sense of RFC 2181 section 5.</returns>
    public bool Equals(ResourceRecord? other) =>
        other is not null && Type == other.Type && Class == other.Class && Owner.Equals(other.Owner)
        && CanonicalRdata.AsSpanEquals(other.CanonicalRdata);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ResourceRecord r && Equals(r);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            int h = (Owner.GetHashCode() * 31) + (int)Type;
            foreach (var b in CanonicalRdata) h = (h * 31) + b;
            return h;
        }
    }
}

internal static class ByteArrayExtensions
{
    public static bool AsSpanEquals(this byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    /// <summary>Compares as left-justified unsigned octet sequences, a shorter prefix first (RFC 4034 section 6.3).</summary>
    public static int CompareOctets(this byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = a[i].CompareTo(b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
