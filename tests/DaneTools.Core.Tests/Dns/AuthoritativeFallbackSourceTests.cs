using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

/// <summary>
/// SERVFAIL from a validating resolver leads to the zone's authoritative servers, asked with RD=0
/// (DESIGN.md section 4), so the validator sees the bogus data and the server that served it.
/// </summary>
public sealed class AuthoritativeFallbackSourceTests
{
    private static ResourceRecord Rr(string line) => ResourceRecord.Parse(line);

    private sealed class Scripted : IDnsRecordSource
    {
        private readonly Dictionary<string, DnsResponse> _answers = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _server;

        public Scripted(string server) => _server = server;

        public List<string> Asked { get; } = new();

        public Scripted On(string name, DnsRecordType type, DnsResponseCode rcode, IEnumerable<ResourceRecord>? answer = null,
            IEnumerable<ResourceRecord>? authority = null, IEnumerable<ResourceRecord>? additional = null)
        {
            _answers[$"{DnsName.Parse(name)} {type}"] = new DnsResponse(rcode, answer, authority, additional, _server);
            return this;
        }

        public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Asked.Add($"{name} {type}");
            return _answers.TryGetValue($"{name} {type}", out var r)
                ? Task.FromResult(r)
                : throw new DnsTransportException($"{name} {type}: no answer from {_server}", isTimeout: true);
        }
    }

    private static (Scripted Resolver, Scripted Parent, Scripted Child, AuthoritativeFallbackSource Source) Lab()
    {
        var resolver = new Scripted("127.0.0.1:53")
            .On("www.bogus.test.", DnsRecordType.A, DnsResponseCode.ServFail)
            .On("bogus.test.", DnsRecordType.DS, DnsResponseCode.ServFail)
            .On("www.bogus.test.", DnsRecordType.NS, DnsResponseCode.ServFail)
            .On("bogus.test.", DnsRecordType.NS, DnsResponseCode.ServFail)
            .On("test.", DnsRecordType.NS, DnsResponseCode.NoError, new[] { Rr("test. 3600 IN NS ns.test.") })
            .On("ns.test.", DnsRecordType.A, DnsResponseCode.NoError, new[] { Rr("ns.test. 3600 IN A 127.0.0.10") })
            .On("ns.test.", DnsRecordType.AAAA, DnsResponseCode.NoError)
            .On("ok.test.", DnsRecordType.A, DnsResponseCode.NoError, new[] { Rr("ok.test. 3600 IN A 192.0.2.1") });
        var parent = new Scripted("127.0.0.10:53")
            .On("www.bogus.test.", DnsRecordType.A, DnsResponseCode.NoError, null,
                new[] { Rr("bogus.test. 3600 IN NS ns.bogus.test.") }, new[] { Rr("ns.bogus.test. 3600 IN A 127.0.0.11") })
            .On("bogus.test.", DnsRecordType.DS, DnsResponseCode.NoError, new[] { Rr("bogus.test. 3600 IN DS 1 13 2 AABB") });
        var child = new Scripted("127.0.0.11:53")
            .On("www.bogus.test.", DnsRecordType.A, DnsResponseCode.NoError, new[] { Rr("www.bogus.test. 3600 IN A 192.0.2.66") });
        var servers = new Dictionary<string, Scripted> { ["127.0.0.10:53"] = parent, ["127.0.0.11:53"] = child };
        var source = new AuthoritativeFallbackSource(resolver, ep => servers[DnsServerEndpoint.Format(ep)]);
        return (resolver, parent, child, source);
    }

    [Fact]
    public async Task QueryAsync_ResolverAnswers_ReturnsResolverAnswer()
    {
        var (_, parent, _, source) = Lab();

        var response = await source.QueryAsync(DnsName.Parse("ok.test."), DnsRecordType.A);

        Assert.Equal("127.0.0.1:53", response.Server);
        Assert.Empty(parent.Asked);
    }

    [Fact]
    public async Task QueryAsync_ResolverServfail_FollowsReferralToChildServers()
    {
        var (_, parent, child, source) = Lab();

        var response = await source.QueryAsync(DnsName.Parse("www.bogus.test."), DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NoError, response.Rcode);
        Assert.Equal("127.0.0.11:53", response.Server);
        Assert.Equal("192.0.2.66", new IPAddress(Assert.Single(response.Answer).GetRdata()).ToString());
        Assert.Equal(new[] { "www.bogus.test. A" }, parent.Asked);
        Assert.Equal(new[] { "www.bogus.test. A" }, child.Asked);
    }

    [Fact]
    public async Task QueryAsync_DsServfail_AsksTheParentZone()
    {
        var (_, parent, child, source) = Lab();

        var response = await source.QueryAsync(DnsName.Parse("bogus.test."), DnsRecordType.DS);

        Assert.Equal("127.0.0.10:53", response.Server);
        Assert.Single(response.Answer);
        Assert.Empty(child.Asked);
    }

    [Fact]
    public async Task QueryAsync_NoAuthoritativeServerAnswers_ReturnsResolverServfail()
    {
        var resolver = new Scripted("127.0.0.1:53")
            .On("x.dead.test.", DnsRecordType.A, DnsResponseCode.ServFail)
            .On("x.dead.test.", DnsRecordType.NS, DnsResponseCode.ServFail)
            .On("dead.test.", DnsRecordType.NS, DnsResponseCode.ServFail)
            .On("test.", DnsRecordType.NS, DnsResponseCode.NoError, new[] { Rr("test. 3600 IN NS ns.test.") })
            .On("ns.test.", DnsRecordType.A, DnsResponseCode.NoError, new[] { Rr("ns.test. 3600 IN A 127.0.0.10") })
            .On("ns.test.", DnsRecordType.AAAA, DnsResponseCode.NoError);
        var silent = new Scripted("127.0.0.10:53");
        var source = new AuthoritativeFallbackSource(resolver, _ => silent);

        var response = await source.QueryAsync(DnsName.Parse("x.dead.test."), DnsRecordType.A);

        Assert.Equal(DnsResponseCode.ServFail, response.Rcode);
        Assert.Equal("127.0.0.1:53", response.Server);
    }
}
