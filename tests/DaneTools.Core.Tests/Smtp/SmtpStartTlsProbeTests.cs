using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Smtp;
using SmtpServer;
using Xunit;

namespace DaneTools.Core.Tests.Smtp;

/// <summary>Probes a real SMTP server (the SmtpServer package) on 127.0.0.1.</summary>
public sealed class SmtpStartTlsProbeTests
{
    private static readonly SmtpProbeOptions s_options = new() { HeloName = "probe.example", TimeoutSeconds = 10 };

    [Fact]
    public async Task ProbeAsync_ServerOffersStartTls_EstablishesTlsAndCapturesLeaf()
    {
        using var cert = SelfSigned("mx.example.test");
        await using var server = await LoopbackSmtpServer.StartAsync(cert);

        var result = await SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test", Options(server.Port));

        Assert.Equal(SmtpProbeOutcome.TlsEstablished, result.Outcome);
        Assert.Null(result.Error);
        Assert.True(result.StartTlsOffered);
        Assert.Contains("STARTTLS", result.EhloKeywords);
        Assert.StartsWith("220", result.Banner);
        // Read while the session was up (MailKit reports None once it has closed).
        Assert.Matches("^Tls1[23]$", result.TlsVersion);
        Assert.False(string.IsNullOrEmpty(result.CipherAlgorithm));
        Assert.Equal(cert.RawData, Assert.Single(result.PresentedChain));
        Assert.Contains("C: EHLO probe.example", result.Transcript);
        Assert.Contains("C: STARTTLS", result.Transcript);
        Assert.Contains("C: QUIT", result.Transcript);
        Assert.DoesNotContain(result.Transcript, line => line.StartsWith("C: MAIL", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ProbeAsync_ServerWithoutStartTls_ReportsStartTlsNotOffered()
    {
        await using var server = await LoopbackSmtpServer.StartAsync(certificate: null);

        var result = await SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test", Options(server.Port));

        Assert.Equal(SmtpProbeOutcome.StartTlsNotOffered, result.Outcome);
        Assert.False(result.StartTlsOffered);
        Assert.Empty(result.PresentedChain);
        Assert.DoesNotContain("C: STARTTLS", result.Transcript);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_ReportsConnectionFailed()
    {
        int port = FreePort();

        var result = await SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test", Options(port));

        Assert.Equal(SmtpProbeOutcome.ConnectionFailed, result.Outcome);
        Assert.Contains("127.0.0.1:" + port, result.Error);
    }

    [Fact]
    public async Task ProbeAsync_ServerNeverGreets_TimesOutWithinLimit()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var accept = listener.AcceptTcpClientAsync();
            var options = new SmtpProbeOptions { HeloName = "probe.example", Port = ((IPEndPoint)listener.LocalEndpoint).Port, TimeoutSeconds = 1 };

            var result = await SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test", options);

            Assert.Equal(SmtpProbeOutcome.Timeout, result.Outcome);
            Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
            (await accept).Dispose();
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task ProbeAsync_CallerCancels_Throws()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var options = new SmtpProbeOptions { Port = ((IPEndPoint)listener.LocalEndpoint).Port, TimeoutSeconds = 30 };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test", options, cts.Token));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void EhloKeywords_MultilineReply_ReadsKeywordsBeforeStartTls()
    {
        var lines = new[]
        {
            "S: 220 mx.example.test ESMTP", "C: EHLO probe.example", "S: 250-mx.example.test", "S: 250-PIPELINING",
            "S: 250-SIZE 10240000", "S: 250-STARTTLS", "S: 250 8BITMIME", "C: STARTTLS", "S: 220 2.0.0 Ready",
            "C: EHLO probe.example", "S: 250-mx.example.test", "S: 250 AUTH PLAIN",
        };

        Assert.Equal(new[] { "PIPELINING", "SIZE", "STARTTLS", "8BITMIME" }, SmtpStartTlsProbe.EhloKeywords(lines));
    }

    private static SmtpProbeOptions Options(int port) =>
        new() { HeloName = s_options.HeloName, TimeoutSeconds = s_options.TimeoutSeconds, Port = port };

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Round-trip through PKCS#12 so SslStream on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class LoopbackSmtpServer : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public int Port { get; private set; }

        public static async Task<LoopbackSmtpServer> StartAsync(X509Certificate2? certificate)
        {
            var server = new LoopbackSmtpServer { Port = FreePort() };
            var options = new SmtpServerOptionsBuilder()
                .ServerName("mx.example.test")
                .Endpoint(builder =>
                {
                    builder.Endpoint(new IPEndPoint(IPAddress.Loopback, server.Port));
                    if (certificate is not null) builder.Certificate(certificate);
                })
                .Build();
            var smtp = new SmtpServer.SmtpServer(options, new SmtpServer.ComponentModel.ServiceProvider());
            server._running = smtp.StartAsync(server._stop.Token);
            await WaitForListener(server.Port);
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _running; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }

        private static async Task WaitForListener(int port)
        {
            for (int i = 0; i < 50; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    await Task.Delay(50);
                }
            }
        }
    }
}
