using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DnsClient;
using DnsClient.Protocol;

namespace DaneTools.Core.Dns;

/// <summary>
/// Rebuilds our <see cref="ResourceRecord"/> (uncompressed wire RDATA, names as received) from DnsClient's parsed
/// records, and refuses what DnsClient cannot represent faithfully.
/// </summary>
internal static class DnsClientRdata
{
    // Types whose RDATA may carry a compressed name on the wire (RFC 3597 4): their RDLENGTH says nothing
    // about the uncompressed length.
    private static readonly HashSet<ResourceRecordType> s_compressible = new()
    {
        ResourceRecordType.NS, ResourceRecordType.CNAME, ResourceRecordType.SOA, ResourceRecordType.PTR,
        ResourceRecordType.MX, ResourceRecordType.MB, ResourceRecordType.MG, ResourceRecordType.MR,
        ResourceRecordType.MINFO, ResourceRecordType.SRV, ResourceRecordType.RP, ResourceRecordType.AFSDB,
    };

    public static ResourceRecord ToResourceRecord(DnsResourceRecord record)
    {
        var owner = ToName(record.DomainName, "owner");
        var rdata = BuildRdata(record);
        if (!s_compressible.Contains(record.RecordType) && rdata.Length != record.RawDataLength)
        {
            throw new DnsUnrepresentableRecordException(
                $"the {record.RecordType} record at {owner} has {record.RawDataLength} RDATA octets on the wire but {rdata.Length} after DnsClient parsed it");
        }
        return new ResourceRecord(owner, (DnsRecordType)(ushort)record.RecordType, (ushort)record.RecordClass, unchecked((uint)record.InitialTimeToLive), rdata);
    }

    private static byte[] BuildRdata(DnsResourceRecord record)
    {
        var w = new List<byte>(64);
        switch (record)
        {
            case AddressRecord a:
                w.AddRange(a.Address.GetAddressBytes());
                break;
            case NsRecord ns:
                PutName(w, ns.NSDName, "NS");
                break;
            case CNameRecord cname:
                PutName(w, cname.CanonicalName, "CNAME");
                break;
            case PtrRecord ptr:
                PutName(w, ptr.PtrDomainName, "PTR");
                break;
            case MxRecord mx:
                PutU16(w, mx.Preference);
                PutName(w, mx.Exchange, "MX exchange");
                break;
            case SoaRecord soa:
                PutName(w, soa.MName, "SOA MNAME");
                PutName(w, soa.RName, "SOA RNAME");
                PutU32(w, soa.Serial);
                PutU32(w, soa.Refresh);
                PutU32(w, soa.Retry);
                PutU32(w, soa.Expire);
                PutU32(w, soa.Minimum);
                break;
            case SrvRecord srv:
                PutU16(w, srv.Priority);
                PutU16(w, srv.Weight);
                PutU16(w, srv.Port);
                PutName(w, srv.Target, "SRV target");
                break;
            case TxtRecord txt:
                foreach (var s in txt.EscapedText) PutCharacterString(w, Unescape(s, "TXT"));
                break;
            case CaaRecord caa:
                w.Add(caa.Flags);
                var tag = Encoding.ASCII.GetBytes(caa.Tag);
                w.Add((byte)tag.Length);
                w.AddRange(tag);
                w.AddRange(Utf8Exact(caa.Value, "CAA value"));
                break;
            case DnsClient.Protocol.TlsaRecord tlsa:
                w.Add((byte)tlsa.CertificateUsage);
                w.Add((byte)tlsa.Selector);
                w.Add((byte)tlsa.MatchingType);
                w.AddRange(tlsa.CertificateAssociationData);
                break;
            case DnsClient.Protocol.DsRecord ds:
                PutU16(w, (ushort)ds.KeyTag);
                w.Add((byte)ds.Algorithm);
                w.Add(ds.DigestType);
                w.AddRange(ds.Digest);
                break;
            case DnsKeyRecord key:
                PutU16(w, (ushort)key.Flags);
                w.Add(key.Protocol);
                w.Add((byte)key.Algorithm);
                w.AddRange(key.PublicKey);
                break;
            case RRSigRecord sig:
                PutU16(w, (ushort)sig.CoveredType);
                w.Add((byte)sig.Algorithm);
                w.Add(sig.Labels);
                PutU32(w, unchecked((uint)sig.OriginalTtl));
                PutU32(w, unchecked((uint)sig.SignatureExpiration.ToUnixTimeSeconds()));
                PutU32(w, unchecked((uint)sig.SignatureInception.ToUnixTimeSeconds()));
                PutU16(w, (ushort)sig.KeyTag);
                PutName(w, sig.SignersName, "RRSIG signer name");
                w.AddRange(sig.Signature);
                break;
            case NSecRecord nsec:
                PutName(w, nsec.NextDomainName, "NSEC next domain name");
                w.AddRange(nsec.TypeBitMapsRaw);
                break;
            case NSec3Record nsec3:
                RdataCodec.PutNsec3Parameters(w, nsec3.HashAlgorithm, nsec3.Flags, (ushort)nsec3.Iterations, nsec3.Salt);
                w.Add((byte)nsec3.NextOwnersName.Length);
                w.AddRange(nsec3.NextOwnersName);
                w.AddRange(nsec3.TypeBitMapsRaw);
                break;
            case NSec3ParamRecord param:
                RdataCodec.PutNsec3Parameters(w, param.HashAlgorithm, param.Flags, (ushort)param.Iterations, param.Salt);
                break;
            case UnknownRecord unknown:
                w.AddRange(unknown.Data);
                break;
            case EmptyRecord:
                break;
            default:
                throw new DnsUnrepresentableRecordException(
                    $"the {record.RecordType} record at {record.DomainName} is of a type DaneTools does not rebuild");
        }
        return w.ToArray();
    }

    private static DnsName ToName(DnsString text, string what)
    {
        // Original is the name as received (A-labels kept); Value may be converted for display.
        var s = text.Original ?? text.Value;
        // DnsClient writes the root as "" or ".".
        if (string.IsNullOrEmpty(s) || s == ".") return DnsName.Root;
        if (!DnsName.TryParse(s, out var name) || name is null)
            throw new DnsUnrepresentableRecordException($"the {what} name '{s}' cannot be represented faithfully");
        if (text.NumberOfLabels is int labels && labels != name.LabelCount)
            throw new DnsUnrepresentableRecordException($"the {what} name '{s}' has {labels} labels on the wire but {name.LabelCount} as text (a label holds a dot)");
        return name;
    }

    private static void PutName(List<byte> w, DnsString text, string what) => w.AddRange(ToName(text, what).ToWire());

    private static void PutU16(List<byte> w, ushort v) => RdataCodec.PutU16(w, v);

    private static void PutU32(List<byte> w, uint v) => RdataCodec.PutU32(w, v);

    private static void PutCharacterString(List<byte> w, byte[] s)
    {
        if (s.Length > 255) throw new DnsUnrepresentableRecordException("a character-string is longer than 255 octets");
        w.Add((byte)s.Length);
        w.AddRange(s);
    }

    private static byte[] Utf8Exact(string value, string what)
    {
        if (value.IndexOf('\uFFFD') >= 0) throw new DnsUnrepresentableRecordException($"the {what} lost bytes that are not UTF-8");
        return Encoding.UTF8.GetBytes(value);
    }

    /// <summary>Undoes DnsClient's presentation escaping of a character-string (<c>\"</c>, <c>\\</c>, <c>\DDD</c>).</summary>
    private static byte[] Unescape(string text, string what)
    {
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                if (i + 3 < text.Length && char.IsDigit(text[i + 1]) && char.IsDigit(text[i + 2]) && char.IsDigit(text[i + 3]))
                {
                    int v = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (v > 255) throw new DnsUnrepresentableRecordException($"the {what} text has an escape above 255");
                    bytes.Add((byte)v);
                    i += 3;
                    continue;
                }
                bytes.Add((byte)text[++i]);
                continue;
            }
            if (c > 0x7E) return RejectNonAscii(what);
            bytes.Add((byte)c);
        }
        return bytes.ToArray();
    }

    private static byte[] RejectNonAscii(string what) =>
        throw new DnsUnrepresentableRecordException($"the {what} text holds characters DnsClient decoded from non-ASCII bytes");
}
