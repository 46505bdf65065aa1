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
/// The host DNS step (DaneDomainChecker.Host.cs): address, TLSA base domain and TLSA outcome rows of DESIGN section 6.
/// One test per row of the DESIGN section 6 decision table and per domain verdict rule, with the expected values taken
/// from that table, RFC 7672 (sections cited per test), RFC 7671 section 9, RFC 7505 and RFC 8460 section 4.3.
/// Offline: fake resolver and prober, certificates generated with BouncyCastle, clock pinned at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class DaneDomainCheckerHostDnsTests : DaneDomainCheckerTestBase
{
    // ---- A/AAAA rows (DESIGN section 6; RFC 7672 sections 2.2.2, 2.2.3) ----

    [Fact]
    public async Task CheckAsync_InsecureAddresses_TlsaNotLookedUpNoDane()
    {
        // DESIGN section 6: insecure (whole chain) addresses -> do not look up TLSA; opportunistic TLS.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Insecure, Ip1);
        _smtp.Tls(Ip1, Pki(Mx1).Chain());

        var r = await Check();

        Assert.False(_dns.WasQueried("_25._tcp.mx1.example.com", DnsRecordType.TLSA));
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
        Assert.Equal("NoDane", r.ReasonCode);
        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.NoDane, host.Outcome);
        Assert.Equal(DaneRequirement.None, host.Requirement);
        Assert.Equal(string.Empty, host.TlsaBaseDomain);
        Assert.Empty(host.TlsaLookups);
        // Every address is still probed, with SNI = the MX host name when there is no TLSA base domain.
        Assert.Equal((Ip1, Mx1), _smtp.Calls.Select(c => (c.Address, c.ServerName)).Single());
    }

    [Fact]
    public async Task CheckAsync_CnameFirstLinkSecureFinalInsecure_TlsaAtOriginalNameOnly()
    {
        // RFC 7672 section 2.2.2 (DESIGN section 6): a CNAME chain whose first link is secure but whose final addresses are
        // insecure -> TLSA at the original MX name only.
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Secure) }, Insecure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));
        _dns.Tlsa("mx.provider.net", Secure, "3 1 1 " + new string('0', 64));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.False(_dns.WasQueried("_25._tcp.mx.provider.net", DnsRecordType.TLSA));
        var host = Assert.Single(r.MxHosts);
        Assert.Equal(Mx1, host.TlsaBaseDomain);
        Assert.Equal("mx.provider.net", host.ExpandedHostName);
        Assert.Equal(Insecure, host.AddressStatus);
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
        Assert.Equal(DaneStatus.Pass, r.Status);
        // Exchange Online looks for TLSA only when the addresses are authentic.
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
    }

    [Fact]
    public async Task CheckAsync_InsecureCnameFirstLink_NoTlsaLookup()
    {
        // RFC 7672 section 2.2.2: if the first link of the chain is insecure, nothing about the host is trusted.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Insecure) }, Insecure, Ip1);
        _smtp.Tls(Ip1, Pki(Mx1).Chain());

        var r = await Check();

        Assert.DoesNotContain(_dns.Queries, q => q.Type == DnsRecordType.TLSA);
        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].Outcome);
    }

    [Fact]
    public async Task CheckAsync_BogusAddress_HostUnusableDeferred5_7_324()
    {
        // DESIGN section 6: bogus A/AAAA -> host unusable; every host DnsFailure -> Deferred; 5.7.324 for bogus data.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Set(Mx1, DnsRecordType.A, Bogus);

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.DnsFailure, host.Outcome);
        Assert.Equal(DaneRequirement.HostUnusable, host.Requirement);
        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("AllHostsDnsFailure", r.ReasonCode);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
        Assert.Empty(_smtp.Calls);
    }

    [Fact]
    public async Task CheckAsync_AddressLookupTimeout_HostUnusableDeferred5_4_312()
    {
        // DESIGN section 6: indeterminate addresses -> host unusable; without proof of bogus data the code is 5.4.312.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set(Mx1, DnsRecordType.AAAA, Indeterminate);

        var r = await Check();

        Assert.Equal(DaneHostOutcome.DnsFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("5.4.312 DNS query failed", r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_MxHostWithoutAddresses_HostNotFound()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Set(Mx1, DnsRecordType.A, Secure, nx: true);
        _dns.Set(Mx1, DnsRecordType.AAAA, Secure, nx: true);

        var r = await Check();

        Assert.Equal(DaneFailureKind.HostNotFound, r.MxHosts[0].FailureKind);
        // A securely denied MX host is a permanent failure (Postfix bounces it 5.4.4): Fail, not Deferred.
        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("NoMxHostExists", r.ReasonCode);
        Assert.StartsWith("5.4.4 ", r.ExchangeOnlineNdr);
        Assert.Equal(string.Empty, r.TlsRptResultType);
    }

    [Fact]
    public async Task CheckAsync_OneHostMissingOneHostBogus_DeferredOnTheBogusHostsNdr()
    {
        // The missing host bounces, but the bogus one may clear on a retry: the domain is deferred and the final NDR
        // is that of the host the retries are for (5.7.324), not the missing host's 5.4.4.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Set(Mx1, DnsRecordType.A, Secure, nx: true);
        _dns.Set(Mx1, DnsRecordType.AAAA, Secure, nx: true);
        _dns.Set(Mx2, DnsRecordType.A, Bogus);

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("AllHostsDnsFailure", r.ReasonCode);
        Assert.Contains(Mx2, r.Reason);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
        Assert.Equal("dnssec-invalid", r.TlsRptResultType);
    }

    // The whole host outcome table (DESIGN section 6): for one MX host failing each way, the domain status, the NDR and
    // the TLS-RPT result type agree: Deferred exactly when a retry may succeed after a DNS failure; a permanent failure
    // (5.4.4) never reads Deferred; a failure with a TLS-RPT result type is never NoMail.
    [Theory]
    [InlineData("address-bogus", DaneHostOutcome.DnsFailure, DaneStatus.Deferred, "5.7.324 dnssec-invalid", "dnssec-invalid")]
    [InlineData("address-timeout", DaneHostOutcome.DnsFailure, DaneStatus.Deferred, "5.4.312 DNS query failed", "dnssec-invalid")]
    [InlineData("host-nxdomain", DaneHostOutcome.DnsFailure, DaneStatus.Fail, "5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", "")]
    [InlineData("host-no-address", DaneHostOutcome.DnsFailure, DaneStatus.Fail, "5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", "")]
    [InlineData("tlsa-bogus", DaneHostOutcome.DnsFailure, DaneStatus.Deferred, "5.7.324 dnssec-invalid", "dnssec-invalid")]
    [InlineData("tlsa-timeout", DaneHostOutcome.DnsFailure, DaneStatus.Deferred, "5.7.324 dnssec-invalid", "dnssec-invalid")]
    [InlineData("no-starttls", DaneHostOutcome.TlsFailure, DaneStatus.Fail, "5.7.321 starttls-not-supported", "starttls-not-supported")]
    [InlineData("handshake-failed", DaneHostOutcome.TlsFailure, DaneStatus.Fail, "5.7.321 starttls-not-supported", "validation-failure")]
    [InlineData("no-match", DaneHostOutcome.AuthFailure, DaneStatus.Fail, "5.7.323 tlsa-invalid", "tlsa-invalid")]
    [InlineData("authenticated", DaneHostOutcome.Authenticated, DaneStatus.Pass, "", "")]
    [InlineData("no-tlsa", DaneHostOutcome.NoDane, DaneStatus.NotApplicable, "", "")]
    public async Task CheckAsync_HostOutcomeTable_StatusNdrAndTlsRptAgree(string scenario, DaneHostOutcome outcome, DaneStatus status, string ndr, string tlsRpt)
    {
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain());
        switch (scenario)
        {
            case "address-bogus": _dns.Set(Mx1, DnsRecordType.A, Bogus); break;
            case "address-timeout": _dns.Set(Mx1, DnsRecordType.A, Indeterminate); break;
            case "host-nxdomain": _dns.Set(Mx1, DnsRecordType.A, Secure, nx: true); _dns.Set(Mx1, DnsRecordType.AAAA, Secure, nx: true); break;
            case "host-no-address": _dns.Set(Mx1, DnsRecordType.A, Secure); _dns.Set(Mx1, DnsRecordType.AAAA, Secure); break;
            case "tlsa-bogus": _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Bogus); break;
            case "tlsa-timeout": _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Indeterminate); break;
            case "no-starttls": _smtp.Fails(Ip1, SmtpProbeOutcome.StartTlsNotOffered, "no STARTTLS"); break;
            case "handshake-failed": _smtp.Fails(Ip1, SmtpProbeOutcome.TlsHandshakeFailed, "handshake failed"); break;
            case "no-match": _dns.Tlsa(Mx1, Secure, "3 1 1 " + new string('A', 64)); break;
            case "no-tlsa": _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Secure, nx: true); break;
        }

        var r = await Check();

        Assert.Equal(outcome, r.MxHosts[0].Outcome);
        Assert.Equal(status, r.Status);
        Assert.Equal(ndr, r.ExchangeOnlineNdr);
        Assert.Equal(tlsRpt, r.TlsRptResultType);
        Assert.Equal(r.Status == DaneStatus.Deferred, r.FailureKind is DaneFailureKind.DnssecInvalid or DaneFailureKind.DnsQueryFailed);
        Assert.False(r.Status == DaneStatus.Deferred && DaneFailureCodes.IsPermanent(r.FailureKind), "a permanent failure reads Deferred");
    }

    // ---- TLSA base domain rows (RFC 7672 section 2.2.3) ----

    [Fact]
    public async Task CheckAsync_SecureCnameTlsaOnlyAtTarget_BaseDomainIsExpandedNameAndSniFollows()
    {
        // DESIGN section 6: secure CNAME chain -> fully expanded name first; SNI = TLSA base domain (RFC 7672 section 8.1).
        var pki = Pki("mx.provider.net");
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Secure) }, Secure, Ip1);
        _dns.Tlsa("mx.provider.net", Secure, DaneTa(pki.Intermediate));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal("mx.provider.net", host.TlsaBaseDomain);
        Assert.Equal("mx.provider.net", _smtp.Calls.Single().ServerName);
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
        Assert.Equal(new[] { "mx.provider.net", Domain }, host.ReferenceIdentifiers);
        Assert.Single(host.TlsaLookups);
        Assert.False(_dns.WasQueried("_25._tcp.mx1.example.com", DnsRecordType.TLSA));
    }

    [Fact]
    public async Task CheckAsync_SecureCnameTlsaOnlyAtOriginalName_BaseDomainIsOriginal()
    {
        // RFC 7672 section 2.2.3: if TLSA at the expanded name is absent, the original MX name is tried.
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Secure) }, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal(Mx1, host.TlsaBaseDomain);
        Assert.Equal(Mx1, _smtp.Calls.Single().ServerName);
        Assert.Equal(new[] { "_25._tcp.mx.provider.net", "_25._tcp.mx1.example.com" }, host.TlsaLookups.Select(l => l.QueryName));
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
    }

    [Fact]
    public async Task CheckAsync_SecureCnameInsecureTlsaAtTarget_FallsBackToOriginalName()
    {
        // DESIGN section 6: "if TLSA there is absent or insecure, the original MX name".
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Secure) }, Secure, Ip1);
        _dns.Tlsa("mx.provider.net", Insecure, "3 1 1 " + new string('1', 64));
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(Mx1, r.MxHosts[0].TlsaBaseDomain);
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_SecureCnameTlsaFailsAtTarget_HostUnusableWithoutTryingOriginal()
    {
        // DESIGN section 6: a lookup failure at the expanded name makes the host unusable (no fallback, no downgrade).
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Secure) }, Secure, Ip1);
        _dns.Set("_25._tcp.mx.provider.net", DnsRecordType.TLSA, Indeterminate);

        var r = await Check();

        Assert.False(_dns.WasQueried("_25._tcp.mx1.example.com", DnsRecordType.TLSA));
        Assert.Equal(DaneHostOutcome.DnsFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_CnameAtTlsaName_DoesNotChangeBaseDomain()
    {
        // DESIGN section 6: a CNAME at _25._tcp.<host> itself does not change the base domain (nor the SNI).
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Secure, new[] { DaneEe(pki.Leaf) },
            new[] { FakeValidatedResolver.Link("_25._tcp." + Mx1, "_25._tcp.tlsa.provider.net", Secure) });
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(Mx1, r.MxHosts[0].TlsaBaseDomain);
        Assert.Equal(Mx1, _smtp.Calls.Single().ServerName);
        Assert.Equal(DaneHostOutcome.Authenticated, r.MxHosts[0].Outcome);
    }

    // ---- TLSA outcome rows (DESIGN section 6; RFC 7672 section 2.2) ----

    [Fact]
    public async Task CheckAsync_SecureTlsaNoneUsablePkixOnly_TlsOnlyPass()
    {
        // DESIGN section 6: secure, none usable (PKIX-TA/EE) -> TLS mandatory, no authentication (RFC 7672 section 3.1.3).
        SecureSingleHost(tlsa: p => new[] { "1 1 1 " + Sha256Hex(p.Leaf.Spki), "0 0 1 " + Sha256Hex(p.Root.Der) });

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneRequirement.TlsMandatory, host.Requirement);
        Assert.Equal(DaneHostOutcome.TlsOnly, host.Outcome);
        Assert.Empty(host.UsableTlsaRecords);
        Assert.Equal(2, host.UnusableTlsaRecords.Count);
        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(DaneStatus.Pass, r.ExchangeOnlineStatus);
    }

    [Fact]
    public async Task CheckAsync_SecureTlsaNoneUsableStartTlsMissing_TlsFailure5_7_321()
    {
        // DESIGN section 6: with a secure TLSA RRset TLS is mandatory even when no record is usable.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, "1 1 1 " + new string('A', 64));
        _smtp.Fails(Ip1, SmtpProbeOutcome.StartTlsNotOffered, "no STARTTLS");

        var r = await Check();

        Assert.Equal(DaneHostOutcome.TlsFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("5.7.321 starttls-not-supported", r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_SecureTlsaOnlyMalformedRecords_TlsMandatory()
    {
        // RFC 7671 section 4.1 / DESIGN section 6: malformed records are unusable; the secure RRset still makes TLS mandatory.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Secure, new[] { "\\# 2 0301" });
        _smtp.Tls(Ip1, Pki(Mx1).Chain());

        var r = await Check();

        Assert.Equal(DaneRequirement.TlsMandatory, r.MxHosts[0].Requirement);
        Assert.Equal(DaneHostOutcome.TlsOnly, r.MxHosts[0].Outcome);
        Assert.Contains(r.Warnings, w => w.Contains("shorter than 3 octets"));
    }

    [Fact]
    public async Task CheckAsync_SecureTlsaNoData_NoDaneNotApplicable()
    {
        // DESIGN section 6: secure NXDOMAIN/NODATA at the TLSA name -> no DANE for this host.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _smtp.Tls(Ip1, Pki(Mx1).Chain());

        var r = await Check();

        Assert.True(_dns.WasQueried("_25._tcp.mx1.example.com", DnsRecordType.TLSA));
        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        Assert.Equal("no-policy-found", r.TlsRptPolicyType);
        Assert.Equal(Secure, r.MxHosts[0].TlsaStatus);
    }

    [Fact]
    public async Task CheckAsync_SecureTlsaNxDomain_NoDane()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Secure, nx: true);
        _smtp.Tls(Ip1, Pki(Mx1).Chain());

        var r = await Check();

        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
    }

    [Fact]
    public async Task CheckAsync_InsecureTlsa_NoDane()
    {
        // DESIGN section 6: insecure TLSA -> no DANE for this host, even if the records would match.
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Insecure, "3 1 1 " + new string('0', 64));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
        Assert.Empty(r.MxHosts[0].TlsaRecords);
    }

    [Fact]
    public async Task CheckAsync_TlsaServfailSingleMx_Deferred5_7_324()
    {
        // DESIGN section 6: bogus/SERVFAIL/timeout TLSA -> host unusable, never downgrade; no other MX -> defer (5.7.324).
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Indeterminate);

        var r = await Check();

        Assert.Equal(DaneHostOutcome.DnsFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("5.7.324 dnssec-invalid", r.ExchangeOnlineNdr);
        Assert.Equal("dnssec-invalid", r.TlsRptResultType);
        Assert.Empty(_smtp.Calls);
    }

    [Fact]
    public async Task CheckAsync_TlsaServfailWithSecondGoodMx_DegradedNeverDowngrade()
    {
        // DESIGN section 6: the failed host is unusable (try the next MX); one host can take mail, another failed -> Degraded.
        var pki2 = Pki(Mx2);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1).Host(Mx2, Secure, Ip2);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Bogus);
        _dns.Tlsa(Mx2, Secure, DaneEe(pki2.Leaf));
        _smtp.Tls(Ip1, Pki(Mx1).Chain()).Tls(Ip2, pki2.Chain());

        var r = await Check();

        Assert.Equal(DaneHostOutcome.DnsFailure, r.MxHosts[0].Outcome);
        Assert.Empty(r.MxHosts[0].Addresses);
        Assert.Equal(DaneHostOutcome.Authenticated, r.MxHosts[1].Outcome);
        Assert.DoesNotContain(_smtp.Calls, c => c.Address == Ip1);
        Assert.Equal(DaneStatus.Degraded, r.Status);
        Assert.Equal("SomeHostsFailed", r.ReasonCode);
        Assert.Equal(DaneStatus.Degraded, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        Assert.Equal("dnssec-invalid", r.TlsRptResultType);
    }
}
