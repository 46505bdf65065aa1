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
/// One test per row of the DESIGN section 6 decision table and per domain verdict rule, with the expected values taken
/// from that table, RFC 7672 (sections cited per test), RFC 7671 section 9, RFC 7505 and RFC 8460 section 4.3.
/// Offline: fake resolver and prober, certificates generated with BouncyCastle, clock pinned at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class DaneDomainCheckerTests
{
    private const string Domain = "example.com";
    private const string Mx1 = "mx1.example.com";
    private const string Mx2 = "mx2.example.com";
    private const string Ip1 = "192.0.2.1";
    private const string Ip2 = "192.0.2.2";
    private const string Ip6 = "2001:db8::1";

    private readonly FakeValidatedResolver _dns = new();
    private readonly FakeSmtpProber _smtp = new();

    private static DaneCheckOptions Options(bool dnsOnly = false) =>
        new() { ValidationTime = TestPki.Now, HeloName = "client.test", DnsOnly = dnsOnly };

    private Task<DaneDomainResult> Check(DaneCheckOptions? options = null) =>
        new DaneDomainChecker(_dns, _smtp).CheckAsync(Domain, options ?? Options());

    private static string Sha256Hex(byte[] data)
    {
        using var sha = SHA256.Create();
        return Convert.ToHexString(sha.ComputeHash(data));
    }

    private static string Sha512Hex(byte[] data)
    {
        using var sha = SHA512.Create();
        return Convert.ToHexString(sha.ComputeHash(data));
    }

    private static string DaneEe(TestPki.Issued leaf) => "3 1 1 " + Sha256Hex(leaf.Spki);

    private static string DaneTa(TestPki.Issued ca) => "2 0 1 " + Sha256Hex(ca.Der);

    private static TestPki.Hierarchy Pki(params string[] names) => new(new TestPki.Spec
    {
        Subject = "CN=" + names[0],
        DnsNames = names,
    });

    /// <summary>Secure MX with one host (mx1, 192.0.2.1) and the given TLSA records; the host presents the chain.</summary>
    private TestPki.Hierarchy SecureSingleHost(TestPki.Hierarchy? pki = null, Func<TestPki.Hierarchy, string[]>? tlsa = null)
    {
        pki ??= Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, (tlsa ?? (p => new[] { DaneEe(p.Leaf) }))(pki));
        _smtp.Tls(Ip1, pki.Chain());
        return pki;
    }

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

    // ---- STARTTLS rows (DESIGN section 6) ----

    [Fact]
    public async Task CheckAsync_StartTlsMissingWithTlsa_Fail5_7_321()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(Pki(Mx1).Leaf));
        _smtp.Fails(Ip1, SmtpProbeOutcome.StartTlsNotOffered, "the server's EHLO reply does not offer STARTTLS");

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal(DaneHostOutcome.TlsFailure, host.Outcome);
        Assert.Equal(DaneFailureKind.StartTlsNotSupported, host.FailureKind);
        Assert.False(host.Addresses[0].StartTlsOffered);
        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("NoHostCanTakeMail", r.ReasonCode);
        Assert.Equal("5.7.321 starttls-not-supported", r.ExchangeOnlineNdr);
        Assert.Equal("starttls-not-supported", r.TlsRptResultType);
    }

    [Fact]
    public async Task CheckAsync_HandshakeFailsWithTlsa_Fail5_7_321ValidationFailure()
    {
        // Exchange Online folds a failed handshake into 5.7.321; RFC 8460 section 4.3.2.3 calls it validation-failure.
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(Pki(Mx1).Leaf));
        _smtp.Fails(Ip1, SmtpProbeOutcome.TlsHandshakeFailed, "handshake failure");

        var r = await Check();

        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("5.7.321 starttls-not-supported", r.ExchangeOnlineNdr);
        Assert.Equal("validation-failure", r.TlsRptResultType);
    }

    [Fact]
    public async Task CheckAsync_StartTlsMissingWithoutTlsa_NotApplicableOpportunistic()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _smtp.Fails(Ip1, SmtpProbeOutcome.StartTlsNotOffered, "no STARTTLS");

        var r = await Check();

        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
    }

    [Fact]
    public async Task CheckAsync_DaneHostUnreachable_TlsFailureConnectionFailed()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneEe(Pki(Mx1).Leaf));
        _smtp.Fails(Ip1, SmtpProbeOutcome.ConnectionFailed, "connection refused");

        var r = await Check();

        Assert.Equal(DaneHostOutcome.TlsFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneFailureKind.ConnectionFailed, r.FailureKind);
        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.StartsWith("5.4.316", r.ExchangeOnlineNdr);
    }

    // ---- Matching rows: DANE-EE, DANE-TA, names, dates (RFC 7672 sections 3.1.1, 3.2.2, 3.2.3) ----

    [Fact]
    public async Task CheckAsync_ExpiredLeafUnderDaneEe_Pass()
    {
        // RFC 7672 section 3.1.1: with DANE-EE the certificate's validity dates are ignored.
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 },
            NotBefore = TestPki.Now.AddDays(-400), NotAfter = TestPki.Now.AddDays(-10),
        });
        SecureSingleHost(pki);

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(DaneHostOutcome.Authenticated, r.MxHosts[0].Outcome);
    }

    [Fact]
    public async Task CheckAsync_ExpiredLeafUnderDaneTa_Fail5_7_322()
    {
        // DESIGN section 6: DANE-TA checks the validity of certificates below the anchor; expired -> 5.7.322.
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 },
            NotBefore = TestPki.Now.AddDays(-400), NotAfter = TestPki.Now.AddDays(-10),
        });
        SecureSingleHost(pki, p => new[] { DaneTa(p.Intermediate) });

        var r = await Check();

        Assert.Equal(DaneHostOutcome.AuthFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("5.7.322 certificate-expired", r.ExchangeOnlineNdr);
        Assert.Equal("certificate-expired", r.TlsRptResultType);
        Assert.Equal(TlsaMatchOutcome.CertificateExpired, r.MxHosts[0].Addresses[0].MatchOutcome);
    }

    [Fact]
    public async Task CheckAsync_DaneTaLeafNamesOnlyRecipientDomainSecureMx_Pass()
    {
        // RFC 7672 section 3.2.2: with a secure MX the next-hop (recipient) domain is a reference identifier.
        SecureSingleHost(Pki(Domain), p => new[] { DaneTa(p.Intermediate) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(1, r.MxHosts[0].Addresses[0].MatchDepth);
    }

    [Fact]
    public async Task CheckAsync_DaneTaLeafNamesOnlyRecipientDomainInsecureMx_Fail5_7_325ButExchangeOnlineNotApplicable()
    {
        // RFC 7672 section 2.2.1: with an insecure MX only the host's name may be used; the recipient domain is not trusted.
        var pki = Pki(Domain);
        _dns.Mx(Domain, Insecure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneTa(pki.Intermediate));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(DaneHostOutcome.AuthFailure, r.MxHosts[0].Outcome);
        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal(DaneFailureKind.CertificateHostMismatch, r.FailureKind);
        Assert.Equal("certificate-host-mismatch", r.TlsRptResultType);
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DaneTaNameMismatch_Fail5_7_325()
    {
        SecureSingleHost(Pki("other.example.net"), p => new[] { DaneTa(p.Intermediate) });

        var r = await Check();

        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal("5.7.325 certificate-host-mismatch", r.ExchangeOnlineNdr);
        Assert.Equal(TlsaMatchOutcome.NameMismatch, r.MxHosts[0].Addresses[0].MatchOutcome);
    }

    [Fact]
    public async Task CheckAsync_DaneTaLeafNamesExpandedNextHopDomain_Pass()
    {
        // DESIGN section 6: secure MX -> the CNAME-expanded next-hop domain is a reference identifier too.
        var pki = Pki("example.org");
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." },
            new[] { FakeValidatedResolver.Link(Domain, "example.org", Secure) });
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, Secure, DaneTa(pki.Intermediate));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        Assert.Equal(new[] { Mx1, Domain, "example.org" }, r.MxHosts[0].ReferenceIdentifiers);
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_ImplicitMxThroughCname_ReferenceIdentifiersAreBaseAndOriginal()
    {
        // DESIGN section 6: non-MX -> the TLSA base domain and, if that is the expanded next-hop domain, the original one.
        var pki = Pki(Domain);
        _dns.Set(Domain, DnsRecordType.MX, Secure, chain: new[] { FakeValidatedResolver.Link(Domain, "mail.example.net", Secure) });
        _dns.HostVia(Domain, new[] { FakeValidatedResolver.Link(Domain, "mail.example.net", Secure) }, Secure, Ip1);
        _dns.Tlsa("mail.example.net", Secure, DaneTa(pki.Intermediate));
        _smtp.Tls(Ip1, pki.Chain());

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal("mail.example.net", host.TlsaBaseDomain);
        Assert.Equal(new[] { "mail.example.net", Domain }, host.ReferenceIdentifiers);
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_DaneTaAnchorNotPresented_Fail5_7_323()
    {
        // DESIGN section 6 / RFC 7671 section 5.2: a DANE-TA digest record needs the anchor in the presented chain.
        var pki = Pki(Mx1);
        SecureSingleHost(pki, p => new[] { DaneTa(p.Intermediate) });
        _smtp.Tls(Ip1, new[] { pki.Leaf.Der });

        var r = await Check();

        Assert.Equal(DaneHostOutcome.AuthFailure, r.MxHosts[0].Outcome);
        Assert.Equal("5.7.323 tlsa-invalid", r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DaneTaFullCertificateFromDnsNotPresented_Pass()
    {
        // RFC 7671 section 5.2.2: a full "2 0 0" certificate from DNS may serve as the anchor the server did not send.
        var pki = Pki(Mx1);
        SecureSingleHost(pki, p => new[] { "2 0 0 " + Convert.ToHexString(p.Intermediate.Der) });
        _smtp.Tls(Ip1, new[] { pki.Leaf.Der });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(TlsaUsage.DaneTa, r.MxHosts[0].Addresses[0].MatchedRecord!.Usage);
    }

    [Fact]
    public async Task CheckAsync_NoRecordMatches_Fail5_7_323()
    {
        SecureSingleHost(tlsa: _ => new[] { "3 1 1 " + new string('0', 64) });

        var r = await Check();

        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal(DaneFailureKind.TlsaInvalid, r.FailureKind);
        Assert.Equal("5.7.323 tlsa-invalid", r.ExchangeOnlineNdr);
        Assert.Equal("tlsa-invalid", r.TlsRptResultType);
    }

    // ---- Digest agility (RFC 7671 section 9) ----

    [Fact]
    public async Task CheckAsync_DigestAgilityWrongSha512RightSha256_Sha256IgnoredFail()
    {
        // RFC 7671 section 9: per (usage, selector), digests weaker than the strongest present are ignored.
        SecureSingleHost(tlsa: p => new[] { DaneEe(p.Leaf), "3 1 2 " + new string('0', 128) });

        var r = await Check();

        var host = r.MxHosts[0];
        Assert.Single(host.UsableTlsaRecords);
        Assert.Equal(TlsaMatchingType.Sha512, host.UsableTlsaRecords[0].MatchingType);
        Assert.Equal(DaneHostOutcome.AuthFailure, host.Outcome);
        Assert.Equal("5.7.323 tlsa-invalid", r.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task CheckAsync_DigestAgilityRightSha512WrongSha256_Pass()
    {
        SecureSingleHost(tlsa: p => new[] { "3 1 1 " + new string('0', 64), "3 1 2 " + Sha512Hex(p.Leaf.Spki) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(TlsaMatchingType.Sha512, r.MxHosts[0].Addresses[0].MatchedRecord!.MatchingType);
    }

    [Fact]
    public async Task CheckAsync_DigestAgilityFullRecordStays_Pass()
    {
        // RFC 7671 section 9: Full(0) records are always kept.
        SecureSingleHost(tlsa: p => new[] { "3 1 0 " + Convert.ToHexString(p.Leaf.Spki), "3 1 2 " + new string('0', 128) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(TlsaMatchingType.Full, r.MxHosts[0].Addresses[0].MatchedRecord!.MatchingType);
    }

    // ---- Every address (DESIGN sections 3 and 6) ----

    [Fact]
    public async Task CheckAsync_Ipv4GoodIpv6Bad_HostTakesMailDomainDegraded()
    {
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1, Ip6);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain()).Tls(Ip6, Pki(Mx1).Chain());

        var r = await Check();

        var host = Assert.Single(r.MxHosts);
        Assert.Equal(new[] { Ip1, Ip6 }, _smtp.Calls.Select(c => c.Address).OrderBy(a => a.Length));
        Assert.All(_smtp.Calls, c => Assert.Equal(Mx1, c.ServerName));
        Assert.Equal(new[] { "IPv4", "IPv6" }, host.Addresses.Select(a => a.AddressFamily));
        Assert.Equal(DaneHostOutcome.Authenticated, host.Addresses[0].Outcome);
        Assert.Equal(DaneHostOutcome.AuthFailure, host.Addresses[1].Outcome);
        Assert.Equal(string.Empty, host.Addresses[0].TlsRptResultType);
        Assert.Equal("tlsa-invalid", host.Addresses[1].TlsRptResultType);
        // Every address is a separate attempt (RFC 7672 2.2): the host takes mail through IPv4, but a sender that
        // reaches IPv6 fails, so the domain is Degraded with the address's TLS-RPT result, and no NDR is predicted.
        Assert.Equal(DaneHostOutcome.Authenticated, host.Outcome);
        Assert.Contains(Ip6, host.Reason);
        Assert.Equal(DaneStatus.Degraded, r.Status);
        Assert.Equal("tlsa-invalid", r.TlsRptResultType);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
    }

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

    // ---- Warnings ----

    [Fact]
    public async Task CheckAsync_RrsigExpiringWithinWindow_Warning()
    {
        SecureSingleHost();
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." }, expires: TestPki.Now.AddDays(3),
            warnings: new[] { "the zone example.com uses algorithm 5 (RSA/SHA-1), deprecated by RFC 9905" });

        var r = await Check();

        Assert.Contains(r.Warnings, w => w.StartsWith("example.com MX: an RRSIG on the validation path expires at 2026-06-04", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Contains("RSA/SHA-1"));
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_SameWarningOnSeveralLookups_ReportedOnce()
    {
        SecureSingleHost();
        const string sha1 = "example.com.: signed with algorithm 5 (RSA/SHA-1), deprecated by RFC 9905.";
        var soon = TestPki.Now.AddDays(2);
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." }, expires: soon, warnings: new[] { sha1 });
        _dns.Set(Mx1, DnsRecordType.A, Secure, new[] { Ip1 }, expires: soon, warnings: new[] { sha1 });

        var r = await Check();

        Assert.Single(r.Warnings, w => w == sha1);
        Assert.Single(r.Warnings, w => w.Contains("RRSIG"));
    }

    [Fact]
    public async Task CheckAsync_RrsigExpiringOutsideWindow_NoWarning()
    {
        SecureSingleHost();
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." }, expires: TestPki.Now.AddDays(30));

        var r = await Check();

        Assert.DoesNotContain(r.Warnings, w => w.Contains("RRSIG"));
    }

    [Fact]
    public async Task CheckAsync_CertificateExpiringUnderDaneTa_Warning()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 },
            NotBefore = TestPki.Now.AddDays(-80), NotAfter = TestPki.Now.AddDays(5),
        });
        SecureSingleHost(pki, p => new[] { DaneTa(p.Intermediate), DaneTa(p.Root) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Contains(r.Warnings, w => w.Contains("certificate 0 (CN=mx1.example.com) expires"));
    }

    [Fact]
    public async Task CheckAsync_CertificateExpiringUnderDaneEe_WarningWithoutFailure()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 },
            NotBefore = TestPki.Now.AddDays(-80), NotAfter = TestPki.Now.AddDays(10),
        });
        SecureSingleHost(pki);

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Contains(r.Warnings, w => w.Contains("certificate 0 (CN=mx1.example.com) expires") && w.Contains("DANE-EE ignores the date"));
    }

    [Fact]
    public async Task CheckAsync_CertificateExpiringAfterWindow_NoWarning()
    {
        SecureSingleHost(); // the leaf is valid for 60 more days

        var r = await Check();

        Assert.DoesNotContain(r.Warnings, w => w.Contains("certificate 0"));
    }

    [Fact]
    public async Task CheckAsync_SingleUsableTlsaRecord_NextKeyWarning()
    {
        // RFC 7671 section 8.1: publish the next key's record before a rollover.
        SecureSingleHost();

        var r = await Check();

        Assert.Contains(r.Warnings, w => w.Contains("single usable record"));
    }

    [Fact]
    public async Task CheckAsync_TwoUsableRecordsBothForCurrentKey_NextKeyWarning()
    {
        // 3 1 1 and 3 0 1 of the same leaf: two records, but nothing for a next key (RFC 7671 section 8.1).
        SecureSingleHost(tlsa: p => new[] { DaneEe(p.Leaf), "3 0 1 " + Sha256Hex(p.Leaf.Der) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Contains(r.Warnings, w => w.Contains("every usable TLSA record") && w.Contains("next key"));
    }

    [Fact]
    public async Task CheckAsync_TwoUsableTlsaRecords_NoNextKeyWarning()
    {
        SecureSingleHost(tlsa: p => new[] { DaneEe(p.Leaf), "3 1 1 " + Sha256Hex(TestPki.Issue(new TestPki.Spec()).Spki) });

        var r = await Check();

        Assert.DoesNotContain(r.Warnings, w => w.Contains("next key"));
    }

    [Fact]
    public async Task CheckAsync_InsecureMxBogusTlsa_DeferredButExchangeOnlineNotApplicable()
    {
        // RFC 7672 section 2.2.3: a failed TLSA lookup makes the host unusable; Exchange Online never asks for TLSA after an
        // insecure MX (EXCHANGE.md section 1.1), so it delivers opportunistically.
        _dns.Mx(Domain, Insecure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Bogus);

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].ExchangeOnlineOutcome);
    }

    [Fact]
    public async Task CheckAsync_NullMxMixedWithOtherMx_NullMxIgnoredWithWarning()
    {
        // RFC 7505 section 3: a domain that advertises a null MX must not advertise any other MX RR.
        SecureSingleHost();
        _dns.Mx(Domain, Secure, "0 .", $"10 {Mx1}.");

        var r = await Check();

        Assert.Equal(DaneMxKind.Mx, r.MxKind);
        Assert.Equal(new[] { Mx1 }, r.MxHosts.Select(h => h.HostName));
        Assert.Contains(r.Warnings, w => w.Contains("null MX"));
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_ThrottleLimitOne_ProbesOneAtATime()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1, Ip6).Host(Mx2, Secure, Ip2);
        var prober = new ConcurrencyProber();
        var options = Options();
        options.ThrottleLimit = 1;

        var r = await new DaneDomainChecker(_dns, prober).CheckAsync(Domain, options);

        Assert.Equal(3, prober.Calls);
        Assert.Equal(1, prober.MaxConcurrent);
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
    }

    [Fact]
    public async Task CheckAsync_Cancelled_ThrowsOperationCanceled()
    {
        SecureSingleHost();
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DaneDomainChecker(_dns, _smtp).CheckAsync(Domain, Options(), cts.Token));
    }

    [Theory]
    [InlineData(0, 14, 30, 8)]
    [InlineData(65536, 14, 30, 8)]
    [InlineData(25, -1, 30, 8)]
    [InlineData(25, 14, 0, 8)]
    [InlineData(25, 14, 30, 0)]
    public async Task CheckAsync_OptionOutOfRange_ThrowsArgumentOutOfRange(int port, int days, int timeout, int throttle)
    {
        var options = new DaneCheckOptions { SmtpPort = port, ExpiryWarningDays = days, TimeoutSeconds = timeout, ThrottleLimit = throttle };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new DaneDomainChecker(_dns, _smtp).CheckAsync(Domain, options));
    }

    private sealed class ConcurrencyProber : ISmtpProber
    {
        private int _current;
        private int _max;
        private int _calls;

        public int MaxConcurrent => _max;

        public int Calls => _calls;

        public async Task<SmtpProbeResult> ProbeAsync(System.Net.IPAddress address, string serverName, SmtpProbeOptions options, System.Threading.CancellationToken cancellationToken = default)
        {
            System.Threading.Interlocked.Increment(ref _calls);
            int now = System.Threading.Interlocked.Increment(ref _current);
            int seen;
            while ((seen = _max) < now && System.Threading.Interlocked.CompareExchange(ref _max, now, seen) != seen) { }
            await Task.Delay(30, cancellationToken);
            System.Threading.Interlocked.Decrement(ref _current);
            return await new FakeSmtpProber().ProbeAsync(address, serverName, options, cancellationToken);
        }
    }

    [Fact]
    public async Task CheckAsync_Trace_OneLinePerDecisionWithDomainAndPhase()
    {
        // DESIGN section 3: -Verbose prints one line per decision: <domain>: <phase>: <fact>.
        SecureSingleHost();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();

        await new DaneDomainChecker(_dns, _smtp, lines.Enqueue).CheckAsync(Domain, Options());

        Assert.All(lines, l => Assert.StartsWith("example.com: ", l));
        Assert.Contains("example.com: Resolve: example.com MX: Secure 1 record(s)", lines);
        Assert.Contains(lines, l => l.StartsWith("example.com: TLSA: _25._tcp.mx1.example.com TLSA: Secure 1 record(s)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("example.com: STARTTLS: mx1.example.com [192.0.2.1] SNI mx1.example.com: TlsEstablished", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("example.com: Match: mx1.example.com [192.0.2.1]: Authenticated", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("example.com: Match: mx1.example.com: Authenticated", StringComparison.Ordinal));
    }

    // ---- Options and arguments ----

    [Fact]
    public async Task CheckAsync_SmtpPort_UsedInTlsaNameAndProbe()
    {
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_2525._tcp." + Mx1, DnsRecordType.TLSA, Secure, new[] { DaneEe(pki.Leaf) });
        _smtp.Tls(Ip1, pki.Chain());
        var options = Options();
        options.SmtpPort = 2525;

        var r = await Check(options);

        Assert.Equal(DaneStatus.Pass, r.Status);
        var call = _smtp.Calls.Single();
        Assert.Equal(2525, call.Port);
        Assert.Equal("client.test", call.HeloName);
        Assert.Equal(2525, r.MxHosts[0].Addresses[0].Port);
    }

    [Fact]
    public async Task CheckAsync_Result_SerializesToJsonWithStatusNames()
    {
        SecureSingleHost();

        var r = await Check();
        var json = System.Text.Json.JsonSerializer.Serialize(r);

        Assert.Contains("\"DomainName\":\"example.com\"", json);
        Assert.Contains("\"StatusText\":\"Pass\"", json);
        Assert.Contains("\"ExchangeOnlineStatusText\":\"Pass\"", json);
        Assert.Contains("\"OutcomeText\":\"Authenticated\"", json);
        Assert.Contains("\"SpkiSha256\":", json);
        Assert.Contains("\"ValidationTimeUtc\":\"2026-06-01T12:00:00Z\"", json);
    }

    [Fact]
    public void ResultTypes_PublicProperties_OnlyBclAndDaneToolsTypes()
    {
        // DESIGN section 10 / STYLE section 6.1: no third-party type on an output surface; no resolver reference.
        var seen = new System.Collections.Generic.HashSet<Type>();
        void Walk(Type t)
        {
            if (!seen.Add(t)) return;
            if (t.IsGenericType) { foreach (var a in t.GetGenericArguments()) Walk(a); return; }
            if (t.IsArray) { Walk(t.GetElementType()!); return; }
            var ns = t.Namespace ?? string.Empty;
            Assert.True(ns == "System" || ns.StartsWith("DaneTools.Core", StringComparison.Ordinal), $"{t.FullName} is exposed by a result type");
            Assert.False(typeof(IValidatedResolver).IsAssignableFrom(t) || typeof(ISmtpProber).IsAssignableFrom(t), $"{t} leaks a service");
            if (ns.StartsWith("DaneTools.Core", StringComparison.Ordinal) && !t.IsEnum)
                foreach (var p in t.GetProperties()) Walk(p.PropertyType);
        }

        Walk(typeof(DaneDomainResult));

        Assert.Contains(typeof(DaneAddressResult), seen);
        Assert.Contains(typeof(PresentedCertificate), seen);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    public async Task CheckAsync_InvalidDomain_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new DaneDomainChecker(_dns, _smtp).CheckAsync(name, Options()));
    }

    [Fact]
    public async Task CheckAsync_Result_ExposesDomainNameWithoutTrailingDot()
    {
        SecureSingleHost();

        var r = await new DaneDomainChecker(_dns, _smtp).CheckAsync("Example.COM.", Options());

        Assert.Equal(Domain, r.DomainName);
        Assert.Equal(Domain, r.MxHosts[0].DomainName);
        Assert.Equal(TestPki.Now, r.ValidationTimeUtc);
        Assert.Equal(DateTimeKind.Utc, r.ValidationTimeUtc.Kind);
    }
}
