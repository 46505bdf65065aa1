using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Delivery;
using DaneTools.Core.Smtp;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// The domain verdict (DaneVerdictTable through DaneDomainChecker): the domain verdict rules of DESIGN section 6, DNS-only mode.
/// One test per row of the DESIGN section 6 decision table and per domain verdict rule, with the expected values taken
/// from that table, RFC 7672 (sections cited per test), RFC 7671 section 9, RFC 7505 and RFC 8460 section 4.3.
/// Offline: fake resolver and prober, certificates generated with BouncyCastle, clock pinned at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class DaneDomainCheckerVerdictTests : DaneDomainCheckerTestBase
{
    // ---- Domain verdict rules (DESIGN section 6) ----

    [Fact]
    public async Task CheckAsync_AuthenticatedPlusNoDane_PassWithWarning()
    {
        var pki1 = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki1.Leaf));
        _smtp.Tls(Ip1, pki1.Chain()).Tls(Ip2, Pki(Mx2).Chain());

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal("SomeHostsWithoutDane", r.ReasonCode);
        Assert.Contains(r.Warnings, w => w.StartsWith(Mx2 + ": this MX host is not covered by DANE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_AuthenticatedPlusTlsOnly_Pass()
    {
        var pki1 = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki1.Leaf));
        _dns.Tlsa(Mx2, Secure, "1 1 1 " + new string('B', 64));
        _smtp.Tls(Ip1, pki1.Chain()).Tls(Ip2, Pki(Mx2).Chain());

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal("AllHostsDane", r.ReasonCode);
        Assert.DoesNotContain(r.Warnings, w => w.Contains("not covered by DANE"));
    }

    [Fact]
    public async Task CheckAsync_OneHostAuthFailureOtherAuthenticated_Degraded()
    {
        var pki2 = Pki(Mx2);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx1, Secure, "3 1 1 " + new string('0', 64));
        _dns.Tlsa(Mx2, Secure, DaneEe(pki2.Leaf));
        _smtp.Tls(Ip1, Pki(Mx1).Chain()).Tls(Ip2, pki2.Chain());

        var r = await Check();

        Assert.Equal(DaneStatus.Degraded, r.Status);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        Assert.Equal("tlsa-invalid", r.TlsRptResultType);
    }

    [Fact]
    public async Task CheckAsync_NoHostCanTakeMail_FailWithMostPreferredHostsCode()
    {
        // DESIGN section 6: Fail when no host can take mail and one failed TLS/authentication; the NDR is that of the most
        // preferred host's failure (here a TLSA lookup failure: 5.7.324).
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Bogus);
        _dns.Tlsa(Mx2, Secure, DaneEe(Pki(Mx2).Leaf));
        _smtp.Fails(Ip2, SmtpProbeOutcome.StartTlsNotOffered, "no STARTTLS");

        var r = await Check();

        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_EveryHostDnsFailure_Deferred()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Set(Mx1, DnsRecordType.A, Bogus);
        _dns.Host(Mx2, Secure, Ip2);
        _dns.Set("_25._tcp." + Mx2, DnsRecordType.TLSA, Indeterminate);

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("AllHostsDnsFailure", r.ReasonCode);
    }

    [Fact]
    public async Task CheckAsync_DnsOnly_NoProbesVerdictFromDns()
    {
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1, Ip6);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf), "3 1 1 " + new string('0', 64));

        var r = await Check(Options(dnsOnly: true));

        Assert.Empty(_smtp.Calls);
        Assert.True(r.DnsOnly);
        // Without a probe no certificate was matched: never Pass (issue 15 item 1, DESIGN section 6).
        Assert.Equal(DaneStatus.DnsPass, r.Status);
        Assert.Contains("DNS only", r.Reason);
        Assert.All(r.MxHosts[0].Addresses, a => Assert.False(a.Probed));
        Assert.Equal(2, r.MxHosts[0].Addresses.Count);
    }

    [Fact]
    public async Task CheckAsync_DnsOnlyTlsaMismatch_DnsPassWithUnknownNdrWhereTheFullCheckFails5_7_323()
    {
        // The server presents a key no TLSA record names: a full check fails (4.7.323 tlsa-invalid, DESIGN section 6);
        // DNS alone cannot see that, so it may neither say Pass nor promise an empty NDR.
        var presented = Pki(Mx1);
        SecureSingleHost(tlsa: _ => new[] { "3 1 1 " + new string('0', 64) });
        _smtp.Tls(Ip1, presented.Chain());

        var full = await Check();
        var r = await new DaneDomainChecker(_dns, new FakeSmtpProber()).CheckAsync(Domain, Options(dnsOnly: true));

        Assert.Equal(DaneStatus.Fail, full.Status);
        Assert.Equal("5.7.323 tlsa-invalid", full.ExchangeOnlineNdr);
        Assert.Equal(DaneStatus.DnsPass, r.Status);
        Assert.Equal("DnsPass", r.StatusText);
        Assert.Equal(DaneStatus.DnsPass, r.ExchangeOnlineStatus);
        Assert.Equal(DaneDomainResult.NdrNotKnown, r.ExchangeOnlineNdr);
        Assert.Equal("unknown: certificates not checked (-DnsOnly)", r.ExchangeOnlineNdr);
        Assert.DoesNotContain("authenticated", r.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not checked", r.Reason, StringComparison.Ordinal);
        // No failure is known, and a DANE policy was found (RFC 8460 section 4.3: policy type tlsa, no result type).
        Assert.Equal(string.Empty, r.TlsRptResultType);
        Assert.Equal("tlsa", r.TlsRptPolicyType);
    }

    [Fact]
    public async Task CheckAsync_DnsOnlyTlsOnlyHost_DnsPassNotPass()
    {
        // Secure TLSA set with no usable record: TLS is mandatory (DESIGN section 6); STARTTLS was not probed.
        SecureSingleHost(tlsa: _ => new[] { "1 1 1 " + new string('0', 64) });

        var r = await Check(Options(dnsOnly: true));

        Assert.Equal(DaneStatus.DnsPass, r.Status);
        Assert.Equal(DaneDomainResult.NdrNotKnown, r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DnsOnlyDaneHostPlusHostWithoutDane_DnsPassWithEmptyNdrSinceASenderFallsBack()
    {
        // If mx1 fails authentication a sender moves on to mx2 (no DANE, opportunistic TLS): a full check gives Pass or
        // Degraded, never a bounce, so DNS alone proves delivery and the NDR stays empty; the status still is not Pass.
        var pki1 = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki1.Leaf));

        var r = await Check(Options(dnsOnly: true));

        Assert.Equal(DaneStatus.DnsPass, r.Status);
        Assert.Equal("SomeHostsWithoutDane", r.ReasonCode);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DnsOnlyInsecureMxSecureTlsa_DnsPassButExchangeOnlineNotApplicableWithEmptyNdr()
    {
        // RFC 7672 section 2.2.1: DANE applies for Postfix; Exchange Online does not apply DANE after an insecure MX.
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Insecure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));

        var r = await Check(Options(dnsOnly: true));

        Assert.Equal(DaneStatus.DnsPass, r.Status);
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DnsOnlyNoDane_NotApplicableWithEmptyNdr()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);

        var r = await Check(Options(dnsOnly: true));

        Assert.Equal(DaneStatus.NotApplicable, r.Status);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DnsOnlyDegradedOnlyDaneHostLeft_UnknownNdr()
    {
        // mx1's addresses are bogus (unusable, DESIGN section 6); mx2 requires DANE but was not probed: if its certificate
        // fails too, no host can take mail, so DNS alone does not prove delivery.
        var pki2 = Pki(Mx2);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Set(Mx1, DnsRecordType.A, Bogus);
        _dns.Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx2, Secure, DaneEe(pki2.Leaf));

        var r = await Check(Options(dnsOnly: true));

        Assert.Equal(DaneStatus.Degraded, r.Status);
        Assert.Equal(DaneDomainResult.NdrNotKnown, r.ExchangeOnlineNdr);
    }
}
