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
/// The address step (DaneDomainChecker.Address.cs): STARTTLS, matching, digest agility and every-address rows of DESIGN section 6.
/// One test per row of the DESIGN section 6 decision table and per domain verdict rule, with the expected values taken
/// from that table, RFC 7672 (sections cited per test), RFC 7671 section 9, RFC 7505 and RFC 8460 section 4.3.
/// Offline: fake resolver and prober, certificates generated with BouncyCastle, clock pinned at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class DaneDomainCheckerAddressTests : DaneDomainCheckerTestBase
{
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
}
