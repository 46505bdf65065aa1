using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DaneTools.Core.Dns;

/// <summary>
/// Converts RDATA between presentation tokens and uncompressed wire form, and builds the canonical RDATA of
/// RFC 4034 section 6.2 as corrected by RFC 6840 section 5.1.
/// </summary>
internal static class RdataCodec
{
    // RFC 4034 6.2 list minus NSEC and HINFO (RFC 6840 5.1): the types whose embedded names are lower-cased.
    private enum Field { Name, U8, U16, U32, CharString, Rest, RrsigFixed, A6 }

    private static readonly Dictionary<ushort, Field[]> s_nameLayouts = new()
    {
        [2] = new[] { Field.Name },                  // NS
        [3] = new[] { Field.Name },                  // MD
        [4] = new[] { Field.Name },                  // MF
        [5] = new[] { Field.Name },                  // CNAME
        [6] = new[] { Field.Name, Field.Name, Field.Rest }, // SOA
        [7] = new[] { Field.Name },                  // MB
        [8] = new[] { Field.Name },                  // MG
        [9] = new[] { Field.Name },                  // MR
        [12] = new[] { Field.Name },                 // PTR
        [14] = new[] { Field.Name, Field.Name },     // MINFO
        [15] = new[] { Field.U16, Field.Name },      // MX
        [17] = new[] { Field.Name, Field.Name },     // RP
        [18] = new[] { Field.U16, Field.Name },      // AFSDB
        [21] = new[] { Field.U16, Field.Name },      // RT
        [24] = new[] { Field.RrsigFixed, Field.Name, Field.Rest }, // SIG
        [26] = new[] { Field.U16, Field.Name, Field.Name }, // PX
        [30] = new[] { Field.Name, Field.Rest },     // NXT
        [33] = new[] { Field.U16, Field.U16, Field.U16, Field.Name }, // SRV
        [35] = new[] { Field.U16, Field.U16, Field.CharString, Field.CharString, Field.CharString, Field.Name }, // NAPTR
        [36] = new[] { Field.U16, Field.Name },      // KX
        [38] = new[] { Field.A6 },                   // A6
        [39] = new[] { Field.Name },                 // DNAME
        [46] = new[] { Field.RrsigFixed, Field.Name, Field.Rest }, // RRSIG
    };

    /// <summary>Returns the canonical RDATA: embedded names of the listed types lower-cased; other types unchanged.</summary>
    public static byte[] Canonicalize(DnsRecordType type, byte[] rdata)
    {
        if (!s_nameLayouts.TryGetValue((ushort)type, out var layout)) return rdata;
        try
        {
            var output = new List<byte>(rdata.Length);
            int p = 0;
            foreach (var f in layout)
            {
                switch (f)
                {
                    case Field.Name:
                        DnsName.ReadWire(rdata, ref p).WriteTo(output, lowerCase: true);
                        break;
                    case Field.U16:
                        Copy(rdata, ref p, 2, output);
                        break;
                    case Field.RrsigFixed:
                        Copy(rdata, ref p, 18, output);
                        break;
                    case Field.CharString:
                        if (p >= rdata.Length) throw new FormatException();
                        Copy(rdata, ref p, 1 + rdata[p], output);
                        break;
                    case Field.Rest:
                        Copy(rdata, ref p, rdata.Length - p, output);
                        break;
                    case Field.A6:
                        if (p >= rdata.Length) throw new FormatException();
                        int prefix = rdata[p];
                        if (prefix > 128) throw new FormatException();
                        Copy(rdata, ref p, 1 + ((128 - prefix + 7) / 8), output);
                        if (prefix > 0) DnsName.ReadWire(rdata, ref p).WriteTo(output, lowerCase: true);
                        break;
                }
            }
            if (p != rdata.Length) return rdata;
            return output.ToArray();
        }
        catch (FormatException)
        {
            return rdata; // malformed RDATA: leave it, its signature simply will not verify
        }
    }

    private static void Copy(byte[] src, ref int p, int n, List<byte> output)
    {
        if (n < 0 || p + n > src.Length) throw new FormatException();
        for (int i = 0; i < n; i++) output.Add(src[p + i]);
        p += n;
    }

    // ---------------------------------------------------------------- presentation -> wire

    /// <summary>Builds wire RDATA from presentation tokens.</summary>
    /// <exception cref="FormatException">The tokens are not valid RDATA for the type.</exception>
    public static byte[] FromPresentation(DnsRecordType type, IReadOnlyList<PresentationToken> tokens)
    {
        if (tokens.Count > 0 && !tokens[0].Quoted && tokens[0].Text == "\\#") return FromGeneric(tokens);
        var r = new Reader(tokens);
        var w = new List<byte>();
        switch (type)
        {
            case DnsRecordType.A:
                w.AddRange(ParseIPv4(r.Next("address")));
                break;
            case DnsRecordType.AAAA:
                w.AddRange(ParseIPv6(r.Next("address")));
                break;
            case DnsRecordType.NS:
            case DnsRecordType.CNAME:
            case DnsRecordType.DNAME:
            case DnsRecordType.PTR:
                r.Name().WriteTo(w, false);
                break;
            case DnsRecordType.MX:
                PutU16(w, r.U16("preference"));
                r.Name().WriteTo(w, false);
                break;
            case DnsRecordType.SOA:
                r.Name().WriteTo(w, false);
                r.Name().WriteTo(w, false);
                for (int i = 0; i < 5; i++) PutU32(w, r.U32("SOA number"));
                break;
            case DnsRecordType.TXT:
                if (r.AtEnd) throw new FormatException("TXT needs at least one character-string.");
                while (!r.AtEnd) PutCharString(w, r.NextToken("text").Text);
                break;
            case DnsRecordType.HINFO:
                PutCharString(w, r.NextToken("CPU").Text);
                PutCharString(w, r.NextToken("OS").Text);
                break;
            case DnsRecordType.SRV:
                PutU16(w, r.U16("priority"));
                PutU16(w, r.U16("weight"));
                PutU16(w, r.U16("port"));
                r.Name().WriteTo(w, false);
                break;
            case DnsRecordType.CAA:
            {
                w.Add(r.U8("flags"));
                var tag = r.Next("tag");
                if (tag.Length == 0 || tag.Length > 255 || !tag.All(char.IsLetterOrDigit)) throw new FormatException($"Invalid CAA tag '{tag}'.");
                w.Add((byte)tag.Length);
                w.AddRange(Encoding.ASCII.GetBytes(tag));
                var value = r.NextToken("value");
                var bytes = PresentationTokenizer.DecodeCharacterString(value.Text, int.MaxValue);
                w.AddRange(bytes);
                break;
            }
            case DnsRecordType.TLSA:
                w.Add(r.U8("usage"));
                w.Add(r.U8("selector"));
                w.Add(r.U8("matching type"));
                w.AddRange(r.HexRest("certificate association data"));
                break;
            case DnsRecordType.DS:
            case DnsRecordType.CDS:
                PutU16(w, r.U16("key tag"));
                w.Add(r.Algorithm());
                w.Add(r.U8("digest type"));
                w.AddRange(r.HexRest("digest"));
                break;
            case DnsRecordType.DNSKEY:
            case DnsRecordType.CDNSKEY:
                PutU16(w, r.U16("flags"));
                w.Add(r.U8("protocol"));
                w.Add(r.Algorithm());
                w.AddRange(r.Base64Rest("public key"));
                break;
            case DnsRecordType.RRSIG:
            {
                var covered = r.Next("type covered");
                if (!DnsRecordTypeText.TryParse(covered, out var ct)) throw new FormatException($"Unknown type covered '{covered}'.");
                PutU16(w, (ushort)ct);
                w.Add(r.Algorithm());
                w.Add(r.U8("labels"));
                PutU32(w, r.U32("original TTL"));
                PutU32(w, ParseSigTime(r.Next("signature expiration")));
                PutU32(w, ParseSigTime(r.Next("signature inception")));
                PutU16(w, r.U16("key tag"));
                r.Name().WriteTo(w, false);
                w.AddRange(r.Base64Rest("signature"));
                break;
            }
            case DnsRecordType.NSEC:
                r.Name().WriteTo(w, false);
                w.AddRange(TypeBitmap.Encode(r.TypesRest()));
                break;
            case DnsRecordType.NSEC3:
            {
                PutNsec3Parameters(w, r.U8("hash algorithm"), r.U8("flags"), r.U16("iterations"), ParseSalt(r.Next("salt")));
                var next = r.Next("next hashed owner name");
                if (!Base32Hex.TryDecode(next, out var hash) || hash!.Length == 0 || hash.Length > 255) throw new FormatException($"Invalid next hashed owner name '{next}'.");
                w.Add((byte)hash.Length);
                w.AddRange(hash);
                w.AddRange(TypeBitmap.Encode(r.TypesRest()));
                break;
            }
            case DnsRecordType.NSEC3PARAM:
            {
                PutNsec3Parameters(w, r.U8("hash algorithm"), r.U8("flags"), r.U16("iterations"), ParseSalt(r.Next("salt")));
                break;
            }
            default:
                throw new FormatException($"Type {DnsRecordTypeText.ToText(type)} needs the RFC 3597 form '\\# length hex'.");
        }
        if (!r.AtEnd) throw new FormatException($"Unexpected data '{r.Peek}' after the {DnsRecordTypeText.ToText(type)} RDATA.");
        return w.ToArray();
    }

    private static byte[] FromGeneric(IReadOnlyList<PresentationToken> tokens)
    {
        if (tokens.Count < 2 || !int.TryParse(tokens[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len > 65535)
            throw new FormatException("RFC 3597 RDATA needs '\\# <length> <hex>'.");
        var hex = string.Concat(tokens.Skip(2).Select(t => t.Text));
        if (!Hex.TryDecode(hex, out var data)) throw new FormatException("RFC 3597 RDATA is not hexadecimal.");
        if (data!.Length != len) throw new FormatException($"RFC 3597 length {len} does not match {data.Length} octets of data.");
        return data;
    }

    private static byte[] ParseIPv4(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4) throw new FormatException($"Invalid IPv4 address '{text}'.");
        var b = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            if (parts[i].Length == 0 || parts[i].Length > 3 || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out b[i]))
                throw new FormatException($"Invalid IPv4 address '{text}'.");
        }
        return b;
    }

    private static byte[] ParseIPv6(string text)
    {
        if (!text.Contains(":") || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || text.Contains("%"))
            throw new FormatException($"Invalid IPv6 address '{text}'.");
        return ip.GetAddressBytes();
    }

    private static byte[] ParseSalt(string text)
    {
        if (text == "-") return Array.Empty<byte>();
        if (!Hex.TryDecode(text, out var salt) || salt!.Length > 255) throw new FormatException($"Invalid salt '{text}'.");
        return salt;
    }

    /// <summary>Parses an RRSIG time: YYYYMMDDHHmmSS (UTC) or decimal seconds since 1970 (RFC 4034 section 3.2).</summary>
    internal static uint ParseSigTime(string text)
    {
        if (text.Length == 14 && text.All(char.IsDigit))
        {
            if (!DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
                throw new FormatException($"Invalid signature time '{text}'.");
            long seconds = (long)(dt - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
            return unchecked((uint)seconds); // serial number arithmetic: the value is taken modulo 2^32
        }
        if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) throw new FormatException($"Invalid signature time '{text}'.");
        return v;
    }

    internal static string FormatSigTime(uint value) =>
        new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(value).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static void PutCharString(List<byte> w, string raw)
    {
        var bytes = PresentationTokenizer.DecodeCharacterString(raw);
        w.Add((byte)bytes.Length);
        w.AddRange(bytes);
    }

    /// <summary>Writes the fields NSEC3 and NSEC3PARAM share (RFC 5155 3.2 and 4.2): hash algorithm, flags, iterations, salt.</summary>
    internal static void PutNsec3Parameters(List<byte> w, byte hashAlgorithm, byte flags, ushort iterations, byte[] salt)
    {
        w.Add(hashAlgorithm);
        w.Add(flags);
        PutU16(w, iterations);
        w.Add((byte)salt.Length);
        w.AddRange(salt);
    }

    internal static void PutU16(List<byte> w, ushort v)
    {
        w.Add((byte)(v >> 8));
        w.Add((byte)v);
    }

    internal static void PutU32(List<byte> w, uint v)
    {
        w.Add((byte)(v >> 24));
        w.Add((byte)(v >> 16));
        w.Add((byte)(v >> 8));
        w.Add((byte)v);
    }

    /// <summary>Reads one uncompressed name from RDATA at <paramref name="p"/>; false (never an exception) for a malformed one.</summary>
    internal static bool TryReadName(byte[] d, ref int p, out DnsName? name)
    {
        try
        {
            name = DnsName.ReadWire(d, ref p);
            return true;
        }
        catch (FormatException)
        {
            name = null;
            return false;
        }
    }

    internal static ushort GetU16(byte[] d, int p) => (ushort)((d[p] << 8) | d[p + 1]);

    internal static uint GetU32(byte[] d, int p) => ((uint)d[p] << 24) | ((uint)d[p + 1] << 16) | ((uint)d[p + 2] << 8) | d[p + 3];

    private sealed class Reader
    {
        private readonly IReadOnlyList<PresentationToken> _tokens;
        private int _i;

        public Reader(IReadOnlyList<PresentationToken> tokens) => _tokens = tokens;

        public bool AtEnd => _i >= _tokens.Count;

        public string Peek => AtEnd ? string.Empty : _tokens[_i].Text;

        public PresentationToken NextToken(string what)
        {
            if (AtEnd) throw new FormatException($"Missing {what}.");
            return _tokens[_i++];
        }

        public string Next(string what)
        {
            var t = NextToken(what);
            if (t.Quoted) throw new FormatException($"The {what} must not be quoted.");
            return t.Text;
        }

        public DnsName Name()
        {
            var text = Next("domain name");
            if (!DnsName.TryParse(text, out var name, out var error)) throw new FormatException($"Invalid domain name '{text}': {error}");
            return name!;
        }

        public byte U8(string what)
        {
            var t = Next(what);
            return byte.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"Invalid {what} '{t}'.");
        }

        public ushort U16(string what)
        {
            var t = Next(what);
            return ushort.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"Invalid {what} '{t}'.");
        }

        public uint U32(string what)
        {
            var t = Next(what);
            return uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"Invalid {what} '{t}'.");
        }

        public byte Algorithm()
        {
            var t = Next("algorithm");
            if (byte.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
            var mnemonic = AlgorithmMnemonics.FirstOrDefault(m => string.Equals(m.Value, t, StringComparison.OrdinalIgnoreCase));
            if (mnemonic.Value is null) throw new FormatException($"Invalid algorithm '{t}'.");
            return mnemonic.Key;
        }

        public byte[] HexRest(string what)
        {
            var sb = new StringBuilder();
            while (!AtEnd) sb.Append(Next(what));
            if (sb.Length == 0) throw new FormatException($"Missing {what}.");
            return Hex.TryDecode(sb.ToString(), out var d) ? d! : throw new FormatException($"The {what} is not hexadecimal.");
        }

        public byte[] Base64Rest(string what)
        {
            var sb = new StringBuilder();
            while (!AtEnd) sb.Append(Next(what));
            if (sb.Length == 0) throw new FormatException($"Missing {what}.");
            try
            {
                return Convert.FromBase64String(sb.ToString());
            }
            catch (FormatException)
            {
                throw new FormatException($"The {what} is not base64.");
            }
        }

        public List<DnsRecordType> TypesRest()
        {
            var list = new List<DnsRecordType>();
            while (!AtEnd)
            {
                var t = Next("type");
                if (!DnsRecordTypeText.TryParse(t, out var type)) throw new FormatException($"Unknown type '{t}' in type bit map.");
                list.Add(type);
            }
            return list;
        }
    }

    internal static readonly Dictionary<byte, string> AlgorithmMnemonics = new()
    {
        [1] = "RSAMD5", [3] = "DSA", [5] = "RSASHA1", [6] = "DSA-NSEC3-SHA1", [7] = "RSASHA1-NSEC3-SHA1",
        [8] = "RSASHA256", [10] = "RSASHA512", [12] = "ECC-GOST", [13] = "ECDSAP256SHA256", [14] = "ECDSAP384SHA384",
        [15] = "ED25519", [16] = "ED448", [253] = "PRIVATEDNS", [254] = "PRIVATEOID",
    };

    // ---------------------------------------------------------------- wire -> presentation

    /// <summary>Formats wire RDATA in presentation form; falls back to RFC 3597 <c>\# len hex</c>.</summary>
    public static string ToPresentation(DnsRecordType type, byte[] d)
    {
        try
        {
            var s = Format(type, d);
            if (s is not null) return s;
        }
        catch (FormatException)
        {
        }
        catch (IndexOutOfRangeException)
        {
        }
        catch (ArgumentException)
        {
        }
        return Generic(d);
    }

    internal static string Generic(byte[] d) =>
        d.Length == 0 ? "\\# 0" : "\\# " + d.Length.ToString(CultureInfo.InvariantCulture) + " " + Hex.Encode(d);

    private static string? Format(DnsRecordType type, byte[] d)
    {
        var ci = CultureInfo.InvariantCulture;
        int p = 0;
        switch (type)
        {
            case DnsRecordType.A:
                return d.Length == 4 ? string.Join(".", d.Select(b => b.ToString(ci))) : null;
            case DnsRecordType.AAAA:
                return d.Length == 16 ? new IPAddress(d).ToString() : null;
            case DnsRecordType.NS:
            case DnsRecordType.CNAME:
            case DnsRecordType.DNAME:
            case DnsRecordType.PTR:
            {
                var n = DnsName.ReadWire(d, ref p);
                return p == d.Length ? n.ToString() : null;
            }
            case DnsRecordType.MX:
            {
                if (d.Length < 3) return null;
                p = 2;
                var n = DnsName.ReadWire(d, ref p);
                return p == d.Length ? GetU16(d, 0).ToString(ci) + " " + n : null;
            }
            case DnsRecordType.SOA:
            {
                var m = DnsName.ReadWire(d, ref p);
                var r = DnsName.ReadWire(d, ref p);
                if (d.Length - p != 20) return null;
                var nums = Enumerable.Range(0, 5).Select(i => GetU32(d, p + (4 * i)).ToString(ci));
                return m + " " + r + " " + string.Join(" ", nums);
            }
            case DnsRecordType.TXT:
            case DnsRecordType.HINFO:
            {
                var parts = new List<string>();
                while (p < d.Length)
                {
                    int len = d[p];
                    if (p + 1 + len > d.Length) return null;
                    parts.Add(PresentationTokenizer.EncodeCharacterString(d, p + 1, len));
                    p += 1 + len;
                }
                if (parts.Count == 0 || (type == DnsRecordType.HINFO && parts.Count != 2)) return null;
                return string.Join(" ", parts);
            }
            case DnsRecordType.SRV:
            {
                if (d.Length < 7) return null;
                p = 6;
                var n = DnsName.ReadWire(d, ref p);
                return p == d.Length ? $"{GetU16(d, 0).ToString(ci)} {GetU16(d, 2).ToString(ci)} {GetU16(d, 4).ToString(ci)} {n}" : null;
            }
            case DnsRecordType.CAA:
            {
                if (d.Length < 2) return null;
                int tagLen = d[1];
                if (tagLen == 0 || 2 + tagLen > d.Length) return null;
                var tag = Encoding.ASCII.GetString(d, 2, tagLen);
                return d[0].ToString(ci) + " " + tag + " " + PresentationTokenizer.EncodeCharacterString(d, 2 + tagLen, d.Length - 2 - tagLen);
            }
            case DnsRecordType.TLSA:
                return d.Length < 4 ? null : $"{d[0].ToString(ci)} {d[1].ToString(ci)} {d[2].ToString(ci)} {Hex.Encode(d.Skip(3).ToArray())}";
            case DnsRecordType.DS:
            case DnsRecordType.CDS:
                return d.Length < 5 ? null : $"{GetU16(d, 0).ToString(ci)} {d[2].ToString(ci)} {d[3].ToString(ci)} {Hex.Encode(d.Skip(4).ToArray())}";
            case DnsRecordType.DNSKEY:
            case DnsRecordType.CDNSKEY:
                return d.Length < 5 ? null : $"{GetU16(d, 0).ToString(ci)} {d[2].ToString(ci)} {d[3].ToString(ci)} {Convert.ToBase64String(d, 4, d.Length - 4)}";
            case DnsRecordType.RRSIG:
            {
                if (d.Length < 19) return null;
                p = 18;
                var signer = DnsName.ReadWire(d, ref p);
                if (p >= d.Length) return null;
                return string.Join(" ",
                    DnsRecordTypeText.ToText((DnsRecordType)GetU16(d, 0)), d[2].ToString(ci), d[3].ToString(ci), GetU32(d, 4).ToString(ci),
                    FormatSigTime(GetU32(d, 8)), FormatSigTime(GetU32(d, 12)), GetU16(d, 16).ToString(ci), signer.ToString(),
                    Convert.ToBase64String(d, p, d.Length - p));
            }
            case DnsRecordType.NSEC:
            {
                var next = DnsName.ReadWire(d, ref p);
                var types = TypeBitmap.Decode(d, p);
                return string.Join(" ", new[] { next.ToString() }.Concat(types.Select(DnsRecordTypeText.ToText)));
            }
            case DnsRecordType.NSEC3:
            {
                if (d.Length < 5) return null;
                int saltLen = d[4];
                p = 5 + saltLen;
                if (p >= d.Length) return null;
                int hashLen = d[p];
                if (hashLen == 0 || p + 1 + hashLen > d.Length) return null;
                var salt = saltLen == 0 ? "-" : Hex.Encode(d.Skip(5).Take(saltLen).ToArray());
                var hash = Base32Hex.Encode(d.Skip(p + 1).Take(hashLen).ToArray());
                var types = TypeBitmap.Decode(d, p + 1 + hashLen);
                return string.Join(" ", new[] { d[0].ToString(ci), d[1].ToString(ci), GetU16(d, 2).ToString(ci), salt, hash }
                    .Concat(types.Select(DnsRecordTypeText.ToText)));
            }
            case DnsRecordType.NSEC3PARAM:
            {
                if (d.Length < 5 || d.Length != 5 + d[4]) return null;
                var salt = d[4] == 0 ? "-" : Hex.Encode(d.Skip(5).ToArray());
                return $"{d[0].ToString(ci)} {d[1].ToString(ci)} {GetU16(d, 2).ToString(ci)} {salt}";
            }
            default:
                return null;
        }
    }
}
