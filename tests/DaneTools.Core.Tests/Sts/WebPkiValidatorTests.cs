using System;
using System.Collections.Generic;
using DaneTools.Core.Sts;
using DaneTools.Core.Tests.Dane;
using Xunit;

namespace DaneTools.Core.Tests.Sts;

/// <summary>
/// WebPKI validation as RFC 8461 section 4.2 asks it (RFC 6125 DNS-IDs; RFC 5280 chains), with RFC 8460 section 4.3.1 result
/// types. Certificates from <see cref="TestPki"/>; the test root is trusted only as an extra root (never the system store).
/// </summary>
public sealed class WebPkiValidatorTests
{
    private static TestPki.Hierarchy Pki(string subject, params string[] names) =>
        new(new TestPki.Spec { Subject = subject, DnsNames = names });

    private static WebPkiValidator Trusting(TestPki.Hierarchy pki) => new(new[] { pki.Root.Der }, useSystemTrust: false);

    [Theory]
    [InlineData("mx1.example.com", "mx1.example.com", true)]
    [InlineData("*.example.com", "mx1.example.com", true)]
    [InlineData("*.example.com", "a.mx1.example.com", false)] // '*' is one label
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("mx*.example.com", "mx1.example.com", false)] // '*' only as a whole left-most label
    [InlineData("other.example.com", "mx1.example.com", false)]
    public void Validate_NamesFromSubjectAltName(string san, string host, bool valid)
    {
        var pki = Pki("CN=" + host, san);
        var r = Trusting(pki).Validate(pki.Chain(), host, TestPki.Now);
        Assert.Equal(valid, r.IsValid);
        Assert.Equal(valid ? string.Empty : MtaStsResultTypes.CertificateHostMismatch, r.ResultType);
    }

    [Fact]
    public void Validate_CommonNameOnly_IsNotAName()
    {
        var pki = Pki("CN=mx1.example.com");
        var r = Trusting(pki).Validate(pki.Chain(), "mx1.example.com", TestPki.Now);
        Assert.False(r.IsValid);
        Assert.Equal(MtaStsResultTypes.CertificateHostMismatch, r.ResultType);
    }

    [Fact]
    public void Validate_Expired_IsCertificateExpired()
    {
        var pki = Pki("CN=mx1.example.com", "mx1.example.com");
        var r = Trusting(pki).Validate(pki.Chain(), "mx1.example.com", TestPki.Now.AddDays(61));
        Assert.False(r.IsValid);
        Assert.Equal(MtaStsResultTypes.CertificateExpired, r.ResultType);
    }

    [Fact]
    public void Validate_UntrustedRoot_IsNotTrusted()
    {
        var pki = Pki("CN=mx1.example.com", "mx1.example.com");
        var other = Pki("CN=x", "x.example");
        var r = new WebPkiValidator(new[] { other.Root.Der }, useSystemTrust: true).Validate(pki.Chain(), "mx1.example.com", TestPki.Now);
        Assert.False(r.IsValid);
        Assert.Equal(MtaStsResultTypes.CertificateNotTrusted, r.ResultType);
    }

    [Fact]
    public void Validate_SelfSignedLeaf_IsNotTrusted()
    {
        // A DANE-EE server's usual self-signed certificate: fine for DANE, not for MTA-STS.
        var leaf = TestPki.Issue(new TestPki.Spec { Subject = "CN=mx1.example.com", DnsNames = new[] { "mx1.example.com" } });
        var r = new WebPkiValidator().Validate(new List<byte[]> { leaf.Der }, "mx1.example.com", TestPki.Now);
        Assert.Equal(MtaStsResultTypes.CertificateNotTrusted, r.ResultType);
    }

    [Fact]
    public void Validate_MissingIntermediate_IsNotTrusted()
    {
        var pki = Pki("CN=mx1.example.com", "mx1.example.com");
        var r = Trusting(pki).Validate(new List<byte[]> { pki.Leaf.Der }, "mx1.example.com", TestPki.Now);
        Assert.Equal(MtaStsResultTypes.CertificateNotTrusted, r.ResultType);
    }

    [Fact]
    public void Validate_EmptyOrGarbage_IsNotTrusted()
    {
        var v = new WebPkiValidator();
        Assert.Equal(MtaStsResultTypes.CertificateNotTrusted, v.Validate(Array.Empty<byte[]>(), "a.example", TestPki.Now).ResultType);
        Assert.Equal(MtaStsResultTypes.CertificateNotTrusted, v.Validate(new List<byte[]> { new byte[] { 1, 2, 3 } }, "a.example", TestPki.Now).ResultType);
    }
}
