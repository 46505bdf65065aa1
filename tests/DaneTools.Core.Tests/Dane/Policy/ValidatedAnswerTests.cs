using System;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dane.Policy;

public sealed class ValidatedAnswerTests
{
    private static readonly ValidationReason? s_ok = null;

    [Fact]
    public void ExpandedName_CnameChain_IsLastTarget()
    {
        var q = DnsName.Parse("mx.example.com.");
        var chain = new[]
        {
            new CnameLink(q, DnsName.Parse("a.example.net."), DnssecStatus.Secure),
            new CnameLink(DnsName.Parse("a.example.net."), DnsName.Parse("b.example.org."), DnssecStatus.Insecure),
        };

        var answer = new ValidatedAnswer(q, DnsRecordType.A, DnssecStatus.Insecure, s_ok, cnameChain: chain);

        Assert.Equal(DnsName.Parse("b.example.org."), answer.ExpandedName);
        Assert.Equal(2, answer.CnameChain.Count);
    }

    [Fact]
    public void ExpandedName_NoChain_IsQueryName()
    {
        var q = DnsName.Parse("mx.example.com.");

        var answer = new ValidatedAnswer(q, DnsRecordType.A, DnssecStatus.Secure, s_ok);

        Assert.Equal(q, answer.ExpandedName);
        Assert.Empty(answer.Records);
        Assert.Empty(answer.Warnings);
    }

    [Theory]
    [InlineData(DnssecStatus.Secure, true)]
    [InlineData(DnssecStatus.Insecure, true)]
    [InlineData(DnssecStatus.Bogus, false)]
    [InlineData(DnssecStatus.Indeterminate, false)]
    public void IsUsable_ByStatus(DnssecStatus status, bool usable)
    {
        Assert.Equal(usable, new ValidatedAnswer(DnsName.Parse("x.example."), DnsRecordType.TLSA, status, s_ok).IsUsable);
    }

    [Fact]
    public void EarliestSignatureExpiration_UnspecifiedKind_TakenAsUtc()
    {
        var t = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Unspecified);

        var answer = new ValidatedAnswer(DnsName.Parse("x.example."), DnsRecordType.MX, DnssecStatus.Secure, s_ok, earliestSignatureExpiration: t);

        Assert.Equal(DateTimeKind.Utc, answer.EarliestSignatureExpiration!.Value.Kind);
        Assert.Equal(t.Ticks, answer.EarliestSignatureExpiration.Value.Ticks);
    }

    [Fact]
    public void Constructor_NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ValidatedAnswer(null!, DnsRecordType.MX, DnssecStatus.Secure, null));
    }
}
