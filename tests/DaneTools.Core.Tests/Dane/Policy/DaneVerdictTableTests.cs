using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Smtp;
using Xunit;
using static DaneTools.Core.Dane.DaneHostOutcome;
using VerdictHost = DaneTools.Core.Dane.DaneVerdictTable.VerdictHost;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// The verdict rules without DNS or SMTP: one test per row of DESIGN section 6 (the RFC 7672 procedure table and the
/// domain verdict list), expected values from that table and the RFC 7672 section it cites.
/// </summary>
public sealed class DaneVerdictTableTests
{
    private static readonly DnsName Host = DnsName.Parse("mx1.example.com.");
    private static readonly DnsName Target = DnsName.Parse("mx.provider.example.");

    private static VerdictHost H(DaneHostOutcome outcome, bool permanent = false) => new(outcome, "mx", "why", permanent);

    private static DaneStatus Domain(bool dnsOnly, params VerdictHost[] hosts) => DaneVerdictTable.ForDomain(hosts, dnsOnly).Status;

    private static DaneAddressResult Address(string ip, DaneHostOutcome outcome, DaneFailureKind kind = DaneFailureKind.None) =>
        new("example.com", "mx1.example.com", ip, "IPv4", 25, "mx1.example.com", null, Array.Empty<PresentedCertificate>(), null, outcome, kind, "reason.");

    // ---- MX lookup rows (RFC 7672 section 2.2.1, RFC 7505) ----

    [Fact]
    public void Mx_Bogus_DeferredDnssecInvalid()
    {
        var d = DaneVerdictTable.ForMx(DnssecStatus.Bogus, false, false, "example.com", "x")!.Value;
        Assert.Equal((DaneStatus.Deferred, "MxBogus", DaneFailureKind.DnssecInvalid, DaneMxKind.LookupFailed), (d.Status, d.Code, d.Failure, d.MxKind));
    }

    [Fact]
    public void Mx_IndeterminateServfail_DeferredDnsQueryFailed()
    {
        var d = DaneVerdictTable.ForMx(DnssecStatus.Indeterminate, false, false, "example.com", "x")!.Value;
        Assert.Equal((DaneStatus.Deferred, DaneFailureKind.DnsQueryFailed), (d.Status, d.Failure));
    }

    [Fact]
    public void Mx_NxDomain_NoMailDomainDoesNotExist()
    {
        var d = DaneVerdictTable.ForMx(DnssecStatus.Secure, true, false, "example.com", "x")!.Value;
        Assert.Equal((DaneStatus.NoMail, "DomainDoesNotExist", DaneMxKind.DomainDoesNotExist), (d.Status, d.Code, d.MxKind));
    }

    [Fact]
    public void Mx_NullMx_NoMailNullMx()
    {
        var d = DaneVerdictTable.ForMx(DnssecStatus.Secure, false, true, "example.com", "x")!.Value;
        Assert.Equal((DaneStatus.NoMail, DaneFailureKind.NullMx, DaneMxKind.NullMx), (d.Status, d.Failure, d.MxKind));
    }

    [Theory]
    [InlineData(DnssecStatus.Secure)]
    [InlineData(DnssecStatus.Insecure)]
    public void Mx_SecureOrInsecureWithHosts_GoesOnToTheHosts(DnssecStatus status) =>
        Assert.Null(DaneVerdictTable.ForMx(status, false, false, "example.com", "x"));

    // ---- A/AAAA of the MX host and the TLSA base domain (RFC 7672 sections 2.2, 2.2.2, 2.2.3) ----

    [Theory]
    [InlineData(DnssecStatus.Bogus, DaneFailureKind.DnssecInvalid)]
    [InlineData(DnssecStatus.Indeterminate, DaneFailureKind.DnsQueryFailed)]
    public void Addresses_BogusOrFailed_HostUnusable(DnssecStatus status, DaneFailureKind kind) =>
        Assert.Equal(kind, DaneVerdictTable.ForAddressLookup(status));

    [Theory]
    [InlineData(DnssecStatus.Secure)]
    [InlineData(DnssecStatus.Insecure)]
    public void Addresses_SecureOrInsecure_Usable(DnssecStatus status) => Assert.Null(DaneVerdictTable.ForAddressLookup(status));

    [Fact]
    public void TlsaBase_SecureWholeChain_ExpandedNameFirstThenOriginal()
    {
        var chain = new[] { new CnameLink(Host, Target, DnssecStatus.Secure) };
        var candidates = DaneVerdictTable.TlsaCandidates(DnssecStatus.Secure, chain, Host, Target, out _);
        Assert.Equal(new[] { Target, Host }, candidates);
    }

    [Fact]
    public void TlsaBase_SecureWithoutCname_HostOnly()
    {
        Assert.Equal(new[] { Host }, DaneVerdictTable.TlsaCandidates(DnssecStatus.Secure, Array.Empty<CnameLink>(), Host, Host, out _));
    }

    [Fact]
    public void TlsaBase_FirstLinkSecureFinalInsecure_OriginalNameOnly()
    {
        var chain = new[] { new CnameLink(Host, Target, DnssecStatus.Secure) };
        var candidates = DaneVerdictTable.TlsaCandidates(DnssecStatus.Insecure, chain, Host, Target, out var why);
        Assert.Equal(new[] { Host }, candidates);
        Assert.Contains("2.2.2", why);
    }

    [Fact]
    public void TlsaBase_InsecureAddresses_NoTlsaLookup()
    {
        var chain = new[] { new CnameLink(Host, Target, DnssecStatus.Insecure) };
        Assert.Empty(DaneVerdictTable.TlsaCandidates(DnssecStatus.Insecure, chain, Host, Target, out var why));
        Assert.Contains("insecure", why);
    }

    [Fact]
    public void TlsaAnswer_SecureWithRecords_IsTheBaseDomain()
    {
        var rr = ResourceRecord.Parse("_25._tcp.mx1.example.com. 300 IN TLSA 3 1 1 " + new string('A', 64));
        var answer = new ValidatedAnswer(rr.Owner, DnsRecordType.TLSA, DnssecStatus.Secure, null, new[] { rr });
        Assert.True(DaneVerdictTable.IsTlsaBase(answer));
    }

    [Theory]
    [InlineData(DnssecStatus.Insecure, false, false)]
    [InlineData(DnssecStatus.Secure, true, false)]
    [InlineData(DnssecStatus.Secure, false, true)]
    public void TlsaAnswer_InsecureOrProvenAbsent_NotTheBaseDomain(DnssecStatus status, bool nx, bool nodata)
    {
        var name = DnsName.Parse("_25._tcp.mx1.example.com.");
        var records = status == DnssecStatus.Insecure
            ? new[] { ResourceRecord.Parse("_25._tcp.mx1.example.com. 300 IN TLSA 3 1 1 " + new string('A', 64)) }
            : Array.Empty<ResourceRecord>();
        Assert.False(DaneVerdictTable.IsTlsaBase(new ValidatedAnswer(name, DnsRecordType.TLSA, status, null, records, isNxDomain: nx, isNoData: nodata)));
    }

    // ---- TLSA at _25._tcp.<base> (RFC 7672 section 2.2) ----

    [Fact]
    public void Tlsa_SecureWithUsableRecord_DaneMandatory()
    {
        var usable = TlsaMatcher.SelectUsable(new[] { TlsaRecord.Parse("3 1 1 " + new string('A', 64)) }, smtpMode: true);
        Assert.Equal(DaneRequirement.DaneMandatory, DaneVerdictTable.Requirement(usable));
    }

    [Fact]
    public void Tlsa_SecureNoneUsablePkixOnly_TlsMandatory()
    {
        var usable = TlsaMatcher.SelectUsable(new[] { TlsaRecord.Parse("1 1 1 " + new string('A', 64)) }, smtpMode: true);
        Assert.Equal(DaneRequirement.TlsMandatory, DaneVerdictTable.Requirement(usable));
    }

    [Fact]
    public void Tlsa_NoSecureRrset_NoDane() => Assert.Equal(DaneRequirement.None, DaneVerdictTable.Requirement(null));

    [Theory]
    [InlineData(true, DnssecStatus.Secure, true)]
    [InlineData(false, DnssecStatus.Secure, false)]
    [InlineData(true, DnssecStatus.Insecure, false)]
    public void ExchangeOnline_AppliesOnlyAfterSecureMxAndAddresses(bool mxSecure, DnssecStatus addresses, bool applies) =>
        Assert.Equal(applies, DaneVerdictTable.ExchangeOnlineApplies(mxSecure, addresses));

    // ---- STARTTLS and matching (RFC 7672 sections 2.2, 3.1, 3.2) ----

    [Theory]
    [InlineData(DaneRequirement.DaneMandatory, SmtpProbeOutcome.StartTlsNotOffered, TlsFailure, DaneFailureKind.StartTlsNotSupported)]
    [InlineData(DaneRequirement.DaneMandatory, SmtpProbeOutcome.TlsHandshakeFailed, TlsFailure, DaneFailureKind.TlsHandshakeFailed)]
    [InlineData(DaneRequirement.TlsMandatory, SmtpProbeOutcome.StartTlsNotOffered, TlsFailure, DaneFailureKind.StartTlsNotSupported)]
    [InlineData(DaneRequirement.DaneMandatory, SmtpProbeOutcome.ConnectionFailed, TlsFailure, DaneFailureKind.ConnectionFailed)]
    [InlineData(DaneRequirement.None, SmtpProbeOutcome.StartTlsNotOffered, NoDane, DaneFailureKind.None)]
    [InlineData(DaneRequirement.None, SmtpProbeOutcome.ConnectionFailed, NoDane, DaneFailureKind.None)]
    public void StartTls_NotEstablished_FailsOnlyWhereTlsaRequiresIt(DaneRequirement requirement, SmtpProbeOutcome probe, DaneHostOutcome outcome, DaneFailureKind kind)
    {
        var v = DaneVerdictTable.ForNoTls(requirement, probe, "error");
        Assert.Equal((outcome, kind), (v.Outcome, v.Failure));
    }

    [Theory]
    [InlineData(DaneRequirement.DaneMandatory, AuthFailure, DaneFailureKind.TlsaInvalid)]
    [InlineData(DaneRequirement.TlsMandatory, TlsOnly, DaneFailureKind.None)]
    [InlineData(DaneRequirement.None, NoDane, DaneFailureKind.None)]
    public void Tls_NoCertificateCaptured_NothingToAuthenticate(DaneRequirement requirement, DaneHostOutcome outcome, DaneFailureKind kind)
    {
        var v = DaneVerdictTable.ForNoChain(requirement, "TLS 1.3");
        Assert.Equal((outcome, kind), (v.Outcome, v.Failure));
    }

    [Fact]
    public void DaneEe_Match_Authenticated()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=mx1.example.com", DnsNames = new[] { "mx1.example.com" } });
        var records = new[] { TlsaRecord.Parse("3 1 1 " + Sha256Hex(pki.Leaf.Spki)) };
        var match = DaneDomainChecker.MatchChain(records, new[] { "mx1.example.com" }, TestPki.Now, pki.Chain().ToList());
        var v = DaneVerdictTable.ForMatch(DaneRequirement.DaneMandatory, match, "TLS 1.3");
        Assert.Equal((Authenticated, DaneFailureKind.None), (v.Outcome, v.Failure));
    }

    [Fact]
    public void NoUsableRecordMatches_AuthFailureTlsaInvalid()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=mx1.example.com", DnsNames = new[] { "mx1.example.com" } });
        var records = new[] { TlsaRecord.Parse("3 1 1 " + new string('A', 64)) };
        var match = DaneDomainChecker.MatchChain(records, new[] { "mx1.example.com" }, TestPki.Now, pki.Chain().ToList());
        var v = DaneVerdictTable.ForMatch(DaneRequirement.DaneMandatory, match, "TLS 1.3");
        Assert.Equal((AuthFailure, DaneFailureKind.TlsaInvalid), (v.Outcome, v.Failure));
    }

    [Fact]
    public void DaneTa_NameMismatch_AuthFailureCertificateHostMismatch()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=other.example", DnsNames = new[] { "other.example" } });
        var records = new[] { TlsaRecord.Parse("2 0 1 " + Sha256Hex(pki.Intermediate.Der)) };
        var match = DaneDomainChecker.MatchChain(records, new[] { "mx1.example.com" }, TestPki.Now, pki.Chain().ToList());
        var v = DaneVerdictTable.ForMatch(DaneRequirement.DaneMandatory, match, "TLS 1.3");
        Assert.Equal((AuthFailure, DaneFailureKind.CertificateHostMismatch), (v.Outcome, v.Failure));
    }

    [Theory]
    [InlineData(DaneRequirement.TlsMandatory, TlsOnly)]
    [InlineData(DaneRequirement.None, NoDane)]
    public void TlsEstablished_WithoutUsableRecords_TlsOnlyOrOpportunistic(DaneRequirement requirement, DaneHostOutcome outcome)
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=mx1.example.com", DnsNames = new[] { "mx1.example.com" } });
        var match = DaneDomainChecker.MatchChain(Array.Empty<TlsaRecord>(), Array.Empty<string>(), TestPki.Now, pki.Chain().ToList());
        Assert.Equal(outcome, DaneVerdictTable.ForMatch(requirement, match, "TLS 1.3").Outcome);
    }

    [Theory]
    [InlineData(DaneRequirement.DaneMandatory, Authenticated)]
    [InlineData(DaneRequirement.TlsMandatory, TlsOnly)]
    [InlineData(DaneRequirement.None, NoDane)]
    public void DnsOnly_PredictsFromTheRequirement(DaneRequirement requirement, DaneHostOutcome outcome) =>
        Assert.Equal(outcome, DaneVerdictTable.Predicted(requirement));

    // ---- host from its addresses (RFC 7672 section 2.2: every address is a separate attempt) ----

    [Fact]
    public void Host_OneAddressPassesOneFails_CanTakeMailCarryingTheFailure()
    {
        var (outcome, kind, _) = DaneVerdictTable.ForHost(new[] { Address("192.0.2.1", Authenticated), Address("2001:db8::1", AuthFailure, DaneFailureKind.TlsaInvalid) },
            DaneRequirement.DaneMandatory, false, 1, "_25._tcp.mx1.example.com", string.Empty);
        Assert.Equal((Authenticated, DaneFailureKind.TlsaInvalid), (outcome, kind));
    }

    [Fact]
    public void Host_EveryAddressFails_HostFails()
    {
        var (outcome, kind, reason) = DaneVerdictTable.ForHost(new[] { Address("192.0.2.1", TlsFailure, DaneFailureKind.StartTlsNotSupported), Address("192.0.2.2", TlsFailure, DaneFailureKind.StartTlsNotSupported) },
            DaneRequirement.DaneMandatory, false, 1, "_25._tcp.mx1.example.com", string.Empty);
        Assert.Equal((TlsFailure, DaneFailureKind.StartTlsNotSupported), (outcome, kind));
        Assert.Contains("every address must pass", reason);
    }

    [Theory]
    [InlineData(DaneRequirement.DaneMandatory, Authenticated)]
    [InlineData(DaneRequirement.TlsMandatory, TlsOnly)]
    [InlineData(DaneRequirement.None, NoDane)]
    public void Host_NoAddressFails_TheRequirementDecides(DaneRequirement requirement, DaneHostOutcome outcome)
    {
        var (o, kind, _) = DaneVerdictTable.ForHost(new[] { Address("192.0.2.1", outcome) }, requirement, false, 1, "_25._tcp.mx1.example.com", "no TLSA");
        Assert.Equal((outcome, DaneFailureKind.None), (o, kind));
    }

    // ---- domain verdict (DESIGN section 6 "Domain verdict") ----

    [Fact]
    public void Domain_EveryHostDnsFailureOneRetryable_Deferred() =>
        Assert.Equal(DaneStatus.Deferred, Domain(false, H(DnsFailure, permanent: true), H(DnsFailure)));

    [Fact]
    public void Domain_EveryHostProvenAbsent_FailNoMxHostExists()
    {
        var v = DaneVerdictTable.ForDomain(new[] { H(DnsFailure, true), H(DnsFailure, true) }, false);
        Assert.Equal((DaneStatus.Fail, "NoMxHostExists"), (v.Status, v.Code));
    }

    [Theory]
    [InlineData(TlsFailure, DnsFailure)]
    [InlineData(AuthFailure, AuthFailure)]
    public void Domain_NoHostCanTakeMailOneFailedTlsOrAuth_Fail(DaneHostOutcome first, DaneHostOutcome second)
    {
        var v = DaneVerdictTable.ForDomain(new[] { H(first), H(second) }, false);
        Assert.Equal((DaneStatus.Fail, "NoHostCanTakeMail"), (v.Status, v.Code));
    }

    [Theory]
    [InlineData(Authenticated)]
    [InlineData(TlsOnly)]
    [InlineData(NoDane)]
    public void Domain_OneHostCanTakeMailAnotherFailed_Degraded(DaneHostOutcome canTake) =>
        Assert.Equal(DaneStatus.Degraded, Domain(false, H(AuthFailure), H(canTake)));

    [Fact]
    public void Domain_EveryHostAuthenticatedOrTlsOnly_Pass() =>
        Assert.Equal(DaneStatus.Pass, Domain(false, H(Authenticated), H(TlsOnly)));

    [Fact]
    public void Domain_EveryHostNoDane_NotApplicable() =>
        Assert.Equal(DaneStatus.NotApplicable, Domain(false, H(NoDane), H(NoDane)));

    [Fact]
    public void Domain_AuthenticatedPlusNoDane_PassSomeHostsWithoutDane()
    {
        var v = DaneVerdictTable.ForDomain(new[] { H(Authenticated), H(NoDane) }, false);
        Assert.Equal((DaneStatus.Pass, "SomeHostsWithoutDane"), (v.Status, v.Code));
    }

    [Theory]
    [InlineData(Authenticated, DaneStatus.DnsPass)]
    [InlineData(TlsOnly, DaneStatus.DnsPass)]
    [InlineData(NoDane, DaneStatus.NotApplicable)]
    public void Domain_DnsOnly_NeverPass(DaneHostOutcome host, DaneStatus status) => Assert.Equal(status, Domain(true, H(host)));

    [Fact]
    public void Ndr_Deferred_FirstRetryableHostNamesIt()
    {
        var hosts = new[]
        {
            MxHost(DnsFailure, DaneFailureKind.HostNotFound),
            MxHost(DnsFailure, DaneFailureKind.DnssecInvalid),
        };
        Assert.Equal(DaneFailureKind.DnssecInvalid, DaneVerdictTable.NdrFailure(hosts, DaneStatus.Deferred, h => h.Outcome, h => h.FailureKind));
    }

    [Fact]
    public void Ndr_Fail_MostPreferredFailingHostNamesIt()
    {
        var hosts = new[]
        {
            MxHost(TlsFailure, DaneFailureKind.StartTlsNotSupported),
            MxHost(AuthFailure, DaneFailureKind.TlsaInvalid),
        };
        Assert.Equal(DaneFailureKind.StartTlsNotSupported, DaneVerdictTable.NdrFailure(hosts, DaneStatus.Fail, h => h.Outcome, h => h.FailureKind));
    }

    [Fact]
    public void DomainInput_FailingAddressOfAHostThatTakesMail_CountsAsItsOwnEntry()
    {
        var host = MxHost(Authenticated, DaneFailureKind.TlsaInvalid,
            Address("192.0.2.1", Authenticated), Address("2001:db8::1", AuthFailure, DaneFailureKind.TlsaInvalid));
        var input = DaneVerdictTable.DomainInput(new[] { host }, h => h.Outcome, h => h.FailureKind);
        Assert.Equal(new[] { Authenticated, AuthFailure }, input.Select(i => i.Outcome));
        Assert.Equal(DaneStatus.Degraded, DaneVerdictTable.ForDomain(input, false).Status);
    }

    private static DaneMxHostResult MxHost(DaneHostOutcome outcome, DaneFailureKind kind, params DaneAddressResult[] addresses) =>
        new("example.com", "mx1.example.com", 10, false, DnssecStatus.Secure, "mx1.example.com", Array.Empty<DaneLookupResult>(), string.Empty,
            Array.Empty<DaneLookupResult>(), null, Array.Empty<TlsaRecord>(), null, DaneRequirement.None, Array.Empty<string>(),
            addresses, outcome, kind, outcome, kind, "why");

    private static string Sha256Hex(byte[] data)
    {
        using var sha = SHA256.Create();
        return Convert.ToHexString(sha.ComputeHash(data));
    }
}
