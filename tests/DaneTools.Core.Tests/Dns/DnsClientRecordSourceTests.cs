using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

/// <summary>
/// The DnsClient adapter against answers NSD gave for zones dnssec-signzone signed (TestData/Wire/generate.sh):
/// the RDATA we rebuild from DnsClient's parsed records must equal, byte for byte, what dig printed for the same
/// answer in RFC 3597 form.
/// </summary>
public sealed class DnsClientRecordSourceTests
{
    private static readonly string s_wire = Path.Combine(AppContext.BaseDirectory, "TestData", "Wire");

    public static IEnumerable<object[]> RecordedAnswers() =>
        Directory.GetFiles(s_wire, "*.dig").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    [Theory]
    [MemberData(nameof(RecordedAnswers))]
    public async Task QueryAsync_RecordedAnswer_RebuildsRdataByteExactOrRefuses(string id)
    {
        var lines = File.ReadAllLines(Path.Combine(s_wire, id + ".dig"));
        var question = lines[0].Split(' ');   // "; QUERY <name> <type>"
        var expected = lines.Skip(1).Where(l => l.Length > 0 && l[0] != ';').Select(ResourceRecord.Parse).ToList();
        using var server = new CannedDnsServer(CannedDnsServer.ReadDrillPacket(Path.Combine(s_wire, id + ".pkt")));
        var source = new DnsClientRecordSource(new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 5 });
        var name = DnsName.Parse(question[2]);
        Assert.True(DnsRecordTypeText.TryParse(question[3], out var type));

        DnsResponse response;
        try
        {
            response = await source.QueryAsync(name, type);
        }
        catch (DnsUnrepresentableRecordException ex)
        {
            // Never guess: refusing is right only when the answer holds a name DnsClient's text form cannot carry.
            Assert.Contains(expected, r => HasNonAsciiLabel(r.Owner));
            Assert.Contains(name.ToString(), ex.Message);
            return;
        }

        Assert.DoesNotContain(expected, r => HasNonAsciiLabel(r.Owner));
        var actual = response.Answer.Concat(response.Authority).ToList();
        if (expected.Any(r => HasDotInLabel(r.Owner)))
        {
            // Known limitation: DnsClient joins labels with '.' and keeps no wire bytes, so a label holding a
            // literal dot comes back as two labels. The rebuilt owner then differs from the signed one, so its
            // RRSIG cannot verify (Bogus, never a false Secure). This pins DnsClient 1.8.0's behaviour.
            Assert.Contains(actual, r => r.Owner.ToString() == "weird.dot.wire.test.");
            return;
        }

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Owner.ToString(), actual[i].Owner.ToString());   // case kept
            Assert.Equal(expected[i].Type, actual[i].Type);
            Assert.Equal(expected[i].Class, actual[i].Class);
            Assert.Equal(expected[i].Ttl, actual[i].Ttl);
            Assert.Equal(expected[i].GetRdata(), actual[i].GetRdata());
        }
        Assert.Equal(DnsServerEndpoint.Format(server.EndPoint), response.Server);
    }

    [Fact]
    public void RecordedAnswers_CoverEveryRebuiltType()
    {
        var types = Directory.GetFiles(s_wire, "*.dig").SelectMany(File.ReadAllLines)
            .Where(l => l.Length > 0 && l[0] != ';').Select(l => ResourceRecord.Parse(l).Type).ToHashSet();
        foreach (var t in new[]
        {
            DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.NS, DnsRecordType.CNAME, DnsRecordType.DNAME, DnsRecordType.MX,
            DnsRecordType.SOA, DnsRecordType.TXT, DnsRecordType.PTR, DnsRecordType.SRV, DnsRecordType.CAA, DnsRecordType.TLSA,
            DnsRecordType.DS, DnsRecordType.DNSKEY, DnsRecordType.RRSIG, DnsRecordType.NSEC, DnsRecordType.NSEC3,
            DnsRecordType.NSEC3PARAM, DnsRecordType.CDS, DnsRecordType.CDNSKEY, (DnsRecordType)65000,
        })
        {
            Assert.Contains(t, types);
        }
    }

    [Fact]
    public async Task QueryAsync_ServerSwallowsQueries_ThrowsTimeoutWithinLimit()
    {
        using var server = new CannedDnsServer(answer: null);
        var source = new DnsClientRecordSource(new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 1, Retries = 0 });
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<DnsTransportException>(() => source.QueryAsync(DnsName.Parse("example.test."), DnsRecordType.A));

        Assert.True(ex.IsTimeout);
        Assert.Contains("example.test.", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.True(server.QueriesReceived >= 1);
    }

    [Fact]
    public async Task QueryAsync_BlockingMode_AnswersBeforeReturning()
    {
        var id = Directory.GetFiles(s_wire, "*.dig").Select(Path.GetFileNameWithoutExtension).OrderBy(f => f, StringComparer.Ordinal).First()!;
        var question = File.ReadAllLines(Path.Combine(s_wire, id + ".dig"))[0].Split(' ');
        using var server = new CannedDnsServer(CannedDnsServer.ReadDrillPacket(Path.Combine(s_wire, id + ".pkt")));
        var source = new DnsClientRecordSource(new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 5 });
        var blockingSource = source.WithIoMode(DnsIoMode.Blocking);
        Assert.True(DnsRecordTypeText.TryParse(question[3], out var type));
        var name = DnsName.Parse(question[2]);

        var task = await Task.Factory.StartNew(() => blockingSource.QueryAsync(name, type), TaskCreationOptions.LongRunning);

        Assert.True(task.IsCompleted);
        var blocking = await task;
        var awaited = await source.QueryAsync(name, type);
        Assert.Equal(awaited.Answer.Select(r => r.ToString()), blocking.Answer.Select(r => r.ToString()));
        Assert.Equal(awaited.Rcode, blocking.Rcode);
    }

    [Fact]
    public async Task QueryAsync_BlockingMode_ServerSwallowsQueries_ThrowsTimeoutWithinLimit()
    {
        using var server = new CannedDnsServer(answer: null);
        var source = new DnsClientRecordSource(new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 1, Retries = 0, IoMode = DnsIoMode.Blocking });
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<DnsTransportException>(() => Task.Factory.StartNew(
            () => source.QueryAsync(DnsName.Parse("example.test."), DnsRecordType.A), TaskCreationOptions.LongRunning).Unwrap());

        Assert.True(ex.IsTimeout);
        Assert.Contains("example.test.", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task QueryAsync_BlockingMode_Cancelled_AsksNothing()
    {
        using var server = new CannedDnsServer(answer: null);
        var source = new DnsClientRecordSource(new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 30, IoMode = DnsIoMode.Blocking });
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Factory.StartNew(
            () => source.QueryAsync(DnsName.Parse("example.test."), DnsRecordType.A, cts.Token), TaskCreationOptions.LongRunning).Unwrap());
        Assert.Equal(0, server.QueriesReceived);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.3.4:5353", "127.0.3.4:5353")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[fd00:da4e::53]:5300", "[fd00:da4e::53]:5300")]
    public void DnsServerEndpoint_Parse_AcceptsAddressAndPort(string text, string formatted)
    {
        Assert.Equal(formatted, DnsServerEndpoint.Format(DnsServerEndpoint.Parse(text)));
    }

    [Theory]
    [InlineData("dns.example")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("[::1")]
    public void DnsServerEndpoint_Parse_RejectsNonAddress(string text)
    {
        var ex = Assert.Throws<FormatException>(() => DnsServerEndpoint.Parse(text));
        Assert.Contains(text, ex.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.9.8.7", true)]
    [InlineData("::1", true)]
    [InlineData("fd00:da4e::53", true)]
    [InlineData("192.0.2.53", false)]
    [InlineData("10.0.0.53", false)]
    [InlineData("2001:db8::53", false)]
    [InlineData("fd00:1::53", false)]
    public void ResolverGuard_IsLocal_AllowsOnlyLoopbackAndLab(string address, bool local)
    {
        Assert.Equal(local, ResolverGuard.IsLocal(IPAddress.Parse(address)));
    }

    private static bool HasNonAsciiLabel(DnsName name) => LabelBytes(name).Any(b => b < 0x21 || b > 0x7E);

    private static bool HasDotInLabel(DnsName name) => LabelBytes(name).Any(b => b == (byte)'.');

    private static IEnumerable<byte> LabelBytes(DnsName name) =>
        Enumerable.Range(0, name.LabelCount).SelectMany(name.GetLabel);
}
