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
/// The MX step (DaneDomainChecker.Mx.cs): the MX lookup rows of DESIGN section 6.
/// One test per row of the DESIGN section 6 decision table and per domain verdict rule, with the expected values taken
/// from that table, RFC 7672 (sections cited per test), RFC 7671 section 9, RFC 7505 and RFC 8460 section 4.3.
/// Offline: fake resolver and prober, certificates generated with BouncyCastle, clock pinned at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class DaneDomainCheckerMxTests : DaneDomainCheckerTestBase
{
    // ---- MX lookup rows (DESIGN section 6; RFC 7672 section 2.2.1) ----

    [Fact]
    public async Task CheckAsync_SecureMxAuthenticatedHost_PassWithNoNdr()
    {
        SecureSingleHost();

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal("Pass", r.StatusText);
        Assert.Equal(DaneStatus.Pass, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        Assert.Equal(string.Empty, r.TlsRptResultType);
        Assert.Equal("tlsa", r.TlsRptPolicyType);
        Assert.Equal(DaneMxKind.Mx, r.MxKind);
        Assert.Equal(Secure, r.MxStatus);
        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
        Assert.Equal(DaneRequirement.DaneMandatory, host.Requirement);
        Assert.Equal(Mx1, host.TlsaBaseDomain);
        // Secure MX: the TLSA base domain and the next-hop domain are reference identifiers (RFC 7672 section 3.2.2).
        Assert.Equal(new[] { Mx1, Domain }, host.ReferenceIdentifiers);
        var address = Assert.Single(host.Addresses);
        Assert.Equal("IPv4", address.AddressFamily);
        Assert.True(address.StartTlsOffered);
        Assert.Equal("Tls13", address.TlsVersion);
        Assert.Equal(0, address.MatchDepth);
        Assert.Equal(TlsaUsage.DaneEe, address.MatchedRecord!.Usage);
        Assert.Equal(2, address.PresentedChain.Count);
        Assert.Equal(5, address.ProbeMilliseconds);
        Assert.True(r.ElapsedMilliseconds >= 0);
    }

    [Fact]
    public async Task CheckAsync_MxHostTooLongForATlsaName_NoDaneForThatHostInsteadOfFailingTheRun()
    {
        // 252 octets on the wire: a valid host name, but _25._tcp.<host> would pass 255 octets (RFC 1035 2.3.4).
        var longMx = string.Join(".", Enumerable.Repeat(new string('a', 60), 3)) + "." + new string('b', 55) + "." + Domain;
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {longMx}.");
        _dns.Host(longMx, Secure, Ip1);
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(DaneStatus.NotApplicable, r.Status);
        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.NoDane, host.Outcome);
        Assert.Contains("longer than 255 octets", host.Reason);
        Assert.Contains(r.Warnings, w => w.Contains("longer than 255 octets"));
    }

    [Fact]
    public async Task CheckAsync_InsecureMxWithSecureTlsaHost_PassByRfc7672ButExchangeOnlineNotApplicable()
    {
        // RFC 7672 section 2.2.1: with an insecure MX RRset the client MAY still use DANE for an MX host whose address and
        // TLSA lookups are secure (Postfix does); Exchange Online looks for TLSA only after a secure MX (EXCHANGE.md 1.1).
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Insecure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
        Assert.Equal(DaneHostOutcome.NoDane, host.ExchangeOnlineOutcome);
        // Insecure MX: the host's own name is the only reference identifier.
        Assert.Equal(new[] { Mx1 }, host.ReferenceIdentifiers);
    }

    [Fact]
    public async Task CheckAsync_BogusMx_Deferred5_7_324()
    {
        // DESIGN section 6: MX lookup bogus -> no delivery, defer; 5.7.324 dnssec-invalid for bogus data.
        _dns.Set(Domain, DnsRecordType.MX, Bogus);

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("MxBogus", r.ReasonCode);
        Assert.Equal(DaneStatus.Deferred, r.ExchangeOnlineStatus);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
        Assert.Equal("dnssec-invalid", r.TlsRptResultType);
        Assert.Equal("tlsa", r.TlsRptPolicyType);
        Assert.Equal(DaneMxKind.LookupFailed, r.MxKind);
        Assert.Empty(r.MxHosts);
        Assert.Empty(_smtp.Calls);
    }

    [Fact]
    public async Task CheckAsync_MxTimeout_Deferred5_4_312()
    {
        // DESIGN section 6: an MX lookup that timed out or SERVFAILed without proof of bogus data -> 5.4.312 DNS query failed.
        _dns.Set(Domain, DnsRecordType.MX, Indeterminate, reason: FakeValidatedResolver.Reason(ReasonCodes.Timeout, "No answer within 5 s."));

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("MxLookupFailed", r.ReasonCode);
        Assert.Equal("5.4.312 DNS query failed", r.ExchangeOnlineNdr);
        // RFC 8460 4.4: nothing showed a DANE policy, so a report would say no-policy-found.
        Assert.Equal("no-policy-found", r.TlsRptPolicyType);
        Assert.Equal(DaneFailureKind.DnsQueryFailed, r.FailureKind);
        Assert.Contains("Timeout", r.Reason);
    }

    [Fact]
    public async Task CheckAsync_MxNoData_ImplicitMxUsesDomainAsHost()
    {
        // DESIGN section 6: NODATA -> implicit MX, the domain itself is the host (non-MX destination, RFC 7672 section 2.2.2).
        var pki = Pki(Domain);
        _dns.Set(Domain, DnsRecordType.MX, Secure); // Secure NODATA
        _dns.Host(Domain, Secure, Ip1);
        _dns.Tlsa(Domain, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(DaneMxKind.ImplicitMx, r.MxKind);
        Assert.Equal(DaneStatus.Pass, r.Status);
        var host = Assert.Single(r.MxHosts);
        Assert.True(host.IsImplicit);
        Assert.Equal(Domain, host.HostName);
        Assert.Equal(Domain, host.TlsaBaseDomain);
        Assert.Equal(new[] { Domain }, host.ReferenceIdentifiers);
        Assert.True(_dns.WasQueried("_25._tcp.example.com", DnsRecordType.TLSA));
    }

    [Fact]
    public async Task CheckAsync_NullMx_NoMail5_1_10()
    {
        // RFC 7505 section 3: "0 ." is a positive statement that the domain accepts no mail; 556 5.1.10.
        _dns.Mx(Domain, Secure, "0 .");

        var r = await Check();

        Assert.Equal(DaneStatus.NoMail, r.Status);
        Assert.Equal(DaneMxKind.NullMx, r.MxKind);
        Assert.Equal("NullMx", r.ReasonCode);
        Assert.Equal("no-policy-found", r.TlsRptPolicyType);
        Assert.StartsWith("5.1.10", r.ExchangeOnlineNdr);
        Assert.Equal(string.Empty, r.TlsRptResultType);
        Assert.Empty(r.MxHosts);
        Assert.False(_dns.WasQueried(".", DnsRecordType.A));
    }

    [Fact]
    public async Task CheckAsync_NxDomain_NoMailDomainDoesNotExist()
    {
        // DESIGN section 6: a validated NXDOMAIN for the domain is Status NoMail with Reason DomainDoesNotExist.
        _dns.Set(Domain, DnsRecordType.MX, Secure, nx: true);

        var r = await Check();

        Assert.Equal(DaneStatus.NoMail, r.Status);
        Assert.Equal("DomainDoesNotExist", r.ReasonCode);
        Assert.StartsWith("DomainDoesNotExist", r.Reason);
        Assert.Equal(DaneMxKind.DomainDoesNotExist, r.MxKind);
        Assert.Equal("5.4.310 DNS domain does not exist", r.ExchangeOnlineNdr);
        Assert.Empty(r.MxHosts);
    }

    [Fact]
    public async Task CheckAsync_MxHosts_CheckedInPreferenceOrder()
    {
        var pki1 = Pki(Mx1);
        var pki2 = Pki(Mx2);
        _dns.Mx(Domain, Secure, $"20 {Mx2}.", $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki1.Leaf)).Tlsa(Mx2, Secure, DaneEe(pki2.Leaf));
        _smtp.Tls(Ip1, pki1.Chain()).Tls(Ip2, pki2.Chain());

        var r = await Check();

        Assert.Equal(new[] { Mx1, Mx2 }, r.MxHosts.Select(h => h.HostName));
        Assert.Equal(new[] { 10, 20 }, r.MxHosts.Select(h => h.Preference));
        Assert.Equal(2, r.MxHostCount);
        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal("AllHostsDane", r.ReasonCode);
    }
}
