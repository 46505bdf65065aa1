using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>
/// Mutates one <see cref="DnsResponse"/> with the engine's own types (records are rebuilt with the
/// <see cref="ResourceRecord"/> constructor from edited wire RDATA; no wire parser of our own).
/// </summary>
/// <remarks>
/// Each operator edits a mutable copy of the response (rcode, answer, authority, additional) and returns a one-line
/// description naming the section, index, record and edit, so a failing case can be read and replayed. The
/// operators cover bit flips and byte edits in RDATA, truncation and extension of RDATA, record and section
/// shuffles, moving, duplicating and dropping records, rcode changes, owner edits (case, parent, child, wildcard,
/// 255-octet and 127-label names), RRSIG field edits (RFC 4034 section 3.1), NSEC next name and type bitmap edits
/// (section 4.1), NSEC3 field edits (RFC 5155 section 3.2, iterations up to 65535), KeyTrap floods of DNSKEYs sharing
/// one key tag (CVE-2023-50387), long and looping CNAME chains, and records spliced in from other genuine answers of
/// the same world (replays). Deterministic for a given <see cref="Random"/>.
/// </remarks>
internal sealed class ResponseMutator
{
    private static readonly DnsResponseCode[] s_rcodes =
    {
        DnsResponseCode.NoError, DnsResponseCode.NXDomain, DnsResponseCode.ServFail, DnsResponseCode.Refused,
        DnsResponseCode.FormErr, DnsResponseCode.NotImp, (DnsResponseCode)6, (DnsResponseCode)9, (DnsResponseCode)23,
    };

    private static readonly DnsRecordType[] s_types =
    {
        DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.NS, DnsRecordType.CNAME, DnsRecordType.SOA, DnsRecordType.MX,
        DnsRecordType.TXT, DnsRecordType.DS, DnsRecordType.RRSIG, DnsRecordType.NSEC, DnsRecordType.DNSKEY,
        DnsRecordType.NSEC3, DnsRecordType.TLSA, DnsRecordType.DNAME, (DnsRecordType)65000,
    };

    private static readonly byte[] s_algorithms = { 0, 1, 3, 5, 7, 8, 10, 13, 14, 15, 16, 17, 252, 253, 254, 255 };

    private readonly Random _rng;
    private readonly IReadOnlyList<ResourceRecord> _pool;
    private readonly IReadOnlyList<DnsResponse> _responses;

    /// <summary>Creates a mutator.</summary>
    /// <param name="rng">The random source (seeded by the caller).</param>
    /// <param name="pool">Genuine records of the same world, for splices (may be empty).</param>
    /// <param name="responses">Genuine responses of the same world, for whole-response replays (may be empty).</param>
    public ResponseMutator(Random rng, IReadOnlyList<ResourceRecord> pool, IReadOnlyList<DnsResponse> responses)
    {
        _rng = rng;
        _pool = pool;
        _responses = responses;
    }

    /// <summary>The operator names, in the order <see cref="Apply"/> picks them by index.</summary>
    public static readonly string[] Operators =
    {
        "BitFlip", "ByteSet", "Truncate", "Extend", "Shuffle", "SwapSections", "Move", "Duplicate", "Drop", "DropType",
        "Rcode", "Ttl", "Owner", "RrsigField", "RrsigField", "NsecEdit", "Nsec3Edit", "KeyTrap", "CnameChain", "Splice",
        "SpliceRrset", "Class", "Type", "Flood", "Replay", "ReOwn", "ReOwn",
    };

    /// <summary>Applies <paramref name="count"/> random operators to a response.</summary>
    /// <param name="response">The genuine response.</param>
    /// <param name="qname">The question's name (for CNAME chains).</param>
    /// <param name="count">How many operators to stack.</param>
    /// <returns>The mutated response and the description of every edit, joined by <c>; </c>.</returns>
    public (DnsResponse Response, string Description) Apply(DnsResponse response, DnsName qname, int count)
    {
        var m = new MutableResponse(response);
        var done = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var op = Operators[_rng.Next(Operators.Length)];
            done.Add(ApplyOne(m, op, qname));
        }
        return (m.ToResponse(response.Server), string.Join("; ", done));
    }

    /// <summary>Applies one named operator (for tests that need a given edit).</summary>
    /// <param name="m">The response being edited.</param>
    /// <param name="op">One of <see cref="Operators"/>.</param>
    /// <param name="qname">The question's name.</param>
    /// <returns>The description of the edit.</returns>
    public string ApplyOne(MutableResponse m, string op, DnsName qname)
    {
        try
        {
            return op switch
            {
                "BitFlip" => EditRdata(m, (rd, r) =>
                {
                    if (rd.Length == 0) return null;
                    int bit = _rng.Next(rd.Length * 8);
                    rd[bit / 8] ^= (byte)(1 << (bit % 8));
                    return $"bit {bit}";
                }),
                "ByteSet" => EditRdata(m, (rd, r) =>
                {
                    if (rd.Length == 0) return null;
                    int at = _rng.Next(rd.Length);
                    byte v = Pick(new byte[] { 0, 0xFF, 0x3F, 0x40, 0xC0, 0x80, (byte)_rng.Next(256) });
                    rd[at] = v;
                    return $"byte {at}={v}";
                }),
                "Truncate" => EditRdataLength(m, truncate: true),
                "Extend" => EditRdataLength(m, truncate: false),
                "Shuffle" => Shuffle(m),
                "SwapSections" => SwapSections(m),
                "Move" => MoveRecord(m),
                "Duplicate" => Duplicate(m),
                "Drop" => Drop(m),
                "DropType" => DropType(m),
                "Rcode" => Rcode(m),
                "Ttl" => EditRecord(m, r => (r.WithTtl(Pick(new uint[] { 0, 1, r.Ttl + 1, r.Ttl / 2, uint.MaxValue, 0x80000000u })), "ttl")),
                "Owner" => EditRecord(m, EditOwner),
                "RrsigField" => EditRrsig(m),
                "NsecEdit" => EditNsec(m),
                "Nsec3Edit" => EditNsec3(m),
                "KeyTrap" => KeyTrap(m),
                "CnameChain" => CnameChain(m, qname),
                "Splice" => Splice(m),
                "SpliceRrset" => SpliceRrset(m),
                "Class" => EditRecord(m, r => (new ResourceRecord(r.Owner, r.Type, Pick(new ushort[] { 0, 3, 254, 255, 2 }), r.Ttl, r.GetRdata()), "class")),
                "Type" => EditRecord(m, r => (new ResourceRecord(r.Owner, Pick(s_types), r.Class, r.Ttl, r.GetRdata()), "type")),
                "Flood" => Flood(m),
                "Replay" => Replay(m),
                "ReOwn" => ReOwn(m, qname),
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // An edit that the engine's own types refuse (e.g. a name over 255 octets) is not a response a
            // server could send through DnsResponse; it is skipped and said so.
            return $"{op}: refused by the engine's types ({ex.GetType().Name})";
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private (int Section, int Index)? PickRecord(MutableResponse m, Func<ResourceRecord, bool>? filter = null)
    {
        var all = new List<(int, int)>();
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < m.Sections[s].Count; i++)
            {
                if (filter is null || filter(m.Sections[s][i])) all.Add((s, i));
            }
        }
        return all.Count == 0 ? null : all[_rng.Next(all.Count)];
    }

    private static string Describe(int s, int i, ResourceRecord r) =>
        $"{MutableResponse.SectionNames[s]}[{i}] {r.Owner} {DnsRecordTypeText.ToText(r.Type)}";

    private string EditRecord(MutableResponse m, Func<ResourceRecord, (ResourceRecord, string)> edit, Func<ResourceRecord, bool>? filter = null)
    {
        var at = PickRecord(m, filter);
        if (at is null) return "no record to edit";
        var (s, i) = at.Value;
        var old = m.Sections[s][i];
        var (next, what) = edit(old);
        m.Sections[s][i] = next;
        return $"{Describe(s, i, old)}: {what}";
    }

    private string EditRdata(MutableResponse m, Func<byte[], ResourceRecord, string?> edit, Func<ResourceRecord, bool>? filter = null) =>
        EditRecord(m, r =>
        {
            var rd = r.GetRdata();
            var what = edit(rd, r) ?? "empty rdata left alone";
            return (new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rd), what);
        }, filter);

    private string EditRdataLength(MutableResponse m, bool truncate) =>
        EditRecord(m, r =>
        {
            var rd = r.GetRdata();
            if (truncate)
            {
                int len = rd.Length == 0 ? 0 : _rng.Next(rd.Length);
                return (new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rd.Take(len).ToArray()), $"rdata truncated {rd.Length}->{len}");
            }
            var extra = new byte[1 + _rng.Next(16)];
            _rng.NextBytes(extra);
            return (new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rd.Concat(extra).ToArray()), $"rdata extended by {extra.Length}");
        });

    private string Shuffle(MutableResponse m)
    {
        int s = _rng.Next(3);
        var list = m.Sections[s];
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return $"{MutableResponse.SectionNames[s]} shuffled";
    }

    private string SwapSections(MutableResponse m)
    {
        int a = _rng.Next(3), b = (a + 1 + _rng.Next(2)) % 3;
        (m.Sections[a], m.Sections[b]) = (m.Sections[b], m.Sections[a]);
        return $"sections {MutableResponse.SectionNames[a]} and {MutableResponse.SectionNames[b]} swapped";
    }

    private string MoveRecord(MutableResponse m)
    {
        var at = PickRecord(m);
        if (at is null) return "no record to move";
        var (s, i) = at.Value;
        var r = m.Sections[s][i];
        m.Sections[s].RemoveAt(i);
        int to = (s + 1 + _rng.Next(2)) % 3;
        m.Sections[to].Insert(_rng.Next(m.Sections[to].Count + 1), r);
        return $"{Describe(s, i, r)} moved to {MutableResponse.SectionNames[to]}";
    }

    private string Duplicate(MutableResponse m)
    {
        var at = PickRecord(m);
        if (at is null) return "no record to duplicate";
        var (s, i) = at.Value;
        var r = m.Sections[s][i];
        int to = _rng.Next(2) == 0 ? s : _rng.Next(3);
        int copies = _rng.Next(4) == 0 ? 1 + _rng.Next(40) : 1;
        for (int c = 0; c < copies; c++) m.Sections[to].Insert(_rng.Next(m.Sections[to].Count + 1), _rng.Next(2) == 0 ? r : r.WithTtl((uint)_rng.Next()));
        return $"{Describe(s, i, r)} duplicated x{copies} into {MutableResponse.SectionNames[to]}";
    }

    private string Drop(MutableResponse m)
    {
        var at = PickRecord(m);
        if (at is null) return "no record to drop";
        var (s, i) = at.Value;
        var r = m.Sections[s][i];
        m.Sections[s].RemoveAt(i);
        return $"{Describe(s, i, r)} dropped";
    }

    private string DropType(MutableResponse m)
    {
        var at = PickRecord(m);
        if (at is null) return "no record to drop";
        var type = m.Sections[at.Value.Section][at.Value.Index].Type;
        int n = 0;
        foreach (var list in m.Sections) n += list.RemoveAll(r => r.Type == type);
        return $"all {n} {DnsRecordTypeText.ToText(type)} dropped";
    }

    private string Rcode(MutableResponse m)
    {
        var old = m.Rcode;
        m.Rcode = Pick(s_rcodes);
        return $"rcode {old}->{m.Rcode}";
    }

    private (ResourceRecord, string) EditOwner(ResourceRecord r)
    {
        var o = r.Owner;
        switch (_rng.Next(7))
        {
            case 0:
                return (r.WithOwner(DnsName.Parse(FlipCase(o.ToString()))), "owner case flipped");
            case 1:
                return o.IsRoot ? (r, "root owner kept") : (r.WithOwner(o.Parent), "owner to parent");
            case 2:
                return (r.WithOwner(o.Prepend(Pick(new[] { "x", "*", "_25", "a-b" }))), "owner to a child");
            case 3:
                return (r.WithOwner(o.IsRoot ? o.Prepend("*") : o.Parent.Prepend("*")), "owner to wildcard");
            case 4:
                return (r.WithOwner(Longest(o, 63)), "owner to a 255-octet name");
            case 5:
                return (r.WithOwner(Longest(o, 1)), "owner to a name of single-octet labels (up to 127)");
            default:
                var other = _pool.Count == 0 ? o : Pick(_pool).Owner;
                return (r.WithOwner(other), $"owner to {other}");
        }
    }

    // Prepends labels of at most maxLabel octets until the name is as long as RFC 1035 allows (255 octets).
    private static DnsName Longest(DnsName name, int maxLabel)
    {
        var n = name;
        while (true)
        {
            int room = DnsName.MaxWireLength - n.WireLength - 1;
            if (room < 1) return n;
            n = n.Prepend(new string('l', Math.Min(maxLabel, room)));
        }
    }

    private string FlipCase(string s) =>
        new(s.Select(c => char.IsLetter(c) && _rng.Next(2) == 0 ? (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c).ToArray());

    // RRSIG RDATA (RFC 4034 section 3.1): type covered 0-1, algorithm 2, labels 3, original TTL 4-7,
    // expiration 8-11, inception 12-15, key tag 16-17, signer name from 18, then the signature.
    private string EditRrsig(MutableResponse m) =>
        EditRecord(m, r =>
        {
            var rd = r.GetRdata();
            if (rd.Length < 19) return (r, "short RRSIG left alone");
            int p = 18;
            DnsName signer;
            try { signer = DnsName.ReadWire(rd, ref p); }
            catch (FormatException) { return (r, "malformed RRSIG left alone"); }
            var head = rd.Take(18).ToArray();
            var sig = rd.Skip(p).ToArray();
            string what;
            switch (_rng.Next(9))
            {
                case 0:
                    head[3] = Pick(new byte[] { 0, 1, (byte)(head[3] - 1), (byte)(head[3] + 1), 127, 255 });
                    what = $"labels={head[3]}";
                    break;
                case 1:
                    Put32(head, 4, Pick(new uint[] { 0, 1, Get32(head, 4) + 1, Get32(head, 4) / 2, uint.MaxValue }));
                    what = $"original TTL={Get32(head, 4)}";
                    break;
                case 2:
                    Put32(head, 8, Pick(new uint[] { 0, Get32(head, 12), Get32(head, 8) + 86400u * 3650, Get32(head, 8) ^ 0x80000000u, uint.MaxValue, Get32(head, 8) - 1 }));
                    what = $"expiration={Get32(head, 8)}";
                    break;
                case 3:
                    Put32(head, 12, Pick(new uint[] { 0, Get32(head, 8), Get32(head, 12) - 86400u * 3650, Get32(head, 12) ^ 0x80000000u, uint.MaxValue, Get32(head, 12) + 1 }));
                    what = $"inception={Get32(head, 12)}";
                    break;
                case 4:
                    uint e = Get32(head, 8), i = Get32(head, 12);
                    Put32(head, 8, i);
                    Put32(head, 12, e);
                    what = "inception and expiration swapped";
                    break;
                case 5:
                    ushort tag = (ushort)((head[16] << 8) | head[17]);
                    tag = Pick(new ushort[] { (ushort)(tag + 1), (ushort)(tag - 1), 0, 0xFFFF, (ushort)_rng.Next(65536) });
                    head[16] = (byte)(tag >> 8);
                    head[17] = (byte)tag;
                    what = $"key tag={tag}";
                    break;
                case 6:
                    head[2] = Pick(s_algorithms);
                    what = $"algorithm={head[2]}";
                    break;
                case 7:
                    signer = Pick(new[] { DnsName.Root, signer.IsRoot ? signer.Prepend("x") : signer.Parent, signer.Prepend("sub"), r.Owner, _pool.Count == 0 ? signer : Pick(_pool).Owner });
                    what = $"signer={signer}";
                    break;
                default:
                    var t = Pick(s_types);
                    head[0] = (byte)((ushort)t >> 8);
                    head[1] = (byte)t;
                    what = $"type covered={DnsRecordTypeText.ToText(t)}";
                    break;
            }
            var rdata = head.Concat(signer.ToWire()).Concat(sig).ToArray();
            return (new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rdata), what);
        }, r => r.Type == DnsRecordType.RRSIG);

    // NSEC RDATA (RFC 4034 section 4.1): next domain name, then the type bitmap windows.
    private string EditNsec(MutableResponse m) =>
        EditRecord(m, r =>
        {
            var rd = r.GetRdata();
            int p = 0;
            DnsName next;
            try { next = DnsName.ReadWire(rd, ref p); }
            catch (FormatException) { return (r, "malformed NSEC left alone"); }
            var bitmap = rd.Skip(p).ToArray();
            string what;
            switch (_rng.Next(6))
            {
                case 0:
                    next = Pick(new[] { r.Owner, DnsName.Root, r.Owner.Prepend("\\000"), next.Prepend("zzz"), Longest(r.Owner, 63), _pool.Count == 0 ? next : Pick(_pool).Owner,
                        r.Owner.IsRoot ? r.Owner : r.Owner.Parent });
                    what = $"next={next}";
                    break;
                case 1:
                    bitmap = EditBitmap(bitmap, out what);
                    break;
                case 2:
                    bitmap = Array.Empty<byte>();
                    what = "bitmap emptied";
                    break;
                case 3:
                    bitmap = TypeBitmap.Encode(Enumerable.Range(0, 1 + _rng.Next(200)).Select(_ => (DnsRecordType)_rng.Next(65536)));
                    what = "bitmap replaced with random types";
                    break;
                case 4:
                    bitmap = bitmap.Concat(new byte[] { (byte)_rng.Next(256), 32 }).Concat(Enumerable.Repeat((byte)0xFF, 32)).ToArray();
                    what = "bitmap window of 256 types appended";
                    break;
                default:
                    next = FlipCaseName(next);
                    what = $"next name case={next}";
                    break;
            }
            return (new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, next.ToWire().Concat(bitmap).ToArray()), what);
        }, r => r.Type == DnsRecordType.NSEC);

    private DnsName FlipCaseName(DnsName n) => DnsName.Parse(FlipCase(n.ToString()));

    private byte[] EditBitmap(byte[] bitmap, out string what)
    {
        var types = TypeBitmap.Decode(bitmap, 0).ToList();
        var t = Pick(new[] { DnsRecordType.A, DnsRecordType.TLSA, DnsRecordType.CNAME, DnsRecordType.DS, DnsRecordType.NS, DnsRecordType.SOA, DnsRecordType.DNAME, DnsRecordType.MX, DnsRecordType.TXT, DnsRecordType.AAAA });
        if (types.Contains(t))
        {
            types.Remove(t);
            what = $"bitmap -{DnsRecordTypeText.ToText(t)}";
        }
        else
        {
            types.Add(t);
            what = $"bitmap +{DnsRecordTypeText.ToText(t)}";
        }
        return TypeBitmap.Encode(types);
    }

    // NSEC3 RDATA (RFC 5155 section 3.2): hash algorithm 0, flags 1, iterations 2-3, salt length 4, salt,
    // hash length, next hashed owner, type bitmap.
    private string EditNsec3(MutableResponse m) =>
        EditRecord(m, r =>
        {
            var rd = r.GetRdata();
            if (rd.Length < 5 || rd.Length < 5 + rd[4] + 1 || rd.Length < 5 + rd[4] + 1 + rd[5 + rd[4]]) return (r, "malformed NSEC3 left alone");
            byte alg = rd[0], flags = rd[1];
            ushort iterations = (ushort)((rd[2] << 8) | rd[3]);
            var salt = rd.Skip(5).Take(rd[4]).ToArray();
            int hp = 5 + rd[4];
            var hash = rd.Skip(hp + 1).Take(rd[hp]).ToArray();
            var bitmap = rd.Skip(hp + 1 + rd[hp]).ToArray();
            string what;
            switch (_rng.Next(7))
            {
                case 0:
                    iterations = Pick(new ushort[] { 65535, 151, 150, 2500, 0, (ushort)(iterations + 1) });
                    what = $"iterations={iterations}";
                    break;
                case 1:
                    salt = Enumerable.Range(0, _rng.Next(256)).Select(_ => (byte)_rng.Next(256)).ToArray();
                    what = $"salt of {salt.Length} octets";
                    break;
                case 2:
                    alg = Pick(new byte[] { 0, 2, 255 });
                    what = $"hash algorithm={alg}";
                    break;
                case 3:
                    flags ^= (byte)(_rng.Next(2) == 0 ? 1 : 1 << _rng.Next(8));
                    what = $"flags={flags}";
                    break;
                case 4:
                    if (hash.Length > 0) hash[_rng.Next(hash.Length)] ^= (byte)(1 << _rng.Next(8));
                    if (_rng.Next(3) == 0) hash = hash.Take(_rng.Next(hash.Length + 1)).ToArray();
                    what = $"next hash edited ({hash.Length} octets)";
                    break;
                case 5:
                    bitmap = EditBitmap(bitmap, out what);
                    break;
                default:
                    // The next hash pointing at the owner's own hash: an NSEC3 that claims to cover everything.
                    var own = r.Owner.LabelCount > 0 ? Base32Hex.Decode(System.Text.Encoding.ASCII.GetString(r.Owner.GetLabel(0))) : null;
                    if (own is not null) hash = own;
                    what = "next hash = own hash";
                    break;
            }
            var rdata = new List<byte> { alg, flags, (byte)(iterations >> 8), (byte)iterations, (byte)salt.Length };
            rdata.AddRange(salt);
            rdata.Add((byte)hash.Length);
            rdata.AddRange(hash);
            rdata.AddRange(bitmap);
            return (new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rdata.ToArray()), what);
        }, r => r.Type == DnsRecordType.NSEC3);

    // KeyTrap (CVE-2023-50387): many DNSKEYs that share a key tag, and many RRSIGs naming it. Swapping two key
    // octets two positions apart keeps the RFC 4034 Appendix B checksum.
    private string KeyTrap(MutableResponse m)
    {
        var at = PickRecord(m, r => r.Type == DnsRecordType.DNSKEY && r.Rdata.Count > 12);
        if (at is null) return "no DNSKEY for KeyTrap";
        var (s, i) = at.Value;
        var key = m.Sections[s][i];
        var rd = key.GetRdata();
        int wanted = 8 + _rng.Next(120), made = 0;
        for (int a = 4; a + 2 < rd.Length && made < wanted; a++)
        {
            if (rd[a] == rd[a + 2]) continue;
            var copy = (byte[])rd.Clone();
            (copy[a], copy[a + 2]) = (copy[a + 2], copy[a]);
            m.Sections[s].Insert(_rng.Next(m.Sections[s].Count + 1), new ResourceRecord(key.Owner, DnsRecordType.DNSKEY, key.Class, key.Ttl, copy));
            made++;
        }
        // And as many RRSIGs per existing RRSIG, each with another signature, so every (key, signature) pair is a try.
        var sigs = m.Sections[s].Where(r => r.Type == DnsRecordType.RRSIG).ToList();
        int sigCopies = 0;
        foreach (var sig in sigs.Take(2))
        {
            for (int c = 0; c < wanted / 2; c++)
            {
                var srd = sig.GetRdata();
                srd[srd.Length - 1 - _rng.Next(Math.Min(8, srd.Length))] ^= (byte)(1 + _rng.Next(255));
                m.Sections[s].Add(new ResourceRecord(sig.Owner, sig.Type, sig.Class, sig.Ttl, srd));
                sigCopies++;
            }
        }
        return $"{Describe(s, i, key)}: KeyTrap +{made} colliding DNSKEYs, +{sigCopies} RRSIGs";
    }

    private string CnameChain(MutableResponse m, DnsName qname)
    {
        int links = 10 + _rng.Next(60);
        bool loop = _rng.Next(4) == 0;
        var sig = m.Sections[0].FirstOrDefault(r => r.Type == DnsRecordType.RRSIG);
        var owner = qname;
        for (int i = 0; i < links; i++)
        {
            var target = loop && i == links - 1 ? qname : qname.Prepend("c" + i);
            m.Sections[0].Add(new ResourceRecord(owner, DnsRecordType.CNAME, ResourceRecord.ClassInternet, 300, target.ToWire()));
            // A genuine RRSIG re-owned onto the link: signed data that no longer matches.
            if (sig is not null && _rng.Next(2) == 0) m.Sections[0].Add(sig.WithOwner(owner));
            owner = target;
        }
        return $"CNAME chain of {links} links from {qname}" + (loop ? " looping back" : string.Empty);
    }

    private string Splice(MutableResponse m)
    {
        if (_pool.Count == 0) return "no pool to splice from";
        var r = Pick(_pool);
        int to = _rng.Next(3);
        m.Sections[to].Insert(_rng.Next(m.Sections[to].Count + 1), r);
        return $"genuine {r.Owner} {DnsRecordTypeText.ToText(r.Type)} spliced into {MutableResponse.SectionNames[to]}";
    }

    private string SpliceRrset(MutableResponse m)
    {
        if (_pool.Count == 0) return "no pool to splice from";
        var r = Pick(_pool);
        // The whole genuine RRset with its RRSIGs, possibly replacing what the section held.
        var rrset = _pool.Where(x => x.Owner.Equals(r.Owner) && (x.Type == r.Type || (x.Type == DnsRecordType.RRSIG && RrsigCovers(x, r.Type)))).Distinct().ToList();
        int to = _rng.Next(2);
        if (_rng.Next(2) == 0) m.Sections[to].Clear();
        m.Sections[to].AddRange(rrset);
        return $"genuine RRset {r.Owner} {DnsRecordTypeText.ToText(r.Type)} ({rrset.Count} records) spliced into {MutableResponse.SectionNames[to]}";
    }

    // A genuine RRset with its RRSIGs moved onto the question's name (or another name) as a denial: a signature
    // over a wildcard (Labels below the owner's count) still verifies there, RFC 4035 section 5.3.4.
    private string ReOwn(MutableResponse m, DnsName qname)
    {
        if (_pool.Count == 0) return "no pool to re-own from";
        // Denial records (NSEC, NSEC3) three times in four: they are what a forged "no such record" is built from.
        var denial = _pool.Where(x => x.Type is DnsRecordType.NSEC or DnsRecordType.NSEC3).ToList();
        var r = denial.Count > 0 && _rng.Next(4) > 0 ? Pick(denial) : Pick(_pool.Where(x => x.Type != DnsRecordType.RRSIG).DefaultIfEmpty(_pool[0]).ToList());
        var rrset = _pool.Where(x => x.Owner.Equals(r.Owner) && (x.Type == r.Type || (x.Type == DnsRecordType.RRSIG && RrsigCovers(x, r.Type)))).Distinct().ToList();
        // Onto the question's name, kept where it is (a plain replay as a denial), or onto another genuine owner.
        var owner = _rng.Next(4) switch { 0 => r.Owner, 1 => Pick(_pool).Owner, _ => qname };
        m.Sections[0].Clear();
        bool alone = _rng.Next(2) == 0;
        if (alone) m.Sections[1].Clear();
        m.Sections[1].AddRange(rrset.Select(x => x.WithOwner(owner)));
        m.Rcode = _rng.Next(2) == 0 ? DnsResponseCode.NoError : DnsResponseCode.NXDomain;
        return $"genuine RRset {r.Owner} {DnsRecordTypeText.ToText(r.Type)} ({rrset.Count} records) re-owned to {owner} in authority, answer{(alone ? " and authority" : string.Empty)} cleared, rcode {m.Rcode}";
    }

    private static bool RrsigCovers(ResourceRecord sig, DnsRecordType type) =>
        sig.Rdata.Count >= 2 && (DnsRecordType)((sig.Rdata[0] << 8) | sig.Rdata[1]) == type;

    private string Flood(MutableResponse m)
    {
        int n = 200 + _rng.Next(1800);
        int to = _rng.Next(3);
        var basis = PickRecord(m);
        if (basis is null) return "nothing to flood with";
        var r = m.Sections[basis.Value.Section][basis.Value.Index];
        for (int i = 0; i < n; i++)
        {
            var rd = r.GetRdata();
            if (rd.Length > 0) rd[_rng.Next(rd.Length)] ^= (byte)(1 + _rng.Next(255));
            m.Sections[to].Add(new ResourceRecord(r.Owner, r.Type, r.Class, r.Ttl, rd));
        }
        return $"{n} variants of {r.Owner} {DnsRecordTypeText.ToText(r.Type)} flooded into {MutableResponse.SectionNames[to]}";
    }

    private string Replay(MutableResponse m)
    {
        if (_responses.Count == 0) return "no response to replay";
        var other = Pick(_responses);
        m.Rcode = other.Rcode;
        m.Sections[0] = other.Answer.ToList();
        m.Sections[1] = other.Authority.ToList();
        m.Sections[2] = other.Additional.ToList();
        return $"replaced by a genuine response to another question ({other})";
    }

    private static uint Get32(byte[] b, int at) => (uint)((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);

    private static void Put32(byte[] b, int at, uint v)
    {
        b[at] = (byte)(v >> 24);
        b[at + 1] = (byte)(v >> 16);
        b[at + 2] = (byte)(v >> 8);
        b[at + 3] = (byte)v;
    }
}

/// <summary>A response being edited: the rcode and the answer, authority and additional sections.</summary>
internal sealed class MutableResponse
{
    /// <summary>The section names by index.</summary>
    public static readonly string[] SectionNames = { "answer", "authority", "additional" };

    /// <summary>Copies a response.</summary>
    /// <param name="response">The response to copy.</param>
    public MutableResponse(DnsResponse response)
    {
        Rcode = response.Rcode;
        Sections = new[] { response.Answer.ToList(), response.Authority.ToList(), response.Additional.ToList() };
    }

    /// <summary>Gets or sets the response code.</summary>
    public DnsResponseCode Rcode { get; set; }

    /// <summary>Gets the sections: 0 answer, 1 authority, 2 additional.</summary>
    public List<ResourceRecord>[] Sections { get; }

    /// <summary>Builds the response.</summary>
    /// <param name="server">The server to name.</param>
    /// <returns>The response.</returns>
    public DnsResponse ToResponse(string server) => new(Rcode, Sections[0], Sections[1], Sections[2], server);
}
