using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class FixtureRecordSourceTests
{
    private const string OneBlock =
        ";; QUERY www.example.test. A\n" +
        ";; RCODE NOERROR\n" +
        ";; ANSWER\n" +
        "www.example.test. 300 IN A 192.0.2.1\n" +
        ";; AUTHORITY\n" +
        "example.test. 300 IN NS ns.example.test.\n" +
        ";; END\n";

    [Fact]
    public async Task QueryAsync_RecordedQuestion_ReturnsRecordedSections()
    {
        // generate.sh puts www.secure.test. A 192.0.2.1 (TTL 3600) into secure.test.
        var source = FixtureCase.Load("secure-a").CreateSource();

        var response = await source.QueryAsync(DnsName.Parse("www.secure.test."), DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NoError, response.Rcode);
        var a = Assert.Single(response.Answer, r => r.Type == DnsRecordType.A);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, a.GetRdata());
        Assert.Equal(3600u, a.Ttl);
        Assert.Single(response.Answer, r => r.Type == DnsRecordType.RRSIG);
        Assert.Contains(response.Authority, r => r.Type == DnsRecordType.NS);
        Assert.False(response.AuthenticatedData);
    }

    [Fact]
    public async Task QueryAsync_NameInOtherLetterCase_ReturnsRecordedResponse()
    {
        var source = FixtureRecordSource.Parse(OneBlock, "inline");

        var response = await source.QueryAsync(DnsName.Parse("WWW.Example.TEST"), DnsRecordType.A);

        Assert.Single(response.Answer);
    }

    [Fact]
    public async Task QueryAsync_NxdomainBlock_ReturnsNxDomainWithNsecProof()
    {
        var source = FixtureCase.Load("secure-nxdomain-nsec").CreateSource();

        var response = await source.QueryAsync(DnsName.Parse("nx.secure.test."), DnsRecordType.A);

        Assert.Equal(DnsResponseCode.NXDomain, response.Rcode);
        Assert.Empty(response.Answer);
        Assert.Contains(response.Authority, r => r.Type == DnsRecordType.NSEC);
        Assert.Contains(response.Authority, r => r.Type == DnsRecordType.SOA);
    }

    [Fact]
    public async Task QueryAsync_MissingQuestion_ThrowsNamingTheQuestion()
    {
        var source = FixtureRecordSource.Parse(OneBlock, "inline-fixture");

        var ex = await Assert.ThrowsAsync<FixtureQuestionMissingException>(
            () => source.QueryAsync(DnsName.Parse("www.example.test."), DnsRecordType.AAAA));

        Assert.Contains("'www.example.test. AAAA'", ex.Message);
        Assert.Contains("inline-fixture", ex.Message);
        Assert.Equal(DnsRecordType.AAAA, ex.QueryType);
    }

    [Fact]
    public async Task QueryAsync_MissingQuestion_IsListedAsMissingAndAsked()
    {
        var source = FixtureRecordSource.Parse(OneBlock, "inline");

        await source.QueryAsync(DnsName.Parse("www.example.test."), DnsRecordType.A);
        await Assert.ThrowsAsync<FixtureQuestionMissingException>(() => source.QueryAsync(DnsName.Parse("example.test."), DnsRecordType.DS));

        Assert.Equal(new[] { "www.example.test. A", "example.test. DS" }, source.Asked.Select(q => $"{q.Name} {q.Type}"));
        Assert.Equal("example.test. DS", source.MissingQuestions.Select(q => $"{q.Name} {q.Type}").Single());
    }

    [Fact]
    public async Task QueryAsync_CancelledToken_ThrowsOperationCanceled()
    {
        var source = FixtureRecordSource.Parse(OneBlock, "inline");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => source.QueryAsync(DnsName.Parse("www.example.test."), DnsRecordType.A, new CancellationToken(true)));
    }

    [Fact]
    public void Parse_EmptySections_GiveEmptyLists()
    {
        var source = FixtureRecordSource.Parse(";; QUERY x.test. DS\n;; RCODE NXDOMAIN\n;; ANSWER\n;; AUTHORITY\n;; END\n", "inline");

        Assert.Equal(new[] { (DnsName.Parse("x.test."), DnsRecordType.DS) }, source.Questions);
    }

    [Theory]
    [InlineData(";; QUERY www.example.test. A\n;; RCODE NOERROR\n;; ANSWER\n;; AUTHORITY\n", "no ';; END'")]
    [InlineData(";; QUERY www.example.test. A\n;; RCODE BROKEN\n;; ANSWER\n;; AUTHORITY\n;; END\n", "inline:2: unknown RCODE")]
    [InlineData(";; QUERY www.example.test. A\n;; RCODE NOERROR\n;; ANSWER\nwww.example.test. 300 IN A 999.0.2.1\n;; AUTHORITY\n;; END\n", "inline:4: RR does not parse")]
    [InlineData(";; QUERY www.example.test. A\n;; RCODE NOERROR\n;; AUTHORITY\n;; ANSWER\n;; END\n", "inline:3:")]
    [InlineData("www.example.test. 300 IN A 192.0.2.1\n", "inline:1: expected ';; QUERY")]
    public void Parse_MalformedText_ThrowsFormatExceptionNamingTheLine(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => FixtureRecordSource.Parse(text, "inline"));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Parse_QuestionRecordedTwice_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => FixtureRecordSource.Parse(OneBlock + "\n" + OneBlock.Replace("www.example", "WWW.example"), "inline"));

        Assert.Contains("recorded twice", ex.Message);
    }
}
