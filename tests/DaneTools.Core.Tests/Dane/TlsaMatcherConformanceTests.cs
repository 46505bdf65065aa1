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

    [Theory]
    [InlineData(DanetestFile.Primary)]
    [InlineData(DanetestFile.Supplementary)]
    public void Load_EveryBlock_AgreesWithTheCorpusIndex(string file)
    {
        // danetest-index.json was written independently of this reader: headers, loaded records, chains.
        var index = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(Conformance.PathOf("openssl-dane", "danetest-index.json"))).RootElement;
        var certs = index.GetProperty("certificates");
        var expected = index.GetProperty("files").GetProperty(file).GetProperty("blocks").EnumerateArray().ToList();
        var blocks = DanetestFile.Load(file);
        Assert.Equal(expected.Count, blocks.Count);
        for (int i = 0; i < blocks.Count; i++)
        {
            var e = expected[i];
            var b = blocks[i];
            Assert.Equal(e.GetProperty("header_line").GetInt32(), b.Line);
            Assert.Equal(e.GetProperty("expected").GetProperty("verify_result").GetInt32(), b.ExpectedResult);
            Assert.Equal(e.GetProperty("expected").GetProperty("match_depth").GetInt32(), b.ExpectedDepth);
            Assert.Equal(e.GetProperty("header").GetProperty("nonamechecks").GetInt32() != 0, b.NoNameChecks);
            var loaded = e.GetProperty("tlsa_loaded").EnumerateArray().ToList();
            Assert.Equal(loaded.Count, b.TlsaLines.Count);
            for (int t = 0; t < loaded.Count; t++)
            {
                var r = TlsaRecord.Parse(b.TlsaLines[t]);
                Assert.Equal(loaded[t].GetProperty("usage").GetInt32(), (int)r.Usage);
                Assert.Equal(loaded[t].GetProperty("selector").GetInt32(), (int)r.Selector);
                Assert.Equal(loaded[t].GetProperty("mtype").GetInt32(), (int)r.MatchingType);
                Assert.Equal(loaded[t].GetProperty("data").GetString()!.ToUpperInvariant(), r.AssociationDataHex);
            }

            // The chain as the matcher describes it equals the index's certificate table.
            var names = e.GetProperty("chain_as_sent").EnumerateArray().Select(n => n.GetString()!).ToList();
            var described = TlsaMatcher.Match(new[] { TlsaRecord.Parse("3 1 1 " + new string('0', 64)) }, b.Chain, new TlsaMatchOptions()).Chain;
            Assert.Equal(names.Count, described.Count);
            for (int c = 0; c < names.Count; c++)
            {
                var cert = certs.GetProperty(names[c]);
                Assert.Equal(cert.GetProperty("sha256_cert").GetString(), described[c].CertificateSha256);
                Assert.Equal(cert.GetProperty("sha256_spki").GetString(), described[c].SpkiSha256);
                Assert.Equal(cert.GetProperty("subject").GetString(), described[c].Subject);
                Assert.Equal(cert.GetProperty("issuer").GetString(), described[c].Issuer);
                Assert.Equal(cert.GetProperty("subject_alt_dns").EnumerateArray().Select(x => x.GetString()), described[c].DnsNames);
                Assert.Equal(DateTime.Parse(cert.GetProperty("not_after").GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), described[c].NotAfterUtc);
                Assert.Equal(DateTime.Parse(cert.GetProperty("not_before").GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), described[c].NotBeforeUtc);
            }
        }
    }

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
