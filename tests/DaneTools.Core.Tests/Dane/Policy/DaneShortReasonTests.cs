using System;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// The table view's few words (DaneShortReason) and the next step (DaneRemedy) of a DNS failure say what the failed lookup
/// means, not only its failure class: RFC 4033 section 5 Bogus (a chain from a trust anchor that fails) reads "DNSSEC bogus";
/// Indeterminate (no validated answer: a timeout or a server failure, RFC 7672 section 2.1.1; or no trust anchor above the
/// name, RFC 4033 section 5) reads "no answer", though Exchange Online gives a TLSA lookup failure 5.7.324 dnssec-invalid
/// like bogus TLSA data. Each names the lookup's type and the deciding host.
/// </summary>
public sealed class DaneShortReasonTests : DaneDomainCheckerTestBase
{
    private const string Mx1Tlsa = "_25._tcp.mx1.example.com";

    /// <summary>mx1 (preferred) gets the given TLSA answer; mx2 is DANE-authenticated and takes the mail (Degraded).</summary>
    private async Task<DaneDomainResult> BackupTakesMail(Action<FakeValidatedResolver> mx1)
    {
        var pki = Pki(Mx2);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx2, Secure, DaneEe(pki.Leaf));
        _smtp.Tls(Ip2, pki.Chain());
        mx1(_dns);
        var r = await Check();
        Assert.Equal(DaneStatus.Degraded, r.Status);
        return r;
    }

    private static ValidationReason Timeout() => FakeValidatedResolver.Reason(ReasonCodes.Timeout, "No answer within 3 s.");

    [Fact]
    public async Task For_TlsaLookupTimedOut_SaysNoAnswerNotBogus()
    {
        // The lab's tlsa-servfail-backup.test: the TLSA query for mx1 gets no answer (EDE 22, No Reachable Authority).
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Indeterminate, reason: Timeout()));

        // Exchange Online's class for a TLSA lookup failure stays 5.7.324 (DESIGN section 6); only the words change.
        Assert.Equal(DaneFailureKind.DnssecInvalid, r.FailureKind);
        Assert.Equal("no TLSA answer (timeout): mx1.example.com", r.ShortReason);
        Assert.DoesNotContain("bogus", r.ShortReason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task For_TlsaBogus_SaysDnssecBogusTlsa()
    {
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Bogus, new[] { "3 1 1 " + new string('A', 64) }));

        Assert.Equal(DaneFailureKind.DnssecInvalid, r.FailureKind);
        Assert.Equal("DNSSEC bogus TLSA: mx1.example.com", r.ShortReason);
    }

    [Theory]
    [InlineData(ReasonCodes.ServerFailure, "no TLSA answer (server failure): mx1.example.com")]
    // RFC 4033 section 5: Indeterminate is also "no trust anchor indicates the tree is secure": neither bogus nor a timeout.
    [InlineData(ReasonCodes.NoTrustAnchor, "TLSA not validated (no trust anchor): mx1.example.com")]
    [InlineData(ReasonCodes.DnameSubstitutionTooLong, "no TLSA answer: mx1.example.com")]
    public async Task For_TlsaLookupIndeterminate_SaysWhyThereIsNoAnswer(string code, string expected)
    {
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Indeterminate, reason: FakeValidatedResolver.Reason(code, "Failed.")));

        Assert.Equal(expected, r.ShortReason);
    }

    [Fact]
    public async Task For_AddressLookupTimedOut_SaysNoAnswerForTheAddressType()
    {
        var r = await BackupTakesMail(d => d.Set(Mx1, DnsRecordType.A, Indeterminate, reason: Timeout()));

        Assert.Equal(DaneFailureKind.DnsQueryFailed, r.FailureKind);
        Assert.Equal("no A answer (timeout): mx1.example.com", r.ShortReason);
    }

    [Fact]
    public async Task For_AddressBogusAndOtherFamilyTimedOut_SaysBogusAsTheCheckerJudged()
    {
        // The checker judges a bogus address lookup before one without an answer (Host.cs): the words follow it.
        var r = await BackupTakesMail(d =>
        {
            d.Set(Mx1, DnsRecordType.A, Indeterminate, reason: Timeout());
            d.Set(Mx1, DnsRecordType.AAAA, Bogus, new[] { Ip6 });
        });

        Assert.Equal(DaneFailureKind.DnssecInvalid, r.FailureKind);
        Assert.Equal("DNSSEC bogus AAAA: mx1.example.com", r.ShortReason);
    }

    [Fact]
    public async Task For_MxLookupTimedOut_SaysNoMxAnswer()
    {
        _dns.Set(Domain, DnsRecordType.MX, Indeterminate, reason: Timeout());

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("no MX answer (timeout)", r.ShortReason);
    }

    [Fact]
    public async Task For_MxBogus_SaysDnssecBogusMx()
    {
        _dns.Mx(Domain, Bogus, $"10 {Mx1}.");

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal("DNSSEC bogus MX", r.ShortReason);
    }

    [Theory]
    [InlineData(ReasonCodes.Timeout)]
    [InlineData(ReasonCodes.ServerFailure)]
    [InlineData(ReasonCodes.NoTrustAnchor)]
    [InlineData(ReasonCodes.DnameSubstitutionTooLong)]
    [InlineData(ReasonCodes.InvalidData)]
    public async Task For_AnyIndeterminateTlsaLookup_NeverSaysBogus(string code)
    {
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Indeterminate, reason: FakeValidatedResolver.Reason(code, "Failed.")));

        Assert.DoesNotContain("bogus", r.ShortReason, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith(": mx1.example.com", r.ShortReason);
        Assert.Contains("TLSA", r.ShortReason);
        Assert.DoesNotContain("signatures", r.NextStep!.Action);
    }

    [Fact]
    public void Phrase_EveryFailureKind_HasWordsOfItsOwn()
    {
        // Every class the short reason maps reads as words, not as the enum name, and no two classes read alike.
        var kinds = Enum.GetValues(typeof(DaneFailureKind)).Cast<DaneFailureKind>().Where(k => k != DaneFailureKind.None).ToList();
        foreach (var kind in kinds) Assert.NotEqual(kind.ToString(), DaneShortReason.Phrase(kind));
        Assert.Equal(kinds.Count, kinds.Select(k => DaneShortReason.Phrase(k)).Distinct().Count());
    }

    // ---- the next step of the same failures (DaneRemedy) ----

    [Fact]
    public async Task NextStep_TlsaLookupTimedOut_AsksForAnswersNotForSignatures()
    {
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Indeterminate, reason: Timeout()));

        var step = r.NextStep!;
        Assert.StartsWith("The TLSA lookup of _25._tcp.mx1.example.com got no answer (timeout): the recipient's name servers must answer", step.Action);
        Assert.Equal("the recipient's DNS host, or your resolver if every domain shows this", step.Owner);
        Assert.Equal(Mx1, step.HostName);
    }

    [Fact]
    public async Task NextStep_TlsaBogus_AsksToReSign()
    {
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Bogus, new[] { "3 1 1 " + new string('A', 64) }));

        Assert.StartsWith("The DNSSEC signatures for _25._tcp.mx1.example.com TLSA do not validate (The RRSIG has expired.)", r.NextStep!.Action);
        Assert.Equal("the recipient's DNS host", r.NextStep.Owner);
    }

    [Fact]
    public async Task NextStep_NoTrustAnchor_IsTheSendersTrustAnchor()
    {
        var r = await BackupTakesMail(d => d.Set(Mx1Tlsa, DnsRecordType.TLSA, Indeterminate,
            reason: FakeValidatedResolver.Reason(ReasonCodes.NoTrustAnchor, "No trust anchor is an ancestor of the name.")));

        Assert.Contains("-TrustAnchor", r.NextStep!.Action);
        Assert.Equal("you (the trust anchor)", r.NextStep.Owner);
    }

    [Fact]
    public async Task NextStep_MxLookupTimedOut_NamesTheMxLookup()
    {
        _dns.Set(Domain, DnsRecordType.MX, Indeterminate, reason: Timeout());

        var r = await Check();

        Assert.StartsWith("The MX lookup of example.com got no answer (timeout)", r.NextStep!.Action);
    }
}
