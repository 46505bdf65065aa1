using System;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// The path is judged once from the anchor zone's DNSKEY RRset (issue 12): a local problem is named once instead of
/// being blamed on every recipient domain.
/// </summary>
public sealed class ResolverPathTests
{
    [Fact]
    public async Task JudgeAsync_SignedRootKeysMatchingTheAnchor_DnssecAware()
    {
        using var h = new TestHierarchy();

        var report = await ResolverPath.JudgeAsync(h.Source, h.Options(), "127.0.0.1:53");

        Assert.Equal(ResolverPathKind.DnssecAware, report.Kind);
        Assert.Equal(string.Empty, report.Recommendation);
    }

    [Fact]
    public async Task JudgeAsync_RootKeysWithoutRrsig_StripsDnssec()
    {
        // A forwarder that drops the DO bit: the DNSKEY RRset comes back, its RRSIG does not.
        using var h = new TestHierarchy();
        var stripping = new InMemoryRecordSource().Add(".", DnsRecordType.DNSKEY, h.Root.DnskeyRrset);

        var report = await ResolverPath.JudgeAsync(stripping, h.Options(), "192.0.2.53:53");

        Assert.Equal(ResolverPathKind.StripsDnssec, report.Kind);
        Assert.Contains("192.0.2.53:53 returns no RRSIG", report.Message);
        Assert.Contains("not DNSSEC-aware", report.Message);
    }

    [Fact]
    public async Task JudgeAsync_ResolverSilent_NoAnswer()
    {
        using var h = new TestHierarchy();
        var silent = new InMemoryRecordSource().AddFailure(".", DnsRecordType.DNSKEY,
            () => throw new DnsTransportException(". DNSKEY: no answer from 127.0.66.1:53 within 1 s", isTimeout: true));

        var report = await ResolverPath.JudgeAsync(silent, h.Options(), "127.0.66.1:53");

        Assert.Equal(ResolverPathKind.NoAnswer, report.Kind);
        Assert.Contains("127.0.66.1:53 did not answer", report.Message);
    }

    [Fact]
    public async Task JudgeAsync_ResolverRefuses_NoAnswer()
    {
        using var h = new TestHierarchy();
        var refusing = new InMemoryRecordSource().Add(".", DnsRecordType.DNSKEY, null, null, DnsResponseCode.Refused);

        var report = await ResolverPath.JudgeAsync(refusing, h.Options(), "127.0.0.9:53");

        Assert.Equal(ResolverPathKind.NoAnswer, report.Kind);
        Assert.Contains("Refused", report.Message);
    }

    [Fact]
    public async Task JudgeAsync_AnchorOfAnotherRoot_TrustAnchorMismatch()
    {
        using var h = new TestHierarchy();
        using var otherRoot = new TestZone(".");
        var options = h.Options(o =>
        {
            var anchors = new TrustAnchorStore();
            anchors.Add(otherRoot.Ds());
            o.TrustAnchors = anchors;
        });

        var report = await ResolverPath.JudgeAsync(h.Source, options, "127.0.0.1:53");

        Assert.Equal(ResolverPathKind.TrustAnchorMismatch, report.Kind);
        Assert.StartsWith("The trust anchor does not match the root's keys served by 127.0.0.1:53", report.Message);
        Assert.Contains("-TrustAnchor", report.Recommendation);
    }

    [Fact]
    public async Task JudgeAsync_ValidationTimeAfterTheSignaturesExpired_ClockOutsideSignatureWindow()
    {
        // TestSigner signs from 2026-01-01 to 2028-01-01: in 2030 every signature has expired (RFC 4035 section 5.3.1).
        using var h = new TestHierarchy();
        var options = h.Options(o => o.ValidationTime = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var report = await ResolverPath.JudgeAsync(h.Source, options, "127.0.0.1:53");

        Assert.Equal(ResolverPathKind.ClockOutsideSignatureWindow, report.Kind);
        Assert.Equal(ReasonCodes.RrsigExpired, report.Reason!.Code);
        Assert.Contains("clock", report.Recommendation);
    }
}
