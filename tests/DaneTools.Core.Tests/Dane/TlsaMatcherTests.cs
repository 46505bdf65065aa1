using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DaneTools.Core.Dane;
using Xunit;

namespace DaneTools.Core.Tests.Dane;

/// <summary>
/// Matcher behaviour on generated certificates; expectations come from RFC 7671 (sections 4.1, 5.1-5.4, 9) and
/// RFC 7672 (sections 3.1.1, 3.1.3, 3.2.2, 3.2.3).
/// </summary>
public class TlsaMatcherTests
{
    private static byte[] Spki(byte[] certDer)
    {
        using var cert = X509CertificateLoader.LoadCertificate(certDer);
        return cert.PublicKey.ExportSubjectPublicKeyInfo();
    }

    private static TlsaRecord Rec(TlsaUsage usage, TlsaSelector selector, TlsaMatchingType type, byte[] certDer)
    {
        var content = selector == TlsaSelector.Certificate ? certDer : Spki(certDer);
        var data = type switch
        {
            TlsaMatchingType.Sha256 => SHA256.HashData(content),
            TlsaMatchingType.Sha512 => SHA512.HashData(content),
            _ => content,
        };
        return new TlsaRecord(usage, selector, type, data);
    }

    private static TlsaMatchOptions Options(params string[] referenceIdentifiers)
    {
        var o = new TlsaMatchOptions { ValidationTime = TestPki.Now };
        foreach (var r in referenceIdentifiers) o.ReferenceIdentifiers.Add(r);
        return o;
    }

    private static byte[] Corrupt(byte[] data)
    {
        var copy = (byte[])data.Clone();
        copy[copy.Length - 1] ^= 1;
        return copy;
    }

    // ---- DANE-EE(3) ------------------------------------------------------------------------------------------

    [Fact]
    public void Match_DaneEeOnExpiredLeaf_Authenticated()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=mail.example.com", DnsNames = new[] { "mail.example.com" },
            NotBefore = TestPki.Now.AddYears(-2), NotAfter = TestPki.Now.AddYears(-1),
        });
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(0, result.MatchDepth);
        Assert.Equal(TlsaFailureKind.None, result.FailureKind);
    }

    [Fact]
    public void Match_DaneEeOnNotYetValidLeaf_Authenticated()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=mail.example.com", NotBefore = TestPki.Now.AddDays(1), NotAfter = TestPki.Now.AddDays(90) });
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneEe, TlsaSelector.Certificate, TlsaMatchingType.Sha512, pki.Leaf.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
    }

    [Fact]
    public void Match_DaneEeWithForeignNameByDefault_Authenticated()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=other.example.net", DnsNames = new[] { "other.example.net" } });
        var records = new[] { Rec(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Full, pki.Leaf.Der) };
        Assert.Equal(TlsaMatchOutcome.Authenticated, TlsaMatcher.Match(records, pki.Chain(), Options("mail.example.com")).Outcome);
    }

    [Fact]
    public void Match_DaneEeWithForeignNameAndNameChecksOn_NameMismatch()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=other.example.net", DnsNames = new[] { "other.example.net" } });
        var records = new[] { Rec(TlsaUsage.DaneEe, TlsaSelector.Certificate, TlsaMatchingType.Full, pki.Leaf.Der) };
        var options = Options("mail.example.com");
        options.CheckNamesOnDaneEe = true;
        var result = TlsaMatcher.Match(records, pki.Chain(), options);
        Assert.Equal(TlsaMatchOutcome.NameMismatch, result.Outcome);
        Assert.Equal(0, result.MatchDepth);
        Assert.Equal(records[0], result.MatchedRecord);
    }

    [Fact]
    public void Match_DaneEeCorruptedDigest_NoMatch()
    {
        var pki = new TestPki.Hierarchy();
        var good = Rec(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der);
        var bad = new TlsaRecord(good.Usage, good.Selector, good.MatchingType, Corrupt(good.GetAssociationData()));
        var result = TlsaMatcher.Match(new[] { bad }, pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.NoMatch, result.Outcome);
        Assert.Equal(-1, result.MatchDepth);
        Assert.Null(result.MatchedRecord);
        Assert.Equal(TlsaFailureKind.TlsaInvalid, result.FailureKind);
    }

    [Fact]
    public void Match_DaneEeRecordForIntermediate_NoMatch()
    {
        // DANE-EE matches the leaf only (RFC 7671 5.1).
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.NoMatch, result.Outcome);
    }

    // ---- DANE-TA(2) ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(TlsaSelector.Certificate, TlsaMatchingType.Sha256)]
    [InlineData(TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha512)]
    [InlineData(TlsaSelector.Certificate, TlsaMatchingType.Full)]
    public void Match_DaneTaOnIntermediate_AuthenticatedAtDepth1(TlsaSelector selector, TlsaMatchingType type)
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, selector, type, pki.Intermediate.Der) }, pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaOnRootSent_AuthenticatedAtDepth2()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Root.Der) },
            pki.Chain(withRoot: true), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(2, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaOnLeafItself_NoMatch()
    {
        // A trust anchor issues the server certificate; the leaf is never its own DANE-TA anchor (RFC 7671 5.2).
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.NoMatch, result.Outcome);
    }

    [Fact]
    public void Match_DaneTaWithExpiredLeaf_CertificateExpired()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=mail.example.com", DnsNames = new[] { "mail.example.com" },
            NotBefore = TestPki.Now.AddYears(-2), NotAfter = TestPki.Now.AddDays(-1),
        });
        var records = new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) };
        var result = TlsaMatcher.Match(records, pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.CertificateExpired, result.Outcome);
        Assert.Equal(TlsaFailureKind.CertificateExpired, result.FailureKind);
        Assert.Equal(1, result.MatchDepth);
        Assert.Equal(records[0], result.MatchedRecord);
    }

    [Fact]
    public void Match_DaneTaWithExpiredIntermediateBelowRootAnchor_CertificateExpired()
    {
        var root = TestPki.Issue(new TestPki.Spec { Subject = "CN=Root", Ca = true, NotBefore = TestPki.Now.AddYears(-5), NotAfter = TestPki.Now.AddYears(5) });
        var inter = TestPki.Issue(new TestPki.Spec { Subject = "CN=Old Issuer", Ca = true, NotBefore = TestPki.Now.AddYears(-5), NotAfter = TestPki.Now.AddDays(-1) }, root);
        var leaf = TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com" }, inter);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, root.Der) },
            new[] { leaf.Der, inter.Der, root.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.CertificateExpired, result.Outcome);
        Assert.Equal(2, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaWithExpiredAnchor_Authenticated()
    {
        // Only certificates below the trust anchor are date-checked (DESIGN section 6, RFC 7671 5.2).
        var root = TestPki.Issue(new TestPki.Spec { Subject = "CN=Expired Anchor", Ca = true, NotBefore = TestPki.Now.AddYears(-5), NotAfter = TestPki.Now.AddDays(-1) });
        var leaf = TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com" }, root);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, root.Der) },
            new[] { leaf.Der, root.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaWithNotYetValidLeaf_CertificateNotYetValidAsTlsaInvalid()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=mail.example.com", NotBefore = TestPki.Now.AddDays(2), NotAfter = TestPki.Now.AddDays(90) });
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.CertificateNotYetValid, result.Outcome);
        Assert.Equal(TlsaFailureKind.TlsaInvalid, result.FailureKind);
    }

    [Fact]
    public void Match_DaneTaWithForeignName_NameMismatchAsHostMismatch()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            pki.Chain(), Options("mx.example.org"));
        Assert.Equal(TlsaMatchOutcome.NameMismatch, result.Outcome);
        Assert.Equal(TlsaFailureKind.CertificateHostMismatch, result.FailureKind);
        Assert.Equal(1, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaAnySecondReferenceIdentifierMatches_Authenticated()
    {
        // RFC 7672 3.2.2: the TLSA base domain and the next-hop domain are both reference identifiers.
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=x", DnsNames = new[] { "example.com" } });
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            pki.Chain(), Options("mail.example.com", "example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
    }

    [Fact]
    public void Match_DaneTaWithoutReferenceIdentifiers_NameMismatch()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            pki.Chain(), Options());
        Assert.Equal(TlsaMatchOutcome.NameMismatch, result.Outcome);
    }

    [Theory]
    [InlineData("mail.example.com", new[] { "other.example.net" }, false)] // SANs present: the CN is not consulted
    [InlineData("mail.example.com", new string[0], true)]                  // no DNS-ID SAN: the CN counts
    [InlineData("other.example.net", new[] { "mail.example.com" }, true)]
    [InlineData("x", new[] { "*.example.com" }, true)]                     // wildcard stands for one whole label
    [InlineData("x", new[] { "*.mail.example.com" }, false)]
    [InlineData("x", new[] { "m*.example.com" }, false)]                   // partial-label wildcard is not a wildcard
    [InlineData("x", new[] { "MAIL.Example.COM." }, true)]                 // case and a trailing dot do not matter
    public void Match_DaneTaNameRules_FollowRfc7672(string cn, string[] sans, bool authenticated)
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec { Subject = "CN=" + cn, DnsNames = sans });
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(authenticated ? TlsaMatchOutcome.Authenticated : TlsaMatchOutcome.NameMismatch, result.Outcome);
    }

    [Fact]
    public void Match_DaneTaFullCertificateNotSent_AuthenticatedAtDepth1()
    {
        // RFC 7671 5.2.2: a "2 0 0" record supplies an anchor the server did not send.
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Full, pki.Intermediate.Der) },
            new[] { pki.Leaf.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaFullRootNotSent_AuthenticatedAtDepth2()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Full, pki.Root.Der) },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(2, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaDigestOfCertificateNotSent_NoMatch()
    {
        // Only Full(0) data can stand in for a certificate the server did not send (RFC 7671 5.2.2).
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            new[] { pki.Leaf.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.NoMatch, result.Outcome);
    }

    [Fact]
    public void Match_DaneTaFullPublicKeyNotSent_AuthenticatedAtTopCertificateDepth()
    {
        // RFC 7671 5.2.3: a "2 1 0" bare key signs the top certificate; OpenSSL reports that certificate's depth.
        var pki = new TestPki.Hierarchy();
        var record = Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Full, pki.Intermediate.Der);
        var leafOnly = TlsaMatcher.Match(new[] { record }, new[] { pki.Leaf.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, leafOnly.Outcome);
        Assert.Equal(0, leafOnly.MatchDepth);

        var rootKey = Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Full, pki.Root.Der);
        var twoSent = TlsaMatcher.Match(new[] { rootKey }, pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, twoSent.Outcome);
        Assert.Equal(1, twoSent.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaFullPublicKeyWhoseCertificateWasSent_ReportsThatCertificatesDepth()
    {
        var pki = new TestPki.Hierarchy();
        var record = Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Full, pki.Intermediate.Der);
        var result = TlsaMatcher.Match(new[] { record }, pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchDepth);
    }

    [Fact]
    public void Match_AnonymousLeafWithDaneTaRecord_ChainInvalid()
    {
        // OpenSSL's never-valid leaf with empty names: DANE-EE can match it, path validation cannot use it.
        var anonymous = DanetestFile.Load(DanetestFile.Primary)[0].Chain;
        var result = TlsaMatcher.Match(new[] { TlsaRecord.Parse("2 0 1 " + Zero32) }, anonymous, Options("example.com"));
        Assert.Equal(TlsaMatchOutcome.ChainInvalid, result.Outcome);
        Assert.Equal(string.Empty, result.Chain[0].Subject);
        Assert.Equal(TlsaMatchOutcome.NoMatch, TlsaMatcher.Match(new[] { TlsaRecord.Parse("3 0 1 " + Zero32) }, anonymous, Options("example.com")).Outcome);
    }

    [Fact]
    public void Match_DaneTaDigestOfKeyNotSent_NoMatch()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            new[] { pki.Leaf.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.NoMatch, result.Outcome);
    }

    [Fact]
    public void Match_DaneTaLeafSignedByOtherKey_ChainInvalid()
    {
        var pki = new TestPki.Hierarchy();
        var forged = TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com", DnsNames = new[] { "mail.example.com" } }, pki.Intermediate,
            signingKeyOverride: TestPki.NewKey().Private);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der) },
            new[] { forged.Der, pki.Intermediate.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.ChainInvalid, result.Outcome);
        Assert.Equal(TlsaFailureKind.TlsaInvalid, result.FailureKind);
    }

    [Fact]
    public void Match_DaneTaIntermediateNotCa_ChainInvalid()
    {
        var root = TestPki.Issue(new TestPki.Spec { Subject = "CN=Root", Ca = true });
        var notCa = TestPki.Issue(new TestPki.Spec { Subject = "CN=Not A CA", Ca = false }, root);
        var leaf = TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com" }, notCa);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, root.Der) },
            new[] { leaf.Der, notCa.Der, root.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.ChainInvalid, result.Outcome);
        Assert.Equal(2, result.MatchDepth);
    }

    [Fact]
    public void Match_DaneTaPathLenExceeded_ChainInvalid()
    {
        var root = TestPki.Issue(new TestPki.Spec { Subject = "CN=Root", Ca = true });
        var upper = TestPki.Issue(new TestPki.Spec { Subject = "CN=Upper", Ca = true, PathLen = 0 }, root);
        var lower = TestPki.Issue(new TestPki.Spec { Subject = "CN=Lower", Ca = true }, upper);
        var leaf = TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com" }, lower);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, root.Der) },
            new[] { leaf.Der, lower.Der, upper.Der, root.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.ChainInvalid, result.Outcome);
    }

    [Fact]
    public void Match_DaneTaChainSentOutOfOrder_Authenticated()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Root.Der) },
            new[] { pki.Leaf.Der, pki.Root.Der, pki.Intermediate.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(2, result.MatchDepth);
    }

    // ---- PKIX-TA(0) / PKIX-EE(1) and SMTP mode ---------------------------------------------------------------

    [Fact]
    public void Match_PkixEeWithTrustStore_Authenticated()
    {
        var pki = new TestPki.Hierarchy();
        var options = Options("mail.example.com");
        options.SmtpMode = false;
        options.TrustStore.Add(pki.Root.Der);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.PkixEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der) },
            pki.Chain(), options);
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(0, result.MatchDepth);
    }

    [Fact]
    public void Match_PkixEeWithoutTrustStore_PkixPathFailed()
    {
        var pki = new TestPki.Hierarchy();
        var options = Options("mail.example.com");
        options.SmtpMode = false;
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.PkixEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der) },
            pki.Chain(), options);
        Assert.Equal(TlsaMatchOutcome.PkixPathFailed, result.Outcome);
        Assert.Equal(0, result.MatchDepth);
    }

    [Fact]
    public void Match_PkixTaInSmtpMode_NoUsableRecords()
    {
        var pki = new TestPki.Hierarchy();
        var options = Options("mail.example.com");
        options.TrustStore.Add(pki.Root.Der);
        var result = TlsaMatcher.Match(new[]
        {
            Rec(TlsaUsage.PkixTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Intermediate.Der),
            Rec(TlsaUsage.PkixEe, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Leaf.Der),
        }, pki.Chain(), options);
        Assert.Equal(TlsaMatchOutcome.NoUsableRecords, result.Outcome);
        Assert.Equal(TlsaFailureKind.None, result.FailureKind);
        Assert.Equal(2, result.Records.Unusable.Count);
    }

    [Fact]
    public void Match_SmtpModeWithPkixAndDaneEe_DaneEeDecides()
    {
        var pki = new TestPki.Hierarchy();
        var dane = Rec(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der);
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.PkixEe, TlsaSelector.Certificate, TlsaMatchingType.Sha256, pki.Leaf.Der), dane },
            pki.Chain(), Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(dane, result.MatchedRecord);
    }

    // ---- RFC 7671 section 9 digest agility (rfc7671.json) ----------------------------------------------------

    private static List<TlsaRecord> Rfc7671Section9() => RfcVectors.Case("rfc7671.json", "rfc7671-9-digest-algorithm-agility")
        .GetProperty("records").EnumerateArray().Select(r => TlsaRecord.Parse(r.GetProperty("rdata").GetString()!)).ToList();

    private static byte[] LeafWithSpki(byte[] spki)
    {
        var key = Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(spki);
        var ca = TestPki.Issue(new TestPki.Spec { Subject = "CN=Some CA", Ca = true });
        return TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com" }, ca, publicKeyOverride: key).Der;
    }

    [Fact]
    public void SelectUsable_Rfc7671Section9RRset_KeepsSha512AndFullIgnoresSha256()
    {
        var records = Rfc7671Section9();
        var set = TlsaMatcher.SelectUsable(records, smtpMode: true);
        Assert.Equal(new[] { "3 1 2", "3 1 0" }, set.Usable.Select(r => $"{(byte)r.Usage} {(byte)r.Selector} {(byte)r.MatchingType}"));
        var ignored = Assert.Single(set.Unusable);
        Assert.Equal(TlsaMatchingType.Sha256, ignored.Record.MatchingType);
    }

    [Fact]
    public void Match_Rfc7671Section9RRsetServerPresentsThatKey_Authenticated()
    {
        var records = Rfc7671Section9();
        var leaf = LeafWithSpki(records.Single(r => r.MatchingType == TlsaMatchingType.Full).GetAssociationData());
        var result = TlsaMatcher.Match(records, new[] { leaf }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.NotEqual(TlsaMatchingType.Sha256, result.MatchedRecord!.MatchingType);
    }

    [Fact]
    public void Match_KeyMatchingOnlyTheWeakerSha256Record_NoMatch()
    {
        // "it SHOULD NOT accept keys that match only the weaker 3 1 1 record"
        var records = Rfc7671Section9();
        var leaf = LeafWithSpki(records.Single(r => r.MatchingType == TlsaMatchingType.Full).GetAssociationData());
        var sha256 = records.Single(r => r.MatchingType == TlsaMatchingType.Sha256);
        var sha512 = records.Single(r => r.MatchingType == TlsaMatchingType.Sha512);
        var rrset = new[] { sha256, new TlsaRecord(sha512.Usage, sha512.Selector, sha512.MatchingType, Corrupt(sha512.GetAssociationData())) };
        Assert.Equal(TlsaMatchOutcome.NoMatch, TlsaMatcher.Match(rrset, new[] { leaf }, Options("mail.example.com")).Outcome);
        Assert.Equal(TlsaMatchOutcome.Authenticated, TlsaMatcher.Match(new[] { sha256 }, new[] { leaf }, Options("mail.example.com")).Outcome);
    }

    // ---- usable-set rules ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("4 1 1 " + Zero32)]             // unassigned usage
    [InlineData("255 1 1 " + Zero32)]           // PrivCert
    [InlineData("3 2 1 " + Zero32)]             // unassigned selector
    [InlineData("3 1 3 " + Zero32)]             // unassigned matching type
    [InlineData("3 1 255 " + Zero32)]           // PrivMatch
    [InlineData("3 1 1 " + Zero32 + "00")]      // SHA2-256 of 33 octets
    [InlineData("3 1 2 " + Zero32)]             // SHA2-512 of 32 octets
    [InlineData("3 0 0 3003020100")]            // Full(0) Cert(0) that is no certificate
    [InlineData("2 1 0 3003020100")]            // Full(0) SPKI(1) that is no public key
    public void SelectUsable_MalformedRecord_Unusable(string text)
    {
        var set = TlsaMatcher.SelectUsable(new[] { TlsaRecord.Parse(text) }, smtpMode: false);
        Assert.Empty(set.Usable);
        Assert.Single(set.Unusable);
    }

    private const string Zero32 = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void SelectUsable_FullCertificateWithTrailingData_Unusable()
    {
        var pki = new TestPki.Hierarchy();
        var data = pki.Intermediate.Der.Concat(new byte[] { 0 }).ToArray();
        Assert.Empty(TlsaMatcher.SelectUsable(new[] { new TlsaRecord(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Full, data) }, false).Usable);
        Assert.Single(TlsaMatcher.SelectUsable(new[] { new TlsaRecord(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Full, pki.Intermediate.Der) }, false).Usable);
    }

    [Fact]
    public void SelectUsable_AgilityIsPerUsageAndSelector()
    {
        var rrset = new[]
        {
            TlsaRecord.Parse("3 1 1 " + Zero32),           // kept: no SHA2-512 for DANE-EE SPKI
            TlsaRecord.Parse("3 0 2 " + Zero32 + Zero32),  // kept
            TlsaRecord.Parse("2 0 1 " + Zero32),           // ignored: 2 0 2 present
            TlsaRecord.Parse("2 0 2 " + Zero32 + Zero32),  // kept
            TlsaRecord.Parse("2 1 1 " + Zero32),           // kept
        };
        var set = TlsaMatcher.SelectUsable(rrset, smtpMode: true);
        Assert.Equal(new[] { rrset[0], rrset[1], rrset[3], rrset[4] }, set.Usable);
        Assert.Equal(rrset[2], Assert.Single(set.Unusable).Record);
    }

    [Fact]
    public void SelectUsable_MalformedStrongerDigest_DoesNotHideWeakerOne()
    {
        // Malformed records are dropped before agility is applied (RFC 7671 section 9).
        var rrset = new[] { TlsaRecord.Parse("3 1 1 " + Zero32), TlsaRecord.Parse("3 1 2 " + Zero32) };
        Assert.Equal(new[] { rrset[0] }, TlsaMatcher.SelectUsable(rrset, smtpMode: true).Usable);
    }

    [Fact]
    public void Match_EmptyRRset_NoUsableRecords()
    {
        var pki = new TestPki.Hierarchy();
        Assert.Equal(TlsaMatchOutcome.NoUsableRecords, TlsaMatcher.Match(Array.Empty<TlsaRecord>(), pki.Chain(), Options("mail.example.com")).Outcome);
    }

    // ---- arguments and result data ------------------------------------------------------------------------

    [Fact]
    public void Match_EmptyChain_Throws()
    {
        Assert.Throws<ArgumentException>(() => TlsaMatcher.Match(new[] { TlsaRecord.Parse("3 1 1 " + Zero32) }, Array.Empty<byte[]>()));
    }

    [Fact]
    public void Match_GarbageTrustStoreEntry_Throws()
    {
        var pki = new TestPki.Hierarchy();
        var options = Options("mail.example.com");
        options.TrustStore.Add(new byte[] { 1, 2, 3 });
        Assert.Throws<ArgumentException>(() => TlsaMatcher.Match(new[] { TlsaRecord.Parse("3 1 1 " + Zero32) }, pki.Chain(), options));
    }

    [Fact]
    public void Match_UnparsableLeaf_ChainInvalid()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { TlsaRecord.Parse("3 1 1 " + Zero32) }, new[] { new byte[] { 0x30, 0x00 }, pki.Intermediate.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.ChainInvalid, result.Outcome);
    }

    [Fact]
    public void Match_UnparsableIntermediateWithDaneEe_AuthenticatedAndSkippedInChain()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, pki.Leaf.Der) },
            new[] { pki.Leaf.Der, new byte[] { 0x30, 0x00 }, pki.Intermediate.Der }, Options("mail.example.com"));
        Assert.Equal(TlsaMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(new[] { 0, 2 }, result.Chain.Select(c => c.Position));
    }

    [Fact]
    public void Match_Result_DescribesPresentedChain()
    {
        var pki = new TestPki.Hierarchy();
        var result = TlsaMatcher.Match(new[] { TlsaRecord.Parse("3 1 1 " + Zero32) }, pki.Chain(), Options("mail.example.com"));
        Assert.Equal(2, result.Chain.Count);
        var leaf = result.Chain[0];
        using var dotnet = X509CertificateLoader.LoadCertificate(pki.Leaf.Der);
        Assert.Equal(0, leaf.Position);
        Assert.Equal("CN=mail.example.com", leaf.Subject);
        Assert.Equal("CN=Test Issuer", leaf.Issuer);
        Assert.Equal(dotnet.NotAfter.ToUniversalTime(), leaf.NotAfterUtc);
        Assert.Equal(DateTimeKind.Utc, leaf.NotBeforeUtc.Kind);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(dotnet.PublicKey.ExportSubjectPublicKeyInfo())), leaf.SpkiSha256);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(pki.Leaf.Der)), leaf.CertificateSha256);
        Assert.Equal(new[] { "mail.example.com" }, leaf.DnsNames);
        Assert.Equal(pki.Leaf.Der, leaf.GetDer());
        Assert.Equal(1, result.Chain[1].Position);
    }

    [Fact]
    public void Match_NoValidationTime_UsesCurrentTime()
    {
        var now = DateTime.UtcNow;
        var root = TestPki.Issue(new TestPki.Spec { Subject = "CN=Root", Ca = true, NotBefore = now.AddDays(-10), NotAfter = now.AddDays(10) });
        var leaf = TestPki.Issue(new TestPki.Spec { Subject = "CN=mail.example.com", NotBefore = now.AddDays(-2), NotAfter = now.AddDays(-1) }, root);
        var options = new TlsaMatchOptions();
        options.ReferenceIdentifiers.Add("mail.example.com");
        var result = TlsaMatcher.Match(new[] { Rec(TlsaUsage.DaneTa, TlsaSelector.Certificate, TlsaMatchingType.Sha256, root.Der) }, new[] { leaf.Der, root.Der }, options);
        Assert.Equal(TlsaMatchOutcome.CertificateExpired, result.Outcome);
    }
}
