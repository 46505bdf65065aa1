using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dnssec;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>
/// The worlds the fuzzer mutates: every recorded fixture case (TestData/Dnssec, dig against NSD), the RFC 5155
/// Appendix B zone, and signed in-memory hierarchies (<see cref="TestHierarchy"/>) for what the fixtures lack:
/// a CNAME chain, a DNAME, NSEC NXDOMAIN, NSEC3 NODATA, a name of many labels and a KeyTrap key set.
/// </summary>
internal static class FuzzWorlds
{
    // Derived keys: the in-memory worlds have the same keys and key tags in every process, so a case replays.
    private const int KeySeed = 4034;

    /// <summary>Builds and prepares (baseline-validates) every world.</summary>
    public static IReadOnlyList<FuzzWorld> All() => Fixtures().Concat(Rfc5155()).Concat(InMemory()).Select(w => w.Prepare()).ToList();

    /// <summary>Builds and prepares the worlds of <see cref="OpenClasses"/>.</summary>
    public static IReadOnlyList<FuzzWorld> Open() => OpenClasses().Select(w => w.Prepare()).ToList();

    public static IEnumerable<FuzzWorld> Fixtures()
    {
        foreach (var folder in FixtureCase.Folders())
        {
            var c = FixtureCase.Load(folder);
            var now = c.ValidationTime.UtcDateTime;
            yield return new FuzzWorld("fixture/" + folder, c.Name, c.Type, now, c.CreateSource, () =>
            {
                var anchors = new TrustAnchorStore();
                foreach (var line in c.TrustAnchors) anchors.Add(line);
                return new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = now };
            });
        }
    }

    public static IEnumerable<FuzzWorld> Rfc5155()
    {
        var source = Rfc5155Zone.Source();
        var anchor = Rfc5155Zone.KskAnchor;
        var now = Rfc5155Zone.ValidationTime;
        DnssecValidatorOptions Options()
        {
            var anchors = new TrustAnchorStore();
            anchors.Add(anchor);
            return new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = now };
        }
        foreach (var (name, type) in new[]
        {
            ("a.c.x.w.example.", DnsRecordType.A), ("ns1.example.", DnsRecordType.MX), ("y.w.example.", DnsRecordType.A),
            ("a.z.w.example.", DnsRecordType.MX), ("a.z.w.example.", DnsRecordType.AAAA), ("mc.c.example.", DnsRecordType.MX),
        })
        {
            yield return new FuzzWorld($"rfc5155/{name}{DnsRecordTypeText.ToText(type)}", DnsName.Parse(name), type, now, () => source, Options);
        }
    }

    public static IEnumerable<FuzzWorld> InMemory()
    {
        // The hierarchies' private keys are only needed to sign; the sources keep the signed records.
        yield return Hierarchy("mem/positive-a", "www.example.test.", DnsRecordType.A, h =>
            h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1", "www.example.test. 300 IN A 192.0.2.2")));

        yield return Hierarchy("mem/nxdomain-nsec", "nx.example.test.", DnsRecordType.A, h =>
            h.Source.Add("nx.example.test.", DnsRecordType.A, null,
                h.Zone.Signed("example.test. 300 IN SOA ns.example.test. h.example.test. 1 2 3 4 300",
                    "example.test. 300 IN NSEC www.example.test. SOA NS DNSKEY RRSIG NSEC"), DnsResponseCode.NXDomain));

        yield return Hierarchy("mem/nodata-nsec3", "www.example.test.", DnsRecordType.TXT, h =>
        {
            var hash = Nsec3Hash.ComputeBase32Hex(DnsName.Parse("www.example.test."), Array.Empty<byte>(), 0);
            var next = Nsec3Hash.ComputeBase32Hex(DnsName.Parse("example.test."), Array.Empty<byte>(), 0);
            h.Source.Add("www.example.test.", DnsRecordType.TXT, null,
                h.Zone.Signed("example.test. 300 IN SOA ns.example.test. h.example.test. 1 2 3 4 300",
                    $"{hash}.example.test. 300 IN NSEC3 1 0 0 - {next} A RRSIG"));
        });

        yield return Hierarchy("mem/cname-chain", "c0.example.test.", DnsRecordType.TLSA, h =>
        {
            // Six signed links, the last answer in the same response as its CNAME, as a resolver sends it.
            for (int i = 0; i < 6; i++)
            {
                var link = h.Zone.Signed($"c{i}.example.test. 300 IN CNAME c{i + 1}.example.test.");
                if (i == 5) link.AddRange(h.Zone.Signed("c6.example.test. 300 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
                h.Source.Add($"c{i}.example.test.", DnsRecordType.TLSA, link);
            }
            h.Source.Add("c6.example.test.", DnsRecordType.TLSA, h.Zone.Signed("c6.example.test. 300 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        });

        yield return Hierarchy("mem/dname", "x.d.example.test.", DnsRecordType.A, h =>
        {
            var dname = h.Zone.Signed("d.example.test. 300 IN DNAME t.example.test.");
            h.Source.Add("x.d.example.test.", DnsRecordType.A, dname.Append(ResourceRecord.Parse("x.d.example.test. 300 IN CNAME x.t.example.test.")));
            h.Source.Add("x.t.example.test.", DnsRecordType.A, h.Zone.Signed("x.t.example.test. 300 IN A 192.0.2.4"));
        });

        var deep = string.Join(".", Enumerable.Range(0, 60).Select(i => "l" + (i % 10))) + ".example.test.";
        yield return Hierarchy("mem/many-labels", deep, DnsRecordType.A, h =>
            h.Source.Add(deep, DnsRecordType.A, h.Zone.Signed($"{deep} 300 IN A 192.0.2.5")));

        yield return Hierarchy("mem/keytrap", "www.example.test.", DnsRecordType.A, h =>
        {
            // Five decoys sharing the ZSK's key tag (swapping octets two apart keeps the RFC 4034 Appendix B sum).
            var zsk = h.Zone.Zsk.GetRdata();
            for (int a = 4; h.Zone.ExtraKeys.Count < 5; a++)
            {
                if (zsk[a] == zsk[a + 2]) continue;
                var rdata = (byte[])zsk.Clone();
                (rdata[a], rdata[a + 2]) = (rdata[a + 2], rdata[a]);
                h.Zone.ExtraKeys.Add(new ResourceRecord(h.Zone.Name, DnsRecordType.DNSKEY, 1, 3600, rdata));
            }
            var keys = h.Zone.ExtraKeys.Concat(new[] { h.Zone.Ksk, h.Zone.Zsk }).ToList();
            h.Source.Add("example.test.", DnsRecordType.DNSKEY, keys.Append(h.Zone.Sign(keys)));
            h.Source.Add("www.example.test.", DnsRecordType.A, h.Zone.Signed("www.example.test. 300 IN A 192.0.2.1"));
        }, o => o.MaxKeysPerKeyTag = 8);
    }

    /// <summary>
    /// Worlds holding the ingredients of the denial-proof defect classes of issue 11 (fixed on another branch), kept
    /// out of the short run and of the default campaign until that fix is merged; DANETOOLS_FUZZ_OPEN_CLASSES=1 adds
    /// them to the Fuzz task.
    /// </summary>
    public static IEnumerable<FuzzWorld> OpenClasses()
    {
        // Class 1 (CVE-2017-15105): mx.w.example.test has a TXT record; *.w.example.test's NSEC, as a server sends it
        // expanded for a.w.example.test (RRSIG Labels 3 below the owner's 4), is a genuine signed record an attacker
        // can fetch and replay onto mx.w.example.test as a NODATA "proof".
        List<ResourceRecord> expanded = new();
        yield return Hierarchy("open/wildcard-nsec-replayed", "mx.w.example.test.", DnsRecordType.TXT, h =>
        {
            h.Source.Add("mx.w.example.test.", DnsRecordType.TXT, h.Zone.Signed("mx.w.example.test. 300 IN TXT \"v=spf1 -all\""));
            var a = DnsName.Parse("a.w.example.test.");
            expanded.AddRange(h.Zone.Signed("*.w.example.test. 300 IN NSEC mx.w.example.test. A RRSIG NSEC").Select(r => r.WithOwner(a)));
        }, extraPool: expanded);

        // Class 1, NXDOMAIN form: b.w.example.test exists through the wildcard (a signed expansion with its proof).
        // The same NSEC fetched expanded for "!.w.example.test" (which sorts before "*") covers both b.w.example.test
        // and *.w.example.test, so replayed with NXDOMAIN it "proves" that neither exists.
        List<ResourceRecord> bang = new();
        yield return Hierarchy("open/wildcard-nsec-nxdomain", "b.w.example.test.", DnsRecordType.A, h =>
        {
            var b = DnsName.Parse("b.w.example.test.");
            var nsec = h.Zone.Signed("*.w.example.test. 300 IN NSEC mx.w.example.test. A RRSIG NSEC");
            h.Source.Add("b.w.example.test.", DnsRecordType.A, h.Zone.Signed("*.w.example.test. 300 IN A 192.0.2.8").Select(r => r.WithOwner(b)), nsec);
            bang.AddRange(nsec.Select(r => r.WithOwner(DnsName.Parse("!.w.example.test."))));
        }, extraPool: bang);
    }

    private static FuzzWorld Hierarchy(string name, string qname, DnsRecordType qtype, Action<TestHierarchy> build, Action<DnssecValidatorOptions>? configure = null,
        IReadOnlyList<ResourceRecord>? extraPool = null)
    {
        using var h = new TestHierarchy(keySeed: KeySeed);
        build(h);
        var source = h.Source;
        var anchor = h.Root.Ds();
        return new FuzzWorld(name, DnsName.Parse(qname), qtype, TestHierarchy.Now, () => source, () =>
        {
            var anchors = new TrustAnchorStore();
            anchors.Add(anchor);
            var options = new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = TestHierarchy.Now };
            configure?.Invoke(options);
            return options;
        }, extraPool);
    }
}
