using System;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>Sanity of the replay harness itself on small inline scenarios: the parser, the scripted source, the verdicts.</summary>
public class ReplayHarnessTests
{
    // Root (193.0.14.129) refers to com (192.5.6.30), com refers to example.com (1.2.3.4) with a DS; the
    // example.com server also answers "example.com DS" (wrongly, as a child would), which must never be asked.
    private const string World = @"
; config options
server:
	trust-anchor: ""example.com.	3600	IN	DS	2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b""
	val-override-date: ""20070916134226""
	fake-sha1: yes
stub-zone:
	name: "".""
	stub-addr: 193.0.14.129 	# K.ROOT-SERVERS.NET.
CONFIG_END

SCENARIO_BEGIN Inline world
RANGE_BEGIN 0 100
	ADDRESS 193.0.14.129
ENTRY_BEGIN
MATCH opcode subdomain
REPLY QR NOERROR
SECTION QUESTION
com. IN NS
SECTION AUTHORITY
com.	IN NS	a.gtld-servers.net.
SECTION ADDITIONAL
a.gtld-servers.net.	IN 	A	192.5.6.30
ENTRY_END
RANGE_END

RANGE_BEGIN 0 100
	ADDRESS 192.5.6.30
ENTRY_BEGIN
MATCH opcode qtype qname
REPLY QR AA NOERROR
SECTION QUESTION
example.com. IN DS
SECTION ANSWER
example.com.	3600	IN	DS	2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b
ENTRY_END
ENTRY_BEGIN
MATCH opcode subdomain
REPLY QR NOERROR
SECTION QUESTION
example.com. IN NS
SECTION AUTHORITY
example.com.	IN NS	ns.example.com.
SECTION ADDITIONAL
ns.example.com.		IN 	A	1.2.3.4
ENTRY_END
RANGE_END

RANGE_BEGIN 0 10
	ADDRESS 1.2.3.4
ENTRY_BEGIN
MATCH opcode qtype qname
REPLY QR AA NOERROR
SECTION QUESTION
example.com. IN DS
SECTION AUTHORITY
example.com.	3600	IN	SOA	ns.example.com. host.example.com. 1 3600 7200 1209600 7200
ENTRY_END
ENTRY_BEGIN
MATCH opcode qtype qname
REPLY QR AA NOERROR
SECTION QUESTION
www.example.com. IN A
SECTION ANSWER
www.example.com.	IN	A	10.20.30.40
www.example.com.	IN	TXT	( ""split over""
	""two lines"" )
www.example.com.	IN	A	not-an-address
ENTRY_END
RANGE_END

RANGE_BEGIN 11 100
	ADDRESS 1.2.3.4
ENTRY_BEGIN
MATCH opcode qtype qname
REPLY QR AA NOERROR
SECTION QUESTION
www.example.com. IN A
SECTION ANSWER
www.example.com.	IN	A	10.20.30.41
ENTRY_END
RANGE_END

STEP 1 QUERY
ENTRY_BEGIN
REPLY RD DO
SECTION QUESTION
www.example.com. IN A
ENTRY_END
STEP 10 CHECK_ANSWER
ENTRY_BEGIN
MATCH all
REPLY QR RD RA AD DO NOERROR
SECTION QUESTION
www.example.com. IN A
ENTRY_END
STEP 20 TIME_PASSES ELAPSE 10
SCENARIO_END
";

    private static RplScenario Parse(string text) => RplScenario.Parse("inline.rpl", text.Replace("\r\n", "\n").Split('\n'));

    [Fact]
    public void Parse_Config_AnchorsDateStubsAndSwitches()
    {
        var s = Parse(World);
        Assert.Equal("example.com.	3600	IN	DS	2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b", Assert.Single(s.TrustAnchors));
        Assert.Equal(new DateTime(2007, 9, 16, 13, 42, 26, DateTimeKind.Utc), s.OverrideDate);
        Assert.True(s.FakeSha1);
        Assert.Equal(new[] { "193.0.14.129" }, s.StubZones[DnsName.Root]);
        Assert.Equal("Inline world", s.Title);
    }

    [Fact]
    public void Parse_DeckardStyle_KeysWithoutServerHeader()
    {
        var s = Parse("trust-anchor: . 172800 IN DS 19036 8 2 49aac11d7b6f6446702e54a1607371607a1a41855200fd2ce1cdde32f24e8fb5\nval-override-timestamp: 1523318400\nstub-addr: 198.41.0.4 # a.root\nforward-zone:\n\tname: \"example.org\"\n\tforward-addr: 192.0.2.1\nCONFIG_END\n");
        Assert.Single(s.TrustAnchors);
        Assert.Equal(new DateTime(2018, 4, 10, 0, 0, 0, DateTimeKind.Utc), s.OverrideDate);
        Assert.Equal(new[] { "198.41.0.4" }, s.StubZones[DnsName.Root]);
        Assert.Equal(new[] { "192.0.2.1" }, s.ForwardZones[DnsName.Parse("example.org")]);
    }

    [Fact]
    public void Parse_Entries_RangesStepsAndRecordsOverLines_SkipsWhatItCannotParse()
    {
        var s = Parse(World);
        Assert.Equal(4, s.Ranges.Count);
        Assert.Equal((11, 100), (s.Ranges[3].From, s.Ranges[3].To));
        var www = s.Ranges[2].Entries[1];
        Assert.Equal((DnsName.Parse("www.example.com"), DnsRecordType.A), www.Question);
        Assert.Contains("qname", www.Match);
        Assert.True(www.Has("AA"));
        Assert.Equal(2, www.Answer.Count); // the A and the two-line TXT; the bad A is skipped
        Assert.Equal(1, www.SkippedRecords);
        Assert.Contains(s.Problems, p => p.Contains("record skipped"));
        Assert.Equal(new[] { "QUERY", "CHECK_ANSWER", "TIME_PASSES" }, s.Steps.Select(x => x.Kind));
        Assert.Equal(10, s.Steps[1].Number);
        Assert.True(s.Steps[1].Entry!.Has("AD"));
    }

    [Fact]
    public async Task Source_FollowsReferralsFromTheRootHints()
    {
        var source = new ScriptedRecordSource(Parse(World), 1);
        var resp = await source.QueryAsync(DnsName.Parse("www.example.com"), DnsRecordType.A);
        Assert.Equal("1.2.3.4:53", resp.Server);
        Assert.Equal("10.20.30.40", resp.Answer.First(r => r.Type == DnsRecordType.A).RdataText);
        Assert.Equal(new[] { "www.example.com. A @193.0.14.129", "www.example.com. A @192.5.6.30", "www.example.com. A @1.2.3.4" }, source.Asked);
    }

    [Fact]
    public async Task Source_AsksDsOfTheParentSideOfTheCut()
    {
        var source = new ScriptedRecordSource(Parse(World), 1);
        await source.QueryAsync(DnsName.Parse("www.example.com"), DnsRecordType.A); // learns the example.com cut
        var resp = await source.QueryAsync(DnsName.Parse("example.com"), DnsRecordType.DS);
        Assert.Equal("192.5.6.30:53", resp.Server);
        Assert.Equal(DnsRecordType.DS, Assert.Single(resp.Answer).Type);
    }

    [Fact]
    public async Task Source_AnswersDsFromTheReferralWhenTheParentHasNoEntry()
    {
        // com's server has no DS entry any more; its referral to example.com carries the DS RRset.
        var text = World.Replace("example.com. IN DS\nSECTION ANSWER", "example.net. IN DS\nSECTION ANSWER")
            .Replace("example.com.\tIN NS\tns.example.com.\nSECTION ADDITIONAL", "example.com.\tIN NS\tns.example.com.\nexample.com.\t3600\tIN\tDS\t2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b\nSECTION ADDITIONAL");
        var source = new ScriptedRecordSource(Parse(text), 1);
        await source.QueryAsync(DnsName.Parse("www.example.com"), DnsRecordType.A);
        var resp = await source.QueryAsync(DnsName.Parse("example.com"), DnsRecordType.DS);
        Assert.Equal("192.5.6.30:53", resp.Server);
        Assert.Equal(DnsRecordType.DS, Assert.Single(resp.Answer).Type);
    }

    [Fact]
    public async Task Source_AnswersFromTheRangeActiveAtTheStep()
    {
        var scenario = Parse(World);
        var early = await new ScriptedRecordSource(scenario, 1).QueryAsync(DnsName.Parse("www.example.com"), DnsRecordType.A);
        var late = await new ScriptedRecordSource(scenario, 20).QueryAsync(DnsName.Parse("www.example.com"), DnsRecordType.A);
        Assert.Equal("10.20.30.40", early.Answer.First(r => r.Type == DnsRecordType.A).RdataText);
        Assert.Equal("10.20.30.41", Assert.Single(late.Answer).RdataText);
    }

    [Fact]
    public async Task Source_NoMatchingEntry_ThrowsDnsTransportExceptionNamingTheQuestion()
    {
        var source = new ScriptedRecordSource(Parse(World), 1);
        var ex = await Assert.ThrowsAsync<DnsTransportException>(() => source.QueryAsync(DnsName.Parse("mail.example.com"), DnsRecordType.MX));
        Assert.Contains("mail.example.com. MX", ex.Message);
        Assert.Contains("mail.example.com. MX at 1.2.3.4", Assert.Single(source.Misses));
    }

    [Fact]
    public async Task Source_ForwardZone_AsksTheForwarderDirectly()
    {
        var text = World.Replace("stub-zone:\n\tname: \".\"\n\tstub-addr: 193.0.14.129 \t# K.ROOT-SERVERS.NET.", "forward-zone:\n\tname: \".\"\n\tforward-addr: 1.2.3.4");
        var source = new ScriptedRecordSource(Parse(text), 1);
        var resp = await source.QueryAsync(DnsName.Parse("www.example.com"), DnsRecordType.A);
        Assert.Equal("1.2.3.4:53", resp.Server);
        Assert.Equal(new[] { "www.example.com. A @1.2.3.4" }, source.Asked);
    }

    [Theory]
    [InlineData("all", "QR RD RA AD DO NOERROR", "RD DO", "Secure")]
    [InlineData("all", "QR RD RA DO NXDOMAIN", "RD DO", "Insecure")]
    [InlineData("all", "QR RD RA DO SERVFAIL", "RD DO", "Bogus")]
    [InlineData("flags rcode question answer", "QR RD RA NOERROR", "RD AD", "Insecure")]
    [InlineData("rcode question", "QR RD RA SERVFAIL", "RD DO", "Bogus")]
    [InlineData("opcode qname qtype", "QR RD RA AD DO NOERROR", "RD DO", null)] // flags not compared
    [InlineData("all", "QR RD RA NOERROR", "RD", null)] // no DO nor AD: AD never set (RFC 6840 section 5.8)
    [InlineData("question", "QR RD RA DO SERVFAIL", "RD DO", null)] // rcode not compared
    public void Expected_ReadsTheVerdictOnlyWhereTheCheckCarriesOne(string match, string reply, string query, string? expected)
    {
        var q = new RplEntry(1);
        foreach (var f in query.Split(' ')) q.Reply.Add(f);
        var c = new RplEntry(2);
        foreach (var m in match.Split(' ')) c.Match.Add(m);
        foreach (var f in reply.Split(' ')) c.Reply.Add(f);
        var (verdict, why) = ReplayRunner.Expected(q, c);
        Assert.Equal(expected, verdict?.ToString());
        Assert.Equal(expected is null, why is not null);
    }

    [Fact]
    public void Runner_JudgesAgainstTheCheck_AndSkipsAfterTimePasses()
    {
        var result = ReplayRunner.Run("inline", Parse(World.Replace("STEP 20 TIME_PASSES ELAPSE 10", "STEP 20 TIME_PASSES ELAPSE 10\nSTEP 30 QUERY\nENTRY_BEGIN\nREPLY RD DO\nSECTION QUESTION\nwww.example.com. IN A\nENTRY_END\nSTEP 40 CHECK_ANSWER\nENTRY_BEGIN\nMATCH all\nREPLY QR RD RA DO SERVFAIL\nENTRY_END")));
        Assert.Equal(2, result.Cases.Count);
        Assert.Equal(PeerVerdict.Secure, result.Cases[0].Expected);
        Assert.DoesNotContain("TIME_PASSES", result.Cases[0].SkipReason);
        Assert.Equal(ReplayOutcome.Skipped, result.Cases[1].Outcome);
        Assert.Contains("TIME_PASSES", result.Cases[1].SkipReason);
    }

    [Fact]
    public void FakeVerifier_AcceptsDsaWithoutCrypto_ChecksRsaSha1ForReal()
    {
        var verifier = new ReplayFakeVerifier();
        Assert.True(verifier.IsSupported(DnssecAlgorithm.DsaSha1));
        Assert.True(verifier.Verify(DnssecAlgorithm.DsaSha1, new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }));
        Assert.True(verifier.Verify(DnssecAlgorithm.DsaNsec3Sha1, new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }));
        Assert.False(verifier.Verify(DnssecAlgorithm.RsaSha1, new byte[] { 3, 1, 0, 1, 0xC3 }, new byte[] { 2 }, new byte[] { 3 }));
        Assert.False(DnssecSignatureVerifier.Shared.IsSupported(DnssecAlgorithm.DsaSha1)); // the product keeps RFC 8624's rule
    }
}
