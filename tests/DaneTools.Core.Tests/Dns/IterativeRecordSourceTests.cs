using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

/// <summary>
/// Resolving from the root by referrals (RFC 1034 section 5.3.3) over scripted authoritative servers: a recorded
/// referral chain root -> test. -> example.test., as NSD serves it with RD=0.
/// </summary>
public sealed class IterativeRecordSourceTests
{
    private static ResourceRecord Rr(string line) => ResourceRecord.Parse(line);

    private static readonly IPEndPoint RootServer = new(IPAddress.Parse("127.0.53.1"), 53);
    private static readonly IPEndPoint TldServer = new(IPAddress.Parse("127.0.53.2"), 53);
    private static readonly IPEndPoint ZoneServer = new(IPAddress.Parse("127.0.53.3"), 53);

    private sealed class Server : IDnsRecordSource
    {
        private readonly Func<DnsName, DnsRecordType, DnsResponse?> _answer;
        private readonly string _name;

        public Server(string name, Func<DnsName, DnsRecordType, DnsResponse?> answer)
        {
            _name = name;
            _answer = answer;
        }

        public ConcurrentQueue<string> Asked { get; } = new();

        public TimeSpan Delay { get; set; }

        public async Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Asked.Enqueue($"{name} {DnsRecordTypeText.ToText(type)}");
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
            return _answer(name, type) ?? throw new DnsTransportException($"{name} {type}: no answer from {_name}", isTimeout: true);
        }
    }

    private sealed class World
    {
        public Dictionary<string, Server> Servers { get; } = new();

        public IterativeRecordSource Source(params IPEndPoint[] hints) =>
            new(hints.Length == 0 ? new[] { RootServer } : hints, ep => Servers.TryGetValue(DnsServerEndpoint.Format(ep), out var s)
                ? s : new Server(DnsServerEndpoint.Format(ep), (_, _) => null));

        public Server Add(IPEndPoint ep, Func<DnsName, DnsRecordType, DnsResponse?> answer)
        {
            var s = new Server(DnsServerEndpoint.Format(ep), answer);
            Servers[DnsServerEndpoint.Format(ep)] = s;
            return s;
        }
    }

    private static DnsResponse Referral(string cut, string nsHost, string? glue, IPEndPoint from) =>
        new(DnsResponseCode.NoError, null,
            new[] { Rr($"{cut} 86400 IN NS {nsHost}") },
            glue is null ? null : new[] { Rr($"{nsHost} 86400 IN A {glue}") },
            DnsServerEndpoint.Format(from));

    /// <summary>The lab's shape: the root refers test. to 127.0.53.2, which refers example.test. to 127.0.53.3.</summary>
    private static World Recorded()
    {
        var w = new World();
        w.Add(RootServer, (n, t) => n.IsRoot
            ? new DnsResponse(DnsResponseCode.NoError, new[] { Rr(". 86400 IN NS ns.root.") }, null, null, "127.0.53.1:53")
            : Referral("test.", "ns.test.", "127.0.53.2", RootServer));
        w.Add(TldServer, (n, t) =>
            t == DnsRecordType.DS && n.ToString() == "example.test."
                ? new DnsResponse(DnsResponseCode.NoError, new[] { Rr("example.test. 3600 IN DS 1 13 2 AABB") }, null, null, "127.0.53.2:53")
                : n.IsSubdomainOf(DnsName.Parse("example.test.")) ? Referral("example.test.", "ns.example.test.", "127.0.53.3", TldServer)
                : new DnsResponse(DnsResponseCode.NXDomain, null, new[] { Rr("test. 3600 IN SOA ns.test. h.test. 1 2 3 4 5") }, null, "127.0.53.2:53"));
        w.Add(ZoneServer, (n, t) => n.ToString() == "mx.example.test." && t == DnsRecordType.A
            ? new DnsResponse(DnsResponseCode.NoError, new[] { Rr("mx.example.test. 3600 IN A 192.0.2.25") }, null, null, "127.0.53.3:53")
            : new DnsResponse(DnsResponseCode.NoError, null, new[] { Rr("example.test. 3600 IN SOA ns.example.test. h.example.test. 1 2 3 4 5") }, null, "127.0.53.3:53"));
        return w;
    }

    [Fact]
    public async Task QueryAsync_FollowsReferralsFromTheRoot_ReturnsTheAuthoritativeAnswer()
    {
        var w = Recorded();
        var source = w.Source();

        var r = await source.QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A);

        Assert.Equal("mx.example.test. 3600 IN A 192.0.2.25", Assert.Single(r.Answer).ToString());
        Assert.Equal("127.0.53.3:53", r.Server);
        Assert.Equal(new[] { "mx.example.test. A" }, w.Servers["127.0.53.1:53"].Asked);
        Assert.Equal(new[] { "mx.example.test. A" }, w.Servers["127.0.53.2:53"].Asked);
        Assert.Equal(3, source.QueriesSent);
    }

    [Fact]
    public async Task QueryAsync_SecondQuestion_StartsAtTheCachedZoneCut()
    {
        var w = Recorded();
        var source = w.Source();
        await source.QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A);

        var r = await source.QueryAsync(DnsName.Parse("_25._tcp.mx.example.test."), DnsRecordType.TLSA);

        Assert.Equal(DnsResponseCode.NoError, r.Rcode);
        Assert.Contains(r.Authority, x => x.Type == DnsRecordType.SOA);
        Assert.Single(w.Servers["127.0.53.1:53"].Asked);
        Assert.Equal(4, source.QueriesSent);
    }

    [Fact]
    public async Task QueryAsync_Ds_IsAnsweredByTheParentZonesServer()
    {
        // RFC 4035 section 3.1.4.1: the DS RRset lives on the parent side of the zone cut.
        var w = Recorded();
        var source = w.Source();
        await source.QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A); // the example.test. cut is now known

        var r = await source.QueryAsync(DnsName.Parse("example.test."), DnsRecordType.DS);

        Assert.Equal("127.0.53.2:53", r.Server);
        Assert.Equal(DnsRecordType.DS, Assert.Single(r.Answer).Type);
        Assert.DoesNotContain(w.Servers["127.0.53.3:53"].Asked, q => q.EndsWith(" DS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueryAsync_NxDomainFromTheTld_ReturnedAsIs()
    {
        var source = Recorded().Source();

        var r = await source.QueryAsync(DnsName.Parse("nothing.test."), DnsRecordType.MX);

        Assert.Equal(DnsResponseCode.NXDomain, r.Rcode);
        Assert.Equal("127.0.53.2:53", r.Server);
    }

    [Fact]
    public async Task QueryAsync_FirstRootServerSilent_AsksTheNext()
    {
        var w = Recorded();
        var dead = new IPEndPoint(IPAddress.Parse("127.0.66.1"), 53);

        var r = await w.Source(dead, RootServer).QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A);

        Assert.Single(r.Answer);
    }

    [Fact]
    public async Task QueryAsync_NoServerAnswers_ThrowsDnsTransportExceptionNamingTheZone()
    {
        var dead = new IPEndPoint(IPAddress.Parse("127.0.66.1"), 53);
        var source = new World().Source(dead);

        var ex = await Assert.ThrowsAsync<DnsTransportException>(() => source.QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A));

        Assert.Contains("no server of the root answered", ex.Message);
        Assert.Contains("127.0.66.1:53", ex.Message);
    }

    [Fact]
    public async Task QueryAsync_UpwardReferral_IsLameAndTheNextServerIsAsked()
    {
        // A server that refers back up to the root (a classic lame delegation) must not send the walk in circles.
        var w = Recorded();
        var lame = new IPEndPoint(IPAddress.Parse("127.0.53.9"), 53);
        w.Add(lame, (n, t) => new DnsResponse(DnsResponseCode.NoError, null, new[] { Rr(". 86400 IN NS ns.root.") }, null, "127.0.53.9:53"));
        w.Add(RootServer, (n, t) => new DnsResponse(DnsResponseCode.NoError, null,
            new[] { Rr("test. 86400 IN NS ns1.test."), Rr("test. 86400 IN NS ns.test.") },
            new[] { Rr("ns1.test. 86400 IN A 127.0.53.9"), Rr("ns.test. 86400 IN A 127.0.53.2") }, "127.0.53.1:53"));

        var r = await w.Source().QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A);

        Assert.Single(r.Answer);
        Assert.Single(w.Servers["127.0.53.9:53"].Asked);
    }

    [Fact]
    public async Task QueryAsync_EndlessReferrals_StopAtTheLimit()
    {
        // Each server refers one label further down, for ever: bounded by MaxReferrals.
        var w = new World();
        int next = 1;
        var deep = DnsName.Parse(string.Join(".", Enumerable.Repeat("a", 40)) + ".");
        IterativeRecordSource? source = null;
        Func<DnsName, DnsRecordType, DnsResponse?> refer = null!;
        refer = (n, t) =>
        {
            int k = Interlocked.Increment(ref next);
            var ep = new IPEndPoint(IPAddress.Parse($"127.0.{k / 250}.{k % 250 + 1}"), 53);
            w.Add(ep, refer);
            var cut = deep.GetAncestor(k);
            return new DnsResponse(DnsResponseCode.NoError, null, new[] { Rr($"{cut} 60 IN NS ns{k}.example.") },
                new[] { Rr($"ns{k}.example. 60 IN A {ep.Address}") }, "x");
        };
        w.Add(RootServer, refer);
        source = w.Source();

        var ex = await Assert.ThrowsAsync<DnsTransportException>(() => source.QueryAsync(deep, DnsRecordType.A));

        Assert.Contains($"more than {IterativeRecordSource.MaxReferrals} referrals", ex.Message);
    }

    [Fact]
    public async Task QueryAsync_NameServerWithoutGlue_IsResolvedThroughTheSource()
    {
        var w = Recorded();
        w.Add(TldServer, (n, t) =>
            n.ToString() == "ns.other.test." && t == DnsRecordType.A
                ? new DnsResponse(DnsResponseCode.NoError, new[] { Rr("ns.other.test. 3600 IN A 127.0.53.3") }, null, null, "127.0.53.2:53")
                : n.ToString() == "ns.other.test." ? new DnsResponse(DnsResponseCode.NoError, null, new[] { Rr("test. 3600 IN SOA ns.test. h.test. 1 2 3 4 5") }, null, "127.0.53.2:53")
                : Referral("example.test.", "ns.other.test.", null, TldServer));

        var r = await w.Source().QueryAsync(DnsName.Parse("mx.example.test."), DnsRecordType.A);

        Assert.Single(r.Answer);
        Assert.Contains("ns.other.test. A", w.Servers["127.0.53.2:53"].Asked);
    }

    [Fact]
    public async Task QueryAsync_SameQuestionTwiceAtOnce_SentOnce()
    {
        var w = Recorded();
        w.Servers["127.0.53.3:53"].Delay = TimeSpan.FromMilliseconds(200);
        var source = w.Source();
        var name = DnsName.Parse("mx.example.test.");

        var both = await Task.WhenAll(source.QueryAsync(name, DnsRecordType.A), source.QueryAsync(name, DnsRecordType.A));

        Assert.Same(both[0], both[1]);
        Assert.Single(w.Servers["127.0.53.3:53"].Asked);
    }

    [Fact]
    public void Create_IanaRootHintsUnderTheResolverGuard_Refused()
    {
        var before = Environment.GetEnvironmentVariable(ResolverGuard.EnvironmentVariable);
        Environment.SetEnvironmentVariable(ResolverGuard.EnvironmentVariable, "1");
        try
        {
            Assert.Throws<InvalidOperationException>(() => IterativeRecordSource.Create(null, 2));
            Assert.NotNull(IterativeRecordSource.Create(new[] { RootServer }, 2));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ResolverGuard.EnvironmentVariable, before);
        }
    }

    [Fact]
    public void IanaRootHints_ThirteenServersOverBothFamilies()
    {
        Assert.Equal(13, IterativeRecordSource.IanaRootHints.Count(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork));
        Assert.Equal(13, IterativeRecordSource.IanaRootHints.Count(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6));
        Assert.Contains(IterativeRecordSource.IanaRootHints, e => e.Address.ToString() == "198.41.0.4"); // a.root-servers.net
    }
}

/// <summary>The question counter behind -Verbose's "the validator asked N questions".</summary>
public sealed class CountingRecordSourceTests
{
    [Fact]
    public async Task QueryAsync_CountsEveryQuestionAndPassesTheAnswerOn()
    {
        var inner = new DaneTools.Core.Tests.Dnssec.InMemoryRecordSource().Add("a.test.", DnsRecordType.A, new[] { ResourceRecord.Parse("a.test. 60 IN A 192.0.2.1") });
        var counting = new CountingRecordSource(inner);

        var first = await counting.QueryAsync(DnsName.Parse("a.test."), DnsRecordType.A);
        await counting.QueryAsync(DnsName.Parse("a.test."), DnsRecordType.A);

        Assert.Equal(2, counting.Questions);
        Assert.Single(first.Answer);
        Assert.Same(inner, counting.Inner);
    }
}
