using System;
using System.Collections.Generic;

namespace DaneTools.Core.Dns;

/// <summary>
/// A typed view of an RRSIG record.
/// </summary>
/// <remarks>
/// Wire layout (RFC 4034 section 3.1): Type Covered (16 bits), Algorithm (8), Labels (8), Original TTL (32,
/// seconds), Signature Expiration (32), Signature Inception (32) - both seconds since 1970-01-01 UTC modulo 2^32,
/// compared with RFC 1982 serial arithmetic - Key Tag (16), Signer's Name (uncompressed), then the Signature.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#section-3"/>
public sealed class RrsigRecord
{
    private static readonly DateTime s_epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly byte[] _signature;
    private readonly byte[] _signedPrefix;

    private RrsigRecord(ResourceRecord record, DnsName signer, int signatureOffset)
    {
        var d = record.RdataBytes;
        Record = record;
        TypeCovered = (DnsRecordType)RdataCodec.GetU16(d, 0);
        Algorithm = (DnssecAlgorithm)d[2];
        Labels = d[3];
        OriginalTtl = RdataCodec.GetU32(d, 4);
        Expiration = RdataCodec.GetU32(d, 8);
        Inception = RdataCodec.GetU32(d, 12);
        KeyTag = RdataCodec.GetU16(d, 16);
        SignerName = signer;
        _signature = new byte[d.Length - signatureOffset];
        Buffer.BlockCopy(d, signatureOffset, _signature, 0, _signature.Length);
        var prefix = new List<byte>(18 + signer.WireLength);
        for (int i = 0; i < 18; i++) prefix.Add(d[i]);
        signer.WriteTo(prefix, lowerCase: true); // RFC 4034 3.1.8.1 with RFC 6840 5.1: signer name in canonical form
        _signedPrefix = prefix.ToArray();
    }

    /// <summary>Gets the record this view was made from.</summary>
    public ResourceRecord Record { get; }

    /// <summary>Gets the owner name.</summary>
    public DnsName Owner => Record.Owner;

    /// <summary>Gets the type of the RRset this signature covers.</summary>
    public DnsRecordType TypeCovered { get; }

    /// <summary>Gets the algorithm.</summary>
    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Gets the Labels field: the owner's label count without a leading <c>*</c> label (RFC 4034 section 3.1.3).</summary>
    public byte Labels { get; }

    /// <summary>Gets the original TTL in seconds.</summary>
    public uint OriginalTtl { get; }

    /// <summary>Gets the signature expiration as 32-bit seconds since 1970 (modulo 2^32).</summary>
    public uint Expiration { get; }

    /// <summary>Gets the signature inception as 32-bit seconds since 1970 (modulo 2^32).</summary>
    public uint Inception { get; }

    /// <summary>Gets the expiration as a UTC time, reading the field as seconds since 1970 without wrap-around.</summary>
    public DateTime ExpirationUtc => s_epoch.AddSeconds(Expiration);

    /// <summary>Gets the inception as a UTC time, reading the field as seconds since 1970 without wrap-around.</summary>
    public DateTime InceptionUtc => s_epoch.AddSeconds(Inception);

    /// <summary>Gets the key tag of the signing DNSKEY.</summary>
    public ushort KeyTag { get; }

    /// <summary>Gets the signer's name (the apex of the zone holding the signed RRset).</summary>
    public DnsName SignerName { get; }

    internal byte[] Signature => _signature;

    /// <summary>Returns a copy of the signature octets.</summary>
    /// <returns>A new array.</returns>
    public byte[] GetSignature() => (byte[])_signature.Clone();

    /// <summary>
    /// Returns the RRSIG RDATA without the signature and with the signer name in canonical form: the first part of
    /// the signed data (RFC 4034 section 3.1.8.1).
    /// </summary>
    /// <returns>A new array.</returns>
    public byte[] GetSignedDataPrefix() => (byte[])_signedPrefix.Clone();

    internal byte[] SignedDataPrefix => _signedPrefix;

    /// <summary>Creates the view from an RRSIG record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="FormatException">The record is not a well-formed RRSIG.</exception>
    public static RrsigRecord From(ResourceRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (!TryFrom(record, out var sig)) throw new FormatException($"Not a well-formed RRSIG record: {record}");
        return sig!;
    }

    /// <summary>Creates the view without throwing.</summary>
    /// <param name="record">The record.</param>
    /// <param name="rrsig">The view, or null.</param>
    /// <returns>True when the record is a well-formed RRSIG.</returns>
    public static bool TryFrom(ResourceRecord? record, out RrsigRecord? rrsig)
    {
        rrsig = null;
        if (record is null || record.Type != DnsRecordType.RRSIG || record.RdataBytes.Length < 20) return false;
        try
        {
            int p = 18;
            var signer = DnsName.ReadWire(record.RdataBytes, ref p);
            if (p >= record.RdataBytes.Length) return false;
            rrsig = new RrsigRecord(record, signer, p);
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
