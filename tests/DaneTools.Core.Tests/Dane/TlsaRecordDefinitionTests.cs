using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DaneTools.Core.Dane;
using Xunit;

namespace DaneTools.Core.Tests.Dane;

/// <summary>
/// <see cref="TlsaRecordDefinition.FromCertificateFile"/> (the Core part of New-TlsaRecord) checked against the
/// openssl command line on certificates made in the test.
/// </summary>
public sealed class TlsaRecordDefinitionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("danetools-tlsa-").FullName;
    private readonly string _chainPem;
    private readonly string _leafPem;
    private readonly string _caPem;
    private readonly string _leafDer;
    private readonly string _cnOnlyPem;

    public TlsaRecordDefinitionTests()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var leafKey = RSA.Create(2048);
        var leafReq = new CertificateRequest("CN=cn.example.net", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("Mail.Example.COM");
        san.AddDnsName("second.example.com");
        leafReq.CertificateExtensions.Add(san.Build());
        using var leaf = leafReq.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddDays(20), new byte[] { 1, 2, 3, 4 });

        using var cnKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var cnOnly = new CertificateRequest("O=Org, CN=Only.CN.Example.org", cnKey, HashAlgorithmName.SHA384).CreateSelfSigned(now.AddDays(-1), now.AddDays(20));

        _leafPem = Write("leaf.pem", leaf.ExportCertificatePem() + "\n");
        _caPem = Write("ca.pem", ca.ExportCertificatePem() + "\n");
        _chainPem = Write("chain.pem", "some text before\n" + leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        _leafDer = Path.Combine(_dir, "leaf.der");
        File.WriteAllBytes(_leafDer, leaf.RawData);
        _cnOnlyPem = Write("cnonly.pem", cnOnly.ExportCertificatePem() + "\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs a shell pipeline of openssl commands and returns its standard output.</summary>
    private static byte[] Shell(string command)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -eo pipefail; " + command);
        using var p = Process.Start(psi)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"'{command}' failed ({p.ExitCode}): {err}");
        return ms.ToArray();
    }

    /// <summary>openssl dgst prints "SHA2-256(stdin)= hex"; returns the hex in upper case.</summary>
    private static string Digest(string pipeline, string algorithm)
    {
        var text = System.Text.Encoding.ASCII.GetString(Shell($"{pipeline} | openssl dgst -{algorithm}")).Trim();
        return text.Substring(text.LastIndexOf(' ') + 1).ToUpperInvariant();
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

    private static string SpkiDer(string pem) => $"openssl x509 -in {Quote(pem)} -pubkey -noout | openssl pkey -pubin -outform DER";

    private static string CertDer(string pem) => $"openssl x509 -in {Quote(pem)} -outform DER";

    [Theory]
    [InlineData(TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, "sha256")]
    [InlineData(TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha512, "sha512")]
    [InlineData(TlsaSelector.Certificate, TlsaMatchingType.Sha256, "sha256")]
    [InlineData(TlsaSelector.Certificate, TlsaMatchingType.Sha512, "sha512")]
    public void FromCertificateFile_DaneEeDigest_AgreesWithOpenssl(TlsaSelector selector, TlsaMatchingType type, string algorithm)
    {
        var defs = TlsaRecordDefinition.FromCertificateFile(_chainPem, "mail.example.com", 25, TlsaUsage.DaneEe, selector, type);
        var def = Assert.Single(defs);
        var expected = Digest(selector == TlsaSelector.Certificate ? CertDer(_leafPem) : SpkiDer(_leafPem), algorithm);
        Assert.Equal(expected, def.CertificateAssociationData);
        Assert.Equal($"_25._tcp.mail.example.com. IN TLSA 3 {(byte)selector} {(byte)type} {expected}", def.Presentation);
    }

    [Theory]
    [InlineData(TlsaSelector.SubjectPublicKeyInfo)]
    [InlineData(TlsaSelector.Certificate)]
    public void FromCertificateFile_FullMatching_EqualsOpensslDer(TlsaSelector selector)
    {
        var def = Assert.Single(TlsaRecordDefinition.FromCertificateFile(_leafPem, "mail.example.com", 25, TlsaUsage.DaneEe, selector, TlsaMatchingType.Full));
        var expected = Shell(selector == TlsaSelector.Certificate ? CertDer(_leafPem) : SpkiDer(_leafPem));
        Assert.Equal(expected, def.Record.GetAssociationData());
    }

    [Fact]
    public void FromCertificateFile_DaneTaChain_OneRecordPerCertificateAgreeingWithOpenssl()
    {
        var defs = TlsaRecordDefinition.FromCertificateFile(_chainPem, "mail.example.com", 25, TlsaUsage.DaneTa, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256);
        Assert.Equal(2, defs.Count);
        Assert.Equal(Digest(SpkiDer(_leafPem), "sha256"), defs[0].CertificateAssociationData);
        Assert.Equal(Digest(SpkiDer(_caPem), "sha256"), defs[1].CertificateAssociationData);
        Assert.Equal(1, defs[1].ChainIndex);
        Assert.Equal("CN=Test CA", defs[1].CertificateSubject);
    }

    [Fact]
    public void FromCertificateFile_DerFile_SameAsPem()
    {
        var fromDer = Assert.Single(TlsaRecordDefinition.FromCertificateFile(_leafDer, "mail.example.com", 25, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256));
        Assert.Equal(Digest(SpkiDer(_leafPem), "sha256"), fromDer.CertificateAssociationData);
    }

    [Fact]
    public void FromCertificateFile_NoHostName_UsesFirstDnsSan()
    {
        var def = Assert.Single(TlsaRecordDefinition.FromCertificateFile(_chainPem, null!, 25, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256));
        Assert.Equal("mail.example.com", def.HostName);
        Assert.Equal("_25._tcp.mail.example.com.", def.Name);
        Assert.Equal("mail.example.com", Assert.Single(TlsaRecordDefinition.FromCertificateFile(_leafDer, "", 25, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256)).HostName);
    }

    [Fact]
    public void FromCertificateFile_NoHostNameNoSan_UsesCommonName()
    {
        var def = Assert.Single(TlsaRecordDefinition.FromCertificateFile(_cnOnlyPem, "", 443, TlsaUsage.DaneEe, TlsaSelector.Certificate, TlsaMatchingType.Sha512));
        Assert.Equal("only.cn.example.org", def.HostName);
        Assert.Equal(Digest(CertDer(_cnOnlyPem), "sha512"), def.CertificateAssociationData);
    }

    [Fact]
    public void FromCertificateFile_HostNameGiven_TrailingDotRemovedAndLowerCased()
    {
        var def = Assert.Single(TlsaRecordDefinition.FromCertificateFile(_leafPem, "MX1.Example.NET.", 25, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256));
        Assert.Equal("_25._tcp.mx1.example.net.", def.Name);
    }

    [Fact]
    public void FromCertificateFile_RecordsMatchTheirOwnCertificate()
    {
        // What New-TlsaRecord publishes must authenticate the same chain (DANE-EE needs no names or path).
        var def = Assert.Single(TlsaRecordDefinition.FromCertificateFile(_chainPem, null!, 25, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256));
        var chain = new[] { Shell(CertDer(_leafPem)), Shell(CertDer(_caPem)) };
        Assert.True(TlsaMatcher.Match(new[] { def.Record }, chain).IsAuthenticated);
    }

    [Fact]
    public void FromCertificateFile_NotACertificate_Throws()
    {
        var path = Write("junk.pem", "no certificate here\n");
        Assert.Throws<InvalidDataException>(() => TlsaRecordDefinition.FromCertificateFile(path, "x", 25, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256));
    }
}
