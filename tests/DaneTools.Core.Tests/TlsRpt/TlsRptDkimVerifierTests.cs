using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.TlsRpt;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace DaneTools.Core.Tests.TlsRpt;

public sealed class TlsRptDkimVerifierTests
{
    private static readonly string s_data = Path.Combine(AppContext.BaseDirectory, "TestData", "TlsRpt");
    private static readonly Lazy<AsymmetricCipherKeyPair> s_key = new(() =>
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 2048));
        return generator.GenerateKeyPair();
    });

    /// <summary>Answers TXT queries from a fixed table; every other name is NXDOMAIN. Counts the queries.</summary>
    private sealed class TxtSource : IDnsRecordSource
    {
        private readonly Dictionary<string, string> _records;

        internal TxtSource(Dictionary<string, string> records) => _records = records;

        internal int Queries { get; private set; }

        public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Queries++;
            var key = name.ToString().TrimEnd('.');
            if (type != DnsRecordType.TXT || !_records.TryGetValue(key, out var text)) return Task.FromResult(new DnsResponse(DnsResponseCode.NXDomain));
            // A 2048-bit key does not fit one 255-byte character-string: split as zone files do.
            var strings = Enumerable.Range(0, (text.Length + 199) / 200).Select(i => "\"" + text.Substring(i * 200, Math.Min(200, text.Length - (i * 200))) + "\"");
            var record = ResourceRecord.Parse($"{key}. 300 IN TXT {string.Join(" ", strings)}");
            return Task.FromResult(new DnsResponse(DnsResponseCode.NoError, new[] { record }));
        }
    }

    private static string KeyRecord() =>
        "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(s_key.Value.Public).GetEncoded());

    private static MimeMessage Report() => MimeMessage.Load(Path.Combine(s_data, "exchange-online-report.eml"));

    private static void Sign(MimeMessage message, string domain, bool bodyLength = false)
    {
        var signer = new DkimSigner(s_key.Value.Private, domain, "tlsrpt", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, new[] { HeaderId.From, HeaderId.Subject, HeaderId.Date, HeaderId.To });
        if (bodyLength)
        {
            var header = message.Headers[HeaderId.DkimSignature];
            message.Headers[HeaderId.DkimSignature] = header + "; l=10";
        }
    }

    private static TxtSource Dns() => new(new Dictionary<string, string> { ["tlsrpt._domainkey.microsoft.com"] = KeyRecord() });

    [Fact]
    public async Task VerifyAsync_SignedByTheReportingDomain_Passes()
    {
        var message = Report();
        Sign(message, "microsoft.com");
        var source = Dns();
        Assert.Equal("Pass (d=microsoft.com s=tlsrpt)", await new TlsRptDkimVerifier(source).VerifyAsync(message));
        Assert.Equal(1, source.Queries);
    }

    [Fact]
    public async Task VerifyAsync_Unsigned_IsNone()
    {
        Assert.Equal("None", await new TlsRptDkimVerifier(Dns()).VerifyAsync(Report()));
    }

    [Fact]
    public async Task VerifyAsync_AlteredAfterSigning_Fails()
    {
        var message = Report();
        Sign(message, "microsoft.com");
        message.Subject = "Report Domain: fabrikam.com Submitter: microsoft.com Report-ID: <1>";
        Assert.StartsWith("Fail: d=microsoft.com s=tlsrpt: the signature does not verify", await new TlsRptDkimVerifier(Dns()).VerifyAsync(message));
    }

    [Fact]
    public async Task VerifyAsync_OtherDomainOrBodyLength_FailsWithoutLookingUpTheKey()
    {
        var other = Report();
        Sign(other, "attacker.example");
        var source = Dns();
        Assert.StartsWith("Fail: d=attacker.example is not the reporting domain", await new TlsRptDkimVerifier(source).VerifyAsync(other));
        var partial = Report();
        Sign(partial, "microsoft.com", bodyLength: true);
        Assert.StartsWith("Fail: d=microsoft.com signs only part of the body (l=)", await new TlsRptDkimVerifier(source).VerifyAsync(partial));
        Assert.Equal(0, source.Queries);
    }

    [Fact]
    public async Task VerifyAsync_NoKeyPublished_Fails()
    {
        var message = Report();
        Sign(message, "microsoft.com");
        var empty = new TxtSource(new Dictionary<string, string>());
        Assert.StartsWith("Fail: d=microsoft.com s=tlsrpt: No DKIM key at tlsrpt._domainkey.microsoft.com", await new TlsRptDkimVerifier(empty).VerifyAsync(message));
    }

    [Fact]
    public void ReadFile_WithDkimCheck_RefusesAnUnsignedMailAndReadsASignedOne()
    {
        var options = new TlsRptReadOptions { DkimVerifier = new TlsRptDkimVerifier(Dns()) };
        var ex = Assert.Throws<TlsRptFormatException>(() => TlsRptReportReader.ReadFile(Path.Combine(s_data, "exchange-online-report.eml"), options));
        Assert.Equal(TlsRptErrorKind.DkimInvalid, ex.Kind);
        Assert.Contains("(None)", ex.Message);
        var message = Report();
        Sign(message, "microsoft.com");
        var path = Path.Combine(Path.GetTempPath(), "tlsrpt-dkim-" + Guid.NewGuid().ToString("N") + ".eml");
        try
        {
            message.WriteTo(path);
            var reports = TlsRptReportReader.ReadFile(path, options);
            Assert.Equal(2, reports.Count);
            Assert.Equal("Pass (d=microsoft.com s=tlsrpt)", reports[0].Source.Dkim);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
