using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Reporting;
using SmtpServer;
using DaneTools.Core.Tests.Smtp;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// The production prober inside the checker, against a real SMTP server (the SmtpServer package) on 127.0.0.1 with a
/// certificate made here; DNS comes from the fake resolver.
/// </summary>
public sealed class SmtpStartTlsProberTests
{
    private const string Host = "mx.example.test";

    [Fact]
    public async Task CheckAsync_RealStartTlsDaneEeMatch_Pass()
    {
        using var cert = SelfSigned(Host);
        await using var server = await LoopbackSmtpServer.StartAsync(cert, Host);
        var dns = Dns(server.Port, "3 1 1 " + Convert.ToHexString(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo())));

        var r = await new DaneDomainChecker(dns, SmtpStartTlsProber.Instance).CheckAsync("example.test", Options(server.Port));

        Assert.Equal(DaneStatus.Pass, r.Status);
        var address = Assert.Single(r.MxHosts[0].Addresses);
        Assert.Equal(DaneHostOutcome.Authenticated, address.Outcome);
        Assert.True(address.StartTlsOffered);
        Assert.NotNull(address.TlsVersion);
        Assert.Equal(Host, address.ServerName);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(cert.RawData)), Assert.Single(address.PresentedChain).CertificateSha256);
        Assert.Contains("C: EHLO client.example", address.Transcript);
    }

    [Fact]
    public async Task CheckAsync_RealServerWithoutStartTls_Fail5_7_321()
    {
        await using var server = await LoopbackSmtpServer.StartAsync(certificate: null, Host);
        var dns = Dns(server.Port, "3 1 1 " + new string('0', 64));

        var r = await new DaneDomainChecker(dns, SmtpStartTlsProber.Instance).CheckAsync("example.test", Options(server.Port));

        Assert.Equal(DaneStatus.Fail, r.Status);
        Assert.Equal(DaneFailureKind.StartTlsNotSupported, r.FailureKind);
        Assert.Equal("5.7.321 starttls-not-supported", r.ExchangeOnlineNdr);
    }

    private static FakeValidatedResolver Dns(int port, string tlsa)
    {
        var dns = new FakeValidatedResolver();
        dns.Mx("example.test", Secure, $"10 {Host}.");
        dns.Host(Host, Secure, "127.0.0.1");
        dns.Set($"_{port}._tcp.{Host}", DnsRecordType.TLSA, Secure, new[] { tlsa });
        return dns;
    }

    private static DaneCheckOptions Options(int port) =>
        new() { SmtpPort = port, HeloName = "client.example", TimeoutSeconds = 10 };

    private static X509Certificate2 SelfSigned(string name) => LoopbackSmtp.SelfSigned(name);
}
