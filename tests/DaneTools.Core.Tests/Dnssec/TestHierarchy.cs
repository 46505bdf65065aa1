using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// A signed root, <c>test.</c> and <c>example.test.</c>, each with an ECDSA P-256 KSK and ZSK, served from an
/// in-memory source; the root's KSK DS is the trust anchor and the validation time is pinned to 2027-01-01.
/// </summary>
internal sealed class TestHierarchy : IDisposable
{
    public static readonly DateTime Now = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Creates the hierarchy with fresh keys, or with keys derived from <paramref name="keySeed"/>.</summary>
    public TestHierarchy(int? keySeed = null)
    {
        Root = new TestZone(".", keySeed: keySeed);
        Tld = new TestZone("test.", keySeed: keySeed);
        Zone = new TestZone("example.test.", keySeed: keySeed);
        Source.Add(".", DnsRecordType.DNSKEY, Root.SignedDnskeys());
        Delegate(Root, Tld);
        Delegate(Tld, Zone);
    }

    public TestZone Root { get; }

    public TestZone Tld { get; }

    public TestZone Zone { get; }

    public InMemoryRecordSource Source { get; } = new();

    /// <summary>Serves a signed DS RRset for <paramref name="child"/> from <paramref name="parent"/> and the child's DNSKEY RRset.</summary>
    public void Delegate(TestZone parent, TestZone child)
    {
        Source.Add(child.Name.ToString(), DnsRecordType.DS, parent.Signed(child.Ds()));
        Source.Add(child.Name.ToString(), DnsRecordType.DNSKEY, child.SignedDnskeys());
    }

    public DnssecValidatorOptions Options(Action<DnssecValidatorOptions>? configure = null)
    {
        var anchors = new TrustAnchorStore();
        anchors.Add(Root.Ds());
        var options = new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = Now };
        configure?.Invoke(options);
        return options;
    }

    public ChainValidator Validator(DnssecValidatorOptions? options = null, ValidationCache? cache = null) =>
        new(Source, options ?? Options(), new FixedClock(Now), cache);

    public void Dispose()
    {
        Root.Dispose();
        Tld.Dispose();
        Zone.Dispose();
    }
}
