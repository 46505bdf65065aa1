using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using SmtpServer;

namespace DaneTools.Core.Tests.Smtp;

/// <summary>Test plumbing shared by the SMTP tests: free ports, self-signed certificates, a real SMTP server on 127.0.0.1.</summary>
internal static class LoopbackSmtp
{
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so that SslStream on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Waits until something accepts connections on the port (at most about 2.5 s).</summary>
    public static Task WaitForListenerAsync(int port) => WaitForListenerAsync(IPAddress.Loopback, port);

    /// <summary>Waits until something accepts connections on the address and port (at most about 2.5 s).</summary>
    public static async Task WaitForListenerAsync(IPAddress address, int port)
    {
        for (int i = 0; i < 50; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(address, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>The SmtpServer package on 127.0.0.1, offering STARTTLS when given a certificate.</summary>
internal sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public int Port { get; private set; }

    public static async Task<LoopbackSmtpServer> StartAsync(X509Certificate2? certificate, string serverName = "mx.example.test")
    {
        var server = new LoopbackSmtpServer { Port = LoopbackSmtp.FreePort() };
        var options = new SmtpServerOptionsBuilder()
            .ServerName(serverName)
            .Endpoint(builder =>
            {
                builder.Endpoint(new IPEndPoint(IPAddress.Loopback, server.Port));
                if (certificate is not null) builder.Certificate(certificate);
            })
            .Build();
        var smtp = new SmtpServer.SmtpServer(options, new SmtpServer.ComponentModel.ServiceProvider());
        server._running = smtp.StartAsync(server._stop.Token);
        await LoopbackSmtp.WaitForListenerAsync(server.Port);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _running; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
