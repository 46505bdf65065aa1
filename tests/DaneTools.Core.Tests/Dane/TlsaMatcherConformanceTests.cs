using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Dane;
using Xunit;

namespace DaneTools.Core.Tests.Dane;

/// <summary>
/// Every block of OpenSSL's DANE test (danetest.in and the 3.2 supplement) run through <see cref="TlsaMatcher"/>
/// with the driver's settings: base domain example.com, trust store danetest.pem, PKIX usages allowed.
/// </summary>
public class TlsaMatcherConformanceTests
{
    // Inside the example.com chain (2015-12-13 .. 3015-04-15) and the example.org chain (2016-02-06 .. 2116-02-07).
    private static readonly DateTime s_validationTime = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public static IEnumerable<object[]> PrimaryBlocks() =>
        DanetestFile.Load(DanetestFile.Primary).Select(b => new object[] { b.Number });

    public static IEnumerable<object[]> SupplementaryBlocks() =>
        DanetestFile.Load(DanetestFile.Supplementary).Select(b => new object[] { b.Number });

    [Fact]
    public void Load_PrimaryFile_HasTheDocumentedBlockCounts()
    {
        var blocks = DanetestFile.Load(DanetestFile.Primary);
        Assert.Equal(50, blocks.Count);
        Assert.Equal(39, blocks.Count(b => b.ExpectedResult == 0));
        Assert.Equal(7, blocks.Count(b => b.ExpectedResult == 65));
        Assert.Equal(3, blocks.Count(b => b.ExpectedResult == 62));
        Assert.Equal(1, blocks.Count(b => b.ExpectedResult == 20));
    }

    [Fact]
    public void Load_SupplementaryFile_HasTheDocumentedBlockCounts()
    {
        var blocks = DanetestFile.Load(DanetestFile.Supplementary);
        Assert.Equal(53, blocks.Count);
        Assert.Equal(42, blocks.Count(b => b.ExpectedResult == 0));
        Assert.Equal(7, blocks.Count(b => b.ExpectedResult == 65));
    }

    [Theory]
    [MemberData(nameof(PrimaryBlocks))]
    public void Match_DanetestBlock_GivesOpenSslVerdictAndDepth(int block) =>
        Check(DanetestFile.Load(DanetestFile.Primary)[block - 1]);

    [Theory]
    [MemberData(nameof(SupplementaryBlocks))]
    public void Match_SupplementaryDanetestBlock_GivesOpenSslVerdictAndDepth(int block) =>
        Check(DanetestFile.Load(DanetestFile.Supplementary)[block - 1]);

    internal static TlsaMatchOutcome FromOpenSsl(int verifyResult) => verifyResult switch
    {
        0 => TlsaMatchOutcome.Authenticated,              // X509_V_OK
        20 => TlsaMatchOutcome.PkixPathFailed,            // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        62 => TlsaMatchOutcome.NameMismatch,              // X509_V_ERR_HOSTNAME_MISMATCH
        65 => TlsaMatchOutcome.NoMatch,                   // X509_V_ERR_DANE_NO_MATCH
        _ => throw new ArgumentOutOfRangeException(nameof(verifyResult), verifyResult, "no mapping"),
    };

    private static void Check(DanetestBlock block)
    {
        var records = block.TlsaLines.Select(TlsaRecord.Parse).ToList();
        // The driver fails a test when a record is unusable; every record in the files is usable.
        Assert.Equal(records.Count, TlsaMatcher.SelectUsable(records, smtpMode: false).Usable.Count);

        var options = new TlsaMatchOptions
        {
            SmtpMode = false,
            CheckNamesOnDaneEe = !block.NoNameChecks,
            ValidationTime = s_validationTime,
        };
        options.ReferenceIdentifiers.Add("example.com");
        options.TrustStore.Add(DanetestFile.ReadPem(Conformance.PathOf("openssl-dane", "danetest.pem")));

        var result = TlsaMatcher.Match(records, block.Chain, options);

        Assert.True(FromOpenSsl(block.ExpectedResult) == result.Outcome,
            $"block {block.Number} (line {block.Line}): expected {FromOpenSsl(block.ExpectedResult)} depth {block.ExpectedDepth}, got {result}");
        Assert.True(block.ExpectedDepth == result.MatchDepth,
            $"block {block.Number} (line {block.Line}): expected depth {block.ExpectedDepth}, got {result}");
    }
}
