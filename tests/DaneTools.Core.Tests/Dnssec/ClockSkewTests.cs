using System;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// An RRSIG whose inception lies a little in the future (a signer whose clock runs ahead) is accepted within an
/// allowance of 10% of the signature's lifetime, at least 1 hour and at most 24 hours (Unbound's val-sig-skew-min/max
/// defaults), with a warning; beyond it, and for any expired RRSIG, Bogus (RFC 4035 section 5.3.1).
/// </summary>
public sealed class ClockSkewTests
{
    private static async Task<DnssecChainResult> ValidateAnswerSigned(DateTime inception, DateTime expiration, Action<DnssecValidatorOptions>? configure = null)
    {
        using var h = new TestHierarchy();
        var a = ResourceRecord.Parse("www.example.test. 300 IN A 192.0.2.80");
        h.Source.Add("www.example.test.", DnsRecordType.A, new[] { a, h.Zone.Sign(new[] { a }, inception: inception, expiration: expiration) });
        return await h.Validator(h.Options(configure)).ValidateAsync("www.example.test.", DnsRecordType.A);
    }

    [Fact]
    public async Task Inception5MinutesAhead_SecureWithAWarningNamingTheRecordAndTheMinutes()
    {
        var r = await ValidateAnswerSigned(TestHierarchy.Now.AddMinutes(5), TestHierarchy.Now.AddDays(30));

        Assert.Equal(DnssecStatus.Secure, r.Status);
        var w = Assert.Single(r.Warnings, x => x.Contains("clock-skew", StringComparison.Ordinal));
        Assert.Contains("www.example.test. A", w);
        Assert.Contains("5 minutes ahead", w);
        Assert.Contains("allowance of 1440 minutes", w); // 10% of 30 days is 3 days: capped at 24 hours
    }

    [Fact]
    public async Task InceptionBeyondTheCap_BogusNotYetValid()
    {
        var r = await ValidateAnswerSigned(TestHierarchy.Now.AddHours(25), TestHierarchy.Now.AddDays(30));

        Assert.Equal(DnssecStatus.Bogus, r.Status);
        Assert.Equal(ReasonCodes.RrsigNotYetValid, r.ReasonCode);
    }

    [Fact]
    public async Task ShortLivedSignature_AllowanceIsAtLeastOneHour()
    {
        // Lifetime 5 hours: 10% is 30 minutes, raised to the 1-hour minimum; 50 minutes ahead passes, 70 do not.
        var ok = await ValidateAnswerSigned(TestHierarchy.Now.AddMinutes(50), TestHierarchy.Now.AddMinutes(50).AddHours(5));
        var late = await ValidateAnswerSigned(TestHierarchy.Now.AddMinutes(70), TestHierarchy.Now.AddMinutes(70).AddHours(5));

        Assert.Equal(DnssecStatus.Secure, ok.Status);
        Assert.Contains(ok.Warnings, x => x.Contains("allowance of 60 minutes", StringComparison.Ordinal));
        Assert.Equal(DnssecStatus.Bogus, late.Status);
        Assert.Equal(ReasonCodes.RrsigNotYetValid, late.ReasonCode);
    }

    [Fact]
    public async Task TenPercentOfTheLifetime_BetweenTheBounds()
    {
        // Lifetime 100 hours: the allowance is 10 hours.
        var ok = await ValidateAnswerSigned(TestHierarchy.Now.AddHours(9), TestHierarchy.Now.AddHours(9 + 100));
        var late = await ValidateAnswerSigned(TestHierarchy.Now.AddHours(11), TestHierarchy.Now.AddHours(11 + 100));

        Assert.Equal(DnssecStatus.Secure, ok.Status);
        Assert.Equal(DnssecStatus.Bogus, late.Status);
    }

    [Fact]
    public async Task ExpiredAMinuteAgo_StaysBogus()
    {
        var r = await ValidateAnswerSigned(TestHierarchy.Now.AddDays(-30), TestHierarchy.Now.AddMinutes(-1));

        Assert.Equal(DnssecStatus.Bogus, r.Status);
        Assert.Equal(ReasonCodes.RrsigExpired, r.ReasonCode);
    }

    [Fact]
    public async Task NoAllowance_FutureInceptionIsBogusAsDelvSays()
    {
        var r = await ValidateAnswerSigned(TestHierarchy.Now.AddMinutes(5), TestHierarchy.Now.AddDays(30), o =>
        {
            o.MinInceptionSkewSeconds = 0;
            o.MaxInceptionSkewSeconds = 0;
        });

        Assert.Equal(DnssecStatus.Bogus, r.Status);
        Assert.Equal(ReasonCodes.RrsigNotYetValid, r.ReasonCode);
    }
}
