using System;
using System.IO;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class TrustAnchorStoreTests
{
    [Fact]
    public void CreateDefault_IanaRootAnchors_20326And38696()
    {
        // iana-root-anchors.json: the two current KSKs (KSK-2010 19036 is retired and must not be there).
        var json = ConformanceData.RfcVectors("iana-root-anchors.json").GetProperty("anchors").EnumerateArray().ToList();
        var anchor = Assert.Single(TrustAnchorStore.CreateDefault().Anchors);
        Assert.True(anchor.Zone.IsRoot);
        Assert.Equal(new[] { 20326, 38696 }, anchor.DsRecords.Select(d => (int)d.KeyTag).OrderBy(t => t));
        foreach (var ds in anchor.DsRecords)
        {
            var expected = json.Single(a => a.GetProperty("KeyTag").GetInt32() == ds.KeyTag);
            Assert.Null(expected.GetProperty("validUntil").GetString());
            Assert.Equal(expected.GetProperty("Digest").GetString(), ds.DigestHex);
            Assert.Equal(DnssecAlgorithm.RsaSha256, ds.Algorithm);
            Assert.Equal(DsDigestType.Sha256, ds.DigestType);
            // The anchor matches the published root DNSKEY.
            Assert.True(DaneTools.Core.Crypto.DsDigest.Matches(ds, DnskeyRecord.From(ResourceRecord.Parse(ConformanceData.Line(expected.GetProperty("dnskey_record"))))));
        }
    }

    [Fact]
    public void Fingerprint_SameAnchorsInAnyOrder_Equal_OtherAnchors_Differ_CloneShares()
    {
        var a = new TrustAnchorStore();
        a.Add(TrustAnchorStore.RootKsk2017Ds);
        a.Add(TrustAnchorStore.RootKsk2024Ds);
        var b = new TrustAnchorStore();
        b.Add(TrustAnchorStore.RootKsk2024Ds);
        b.Add(TrustAnchorStore.RootKsk2017Ds);
        Assert.Matches("^[0-9a-fA-F]{16}$", a.Fingerprint);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(a.Fingerprint, TrustAnchorStore.CreateDefault().Fingerprint);

        var only2024 = new TrustAnchorStore();
        only2024.Add(TrustAnchorStore.RootKsk2024Ds);
        Assert.NotEqual(a.Fingerprint, only2024.Fingerprint);

        var clone = a.Clone();
        Assert.Same(a.Anchors, clone.Anchors);
        Assert.Equal(a.Fingerprint, clone.Fingerprint);
        // A change to the clone is its own: new anchors, new fingerprint, the original untouched.
        clone.Add("example. IN DNSKEY 257 3 7 AwEAAcUlFV1vhmqx6NSOUOq2R/dsR7Xm3upJj7IommWSpJABVfW8Q0rOvXdM6kzt+TAu92L9AbsUdblMFin8CVF3n4s=");
        Assert.NotEqual(a.Fingerprint, clone.Fingerprint);
        Assert.Single(a.Anchors);
        Assert.Equal(2, clone.Anchors.Count);
    }

    [Fact]
    public void Add_DnskeyLine_AnchorsTheZone()
    {
        var store = new TrustAnchorStore();
        store.Add("example. 3600 IN DNSKEY 257 3 7 AwEAAcUlFV1vhmqx6NSOUOq2R/dsR7Xm3upJj7IommWSpJABVfW8Q0rOvXdM6kzt+TAu92L9AbsUdblMFin8CVF3n4s=");
        Assert.Equal(12708, store.FindClosest(DnsName.Parse("a.b.example."))!.Keys.Single().KeyTag);
        Assert.Null(store.FindClosest(DnsName.Parse("example.org.")));
    }

    [Fact]
    public void FindClosest_NestedAnchors_Deepest()
    {
        var store = TrustAnchorStore.CreateDefault();
        store.Add("example. IN DNSKEY 257 3 7 AwEAAcUlFV1vhmqx6NSOUOq2R/dsR7Xm3upJj7IommWSpJABVfW8Q0rOvXdM6kzt+TAu92L9AbsUdblMFin8CVF3n4s=");
        Assert.Equal("example.", store.FindClosest(DnsName.Parse("www.example."))!.Zone.ToString());
        Assert.Equal(".", store.FindClosest(DnsName.Parse("www.example.org."))!.Zone.ToString());
    }

    [Theory]
    [InlineData(". IN DS 20326 8 2 E06D")]                    // digest of the wrong length
    [InlineData(". IN DS 20326 8 2 XYZ")]                     // not hexadecimal
    [InlineData(". IN A 192.0.2.1")]                          // not DS or DNSKEY
    [InlineData("example. IN DNSKEY 257 2 8 AwEAAQ==")]       // protocol not 3
    [InlineData("example. IN DNSKEY 1 3 8 AwEAAQ==")]         // no Zone Key flag
    [InlineData("this is not a record")]
    public void Add_Malformed_ThrowsNamingTheInput(string line)
    {
        var ex = Assert.Throws<TrustAnchorException>(() => new TrustAnchorStore().Add(line));
        Assert.Equal(line, ex.Input);
        Assert.Contains(line, ex.Message);
    }

    [Fact]
    public void AddFile_CommentsAndBlankLines_SkippedAndBadLineNamedWithNumber()
    {
        var path = Path.Combine(Path.GetTempPath(), "anchors-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            File.WriteAllText(path, "; root\n\n# also a comment\n" + TrustAnchorStore.RootKsk2017Ds + "\n");
            var store = new TrustAnchorStore();
            store.AddFile(path);
            Assert.Equal(20326, store.Anchors.Single().DsRecords.Single().KeyTag);

            File.WriteAllText(path, TrustAnchorStore.RootKsk2017Ds + "\n. IN DS 1 8 2 12\n");
            var ex = Assert.Throws<TrustAnchorException>(() => new TrustAnchorStore().AddFile(path));
            Assert.Equal(path + ":2", ex.Input);

            File.WriteAllText(path, "; nothing\n");
            Assert.Throws<TrustAnchorException>(() => new TrustAnchorStore().AddFile(path));
        }
        finally
        {
            File.Delete(path);
        }
        var missing = Assert.Throws<TrustAnchorException>(() => new TrustAnchorStore().AddFile(path));
        Assert.Equal(path, missing.Input);
    }
}
