using System.Collections.Generic;
using DaneTools.Core.Inbound;
using Xunit;
using static DaneTools.Core.Inbound.InboundCheckStatus;

namespace DaneTools.Core.Tests.Inbound;

/// <summary>
/// The stage table, one case per step of the move as EXCHANGE.md section 1.5 and issue 18 describe it: sign the zone
/// (DS at the parent), Enable-DnssecForVerifiedDomain and publish the new MX beside the legacy one, the new MX alone,
/// Enable-SmtpDaneInbound and Microsoft's TLSA records, certificates matching, MTA-STS listing the new host. Checks are
/// built by hand, not read from the checker.
/// </summary>
public sealed class InboundStageTableTests
{
    private static InboundCheck C(InboundCheckKind kind, InboundCheckStatus status, string code = "") => new(kind, status, code, "reason");

    private static List<InboundCheck> Checks(InboundCheckStatus dnssec, string dnssecCode, InboundCheckStatus mx, string mxCode,
        InboundCheckStatus addresses = NotChecked, InboundCheckStatus tlsa = NotChecked, InboundCheckStatus probe = NotChecked, InboundCheckStatus sts = Information) => new()
    {
        C(InboundCheckKind.DnssecChain, dnssec, dnssecCode),
        C(InboundCheckKind.MxRecordSet, mx, mxCode),
        C(InboundCheckKind.MxHostAddresses, addresses),
        C(InboundCheckKind.Tlsa, tlsa),
        C(InboundCheckKind.StartTlsProbe, probe),
        C(InboundCheckKind.MtaSts, sts),
    };

    [Fact]
    public void Unsigned_zone_with_the_legacy_MX_is_NotSigned() =>
        Assert.Equal(InboundStage.NotSigned, InboundStageTable.StageOf(Checks(Fail, InboundCodes.Insecure, Fail, InboundCodes.LegacyOnly)));

    [Fact]
    public void Broken_chain_is_NotSigned() =>
        Assert.Equal(InboundStage.NotSigned, InboundStageTable.StageOf(Checks(Fail, InboundCodes.Bogus, NotChecked, InboundCodes.MxLookupFailed)));

    [Fact]
    public void Lookup_without_evidence_is_Unknown() =>
        Assert.Equal(InboundStage.Unknown, InboundStageTable.StageOf(Checks(Fail, InboundCodes.Indeterminate, NotChecked, InboundCodes.MxLookupFailed)));

    [Theory]
    [InlineData(Pass, InboundCodes.Secure)]
    [InlineData(Fail, InboundCodes.Insecure)]
    public void A_gateway_in_front_is_NotExchangeOnline_signed_or_not(InboundCheckStatus dnssec, string code) =>
        Assert.Equal(InboundStage.NotExchangeOnline, InboundStageTable.StageOf(Checks(dnssec, code, Information, InboundCodes.NoExchangeOnlineHost)));

    [Fact]
    public void No_MX_is_NotExchangeOnline() =>
        Assert.Equal(InboundStage.NotExchangeOnline, InboundStageTable.StageOf(Checks(Pass, InboundCodes.Secure, Fail, InboundCodes.NoMx)));

    [Fact]
    public void Signed_with_the_legacy_MX_only_is_SignedLegacyMx() =>
        Assert.Equal(InboundStage.SignedLegacyMx, InboundStageTable.StageOf(Checks(Pass, InboundCodes.Secure, Fail, InboundCodes.LegacyOnly)));

    [Fact]
    public void New_MX_beside_the_legacy_or_a_fallback_is_MigrationInProgress() =>
        Assert.Equal(InboundStage.MigrationInProgress, InboundStageTable.StageOf(Checks(Pass, InboundCodes.Secure, Fail, InboundCodes.NewWithOthers, Pass, Pass, Pass, Pass)));

    [Theory]
    [InlineData(Pass, Fail)]        // before Enable-SmtpDaneInbound: no TLSA yet
    [InlineData(Fail, NotChecked)]  // addresses not Secure: no TLSA lookup
    public void New_MX_alone_without_usable_TLSA_is_MxMigrated(InboundCheckStatus addresses, InboundCheckStatus tlsa) =>
        Assert.Equal(InboundStage.MxMigrated, InboundStageTable.StageOf(Checks(Pass, InboundCodes.Secure, Pass, InboundCodes.NewOnly, addresses, tlsa)));

    [Theory]
    [InlineData(Pass, Fail, Pass)]        // certificate does not match
    [InlineData(Pass, NotChecked, Pass)]  // -DnsOnly: the probe decides, and was not run
    [InlineData(Pass, Pass, Fail)]        // MTA-STS enforce without the new host
    [InlineData(Fail, Pass, Pass)]        // preference 20, or not the expected MX value
    public void TLSA_published_but_not_verified_is_DaneEnabled(InboundCheckStatus mx, InboundCheckStatus probe, InboundCheckStatus sts) =>
        Assert.Equal(InboundStage.DaneEnabled, InboundStageTable.StageOf(Checks(Pass, InboundCodes.Secure, mx, InboundCodes.NewOnly, Pass, Pass, probe, sts)));

    [Theory]
    [InlineData(Pass)]         // enforce, lists the new host
    [InlineData(Information)]  // no policy, or testing listing the new host
    [InlineData(Warning)]      // testing, not listing it: reported, never blocking (RFC 8461 section 5)
    [InlineData(NotChecked)]   // -SkipMtaSts
    public void Everything_matching_is_DaneVerified(InboundCheckStatus sts) =>
        Assert.Equal(InboundStage.DaneVerified, InboundStageTable.StageOf(Checks(Pass, InboundCodes.Secure, Pass, InboundCodes.NewOnly, Pass, Pass, Pass, sts)));

    [Fact]
    public void Missing_checks_count_as_not_checked() =>
        Assert.Equal(InboundStage.Unknown, InboundStageTable.StageOf(new List<InboundCheck>()));

    [Theory]
    [InlineData("contoso-com.e-v1.mx.microsoft", "contoso-com.e-v1.mx.microsoft")]
    [InlineData("@ 60 IN MX 10 contoso-com.e-v1.mx.microsoft", "contoso-com.e-v1.mx.microsoft")]
    [InlineData("@ 60 IN MX 10 Contoso-com.E-v1.mx.microsoft.", "contoso-com.e-v1.mx.microsoft")]
    [InlineData("  ", null)]
    public void Expected_MX_is_read_from_both_cmdlets_forms(string text, string? host)
    {
        Assert.True(InboundExpectedMx.TryParse(text, out var parsed));
        Assert.Equal(host, parsed);
    }

    [Theory]
    [InlineData("@ 60 IN MX 10")]
    [InlineData("not..a.host")]
    public void Expected_MX_without_a_host_is_refused(string text) => Assert.False(InboundExpectedMx.TryParse(text, out _));
}
