using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// The response classes of RFC 4035 section 5 and RFC 6672 (as Unbound's val_classify_response tells them apart), each
/// from a response built by hand: which RRset is validated, and whether the alias is followed.
/// </summary>
public sealed class ResponseClassifierTests
{
    private static readonly DnsName Q = DnsName.Parse("www.example.test.");
    private static readonly DnsName Zone = DnsName.Parse("example.test.");

    private static ResourceRecord R(string line) => ResourceRecord.Parse(line);

    [Fact]
    public void Positive_TheAskedRrset()
    {
        var c = ResponseClassifier.Classify(new DnsResponse(DnsResponseCode.NoError, new[] { R("www.example.test. 300 IN A 192.0.2.1") }), Q, DnsRecordType.A);
        Assert.Equal(ResponseClass.Positive, c.Class);
        Assert.False(c.Follow);
        Assert.Single(c.Relevant);
    }

    [Fact]
    public void Cname_AtTheQueryName_ValidatedAndFollowed()
    {
        var c = ResponseClassifier.Classify(new DnsResponse(DnsResponseCode.NoError, new[] { R("www.example.test. 300 IN CNAME mail.example.test.") }), Q, DnsRecordType.A);
        Assert.Equal(ResponseClass.Cname, c.Class);
        Assert.True(c.Follow);
        Assert.Equal(DnsRecordType.CNAME, c.Relevant.Single().Type);
    }

    [Fact]
    public void Dname_AboveTheQueryName_TheDnameIsValidatedAndFollowed()
    {
        var c = ResponseClassifier.Classify(new DnsResponse(DnsResponseCode.NoError, new[]
        {
            R("example.test. 300 IN DNAME example.other."),
            R("www.example.test. 300 IN CNAME www.example.other."),
        }), Q, DnsRecordType.A);
        Assert.Equal(ResponseClass.Dname, c.Class);
        Assert.True(c.Follow);
        Assert.Equal(DnsRecordType.DNAME, c.Relevant.Single().Type);
    }

    [Fact]
    public void CnameQuestionThroughDname_UnsignedCnameIsSynthesisedNotFollowed()
    {
        // RFC 6672 section 5.3.1: the synthesised CNAME carries no RRSIG; the DNAME is validated and the CNAME checked against it.
        var c = ResponseClassifier.Classify(new DnsResponse(DnsResponseCode.NoError, new[]
        {
            R("example.test. 300 IN DNAME example.other."),
            R("www.example.test. 300 IN CNAME www.example.other."),
        }), Q, DnsRecordType.CNAME);
        Assert.Equal(ResponseClass.Dname, c.Class);
        Assert.NotNull(c.Synthesized);
        Assert.False(c.Follow);
    }

    [Fact]
    public void YxDomain_OnlyTheDnameIsValidatedNothingFollowed()
    {
        var c = ResponseClassifier.Classify(new DnsResponse(DnsResponseCode.YXDomain, new[] { R("example.test. 300 IN DNAME example.other.") }), Q, DnsRecordType.A);
        Assert.Equal(ResponseClass.Dname, c.Class);
        Assert.True(c.YxDomain);
        Assert.False(c.Follow);
    }

    [Fact]
    public void Referral_NsBelowTheZoneWithoutSoa()
    {
        var resp = new DnsResponse(DnsResponseCode.NoError, authority: new[] { R("www.example.test. 300 IN NS ns.elsewhere.") });
        Assert.Equal(ResponseClass.Negative, ResponseClassifier.Classify(resp, Q, DnsRecordType.A).Class);
        Assert.Equal(ResponseClass.Referral, ResponseClassifier.ClassifyNegative(resp, Q, Zone, out var cut));
        Assert.Equal(Q, cut);
    }

    [Fact]
    public void NxDomain_ByTheResponseCode()
    {
        var resp = new DnsResponse(DnsResponseCode.NXDomain, authority: new[] { R("example.test. 300 IN SOA ns.example.test. h.example.test. 1 2 3 4 5") });
        Assert.Equal(ResponseClass.NxDomain, ResponseClassifier.ClassifyNegative(resp, Q, Zone, out var cut));
        Assert.Null(cut);
    }

    [Fact]
    public void NoData_NoErrorWithSoa()
    {
        var resp = new DnsResponse(DnsResponseCode.NoError, authority: new[] { R("example.test. 300 IN SOA ns.example.test. h.example.test. 1 2 3 4 5") });
        Assert.Equal(ResponseClass.NoData, ResponseClassifier.ClassifyNegative(resp, Q, Zone, out _));
    }

    [Fact]
    public void KeyTarget_DsQuestionWithoutSignatures_TheParentSideOfTheCut()
    {
        var resp = new DnsResponse(DnsResponseCode.NoError);
        var c = ResponseClassifier.Classify(resp, Q, DnsRecordType.DS);
        Assert.Equal(Zone, ResponseClassifier.KeyTarget(resp, c, Q, DnsRecordType.DS));
    }
}
