using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Delivery;
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
    public async Task ProbeAsync_ConnectNeverCompletes_TimesOutWithinLimit()
    {
        // A listener that never accepts, its queue filled: Linux drops further SYNs, so the connect hangs as it would
        // towards a firewalled address, without leaving the machine.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new System.Collections.Generic.List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(IPAddress.Loopback, port);
            }
            await Task.Delay(200);
            var options = new SmtpProbeOptions { HeloName = "probe.example", Port = port, TimeoutSeconds = 1 };

            var result = await SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test", options);

            Assert.Equal(SmtpProbeOutcome.Timeout, result.Outcome);
            Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
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

    private static int FreePort() => LoopbackSmtp.FreePort();

    private static X509Certificate2 SelfSigned(string name) => LoopbackSmtp.SelfSigned(name);
}
