using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Tests.Smtp;

/// <summary>
/// A scripted SMTP peer on a loopback address for the failures a real server rarely shows (421 to STARTTLS, a line
/// dropped after STARTTLS, a refused greeting). Each connection gets the greeting, then one reply per command; a null
/// reply closes the connection at that point. Test plumbing only: it speaks no TLS.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    public const string Close = "<close>";

    private readonly TcpListener _listener;
    private readonly Func<string?, string> _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private ScriptedSmtpServer(IPAddress address, int port, Func<string?, string> reply)
    {
        _listener = new TcpListener(address, port);
        _listener.Start();
        _reply = reply;
        _running = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts the peer.</summary>
    /// <param name="reply">Given null for the greeting or the command line, returns the reply lines (CRLF between), or <see cref="Close"/>.</param>
    public static ScriptedSmtpServer Start(Func<string?, string> reply, string address = "127.0.0.1", int port = 0) =>
        new(IPAddress.Parse(address), port, reply);

    /// <summary>A server offering STARTTLS that answers STARTTLS with <paramref name="startTlsReply"/>.</summary>
    public static Func<string?, string> AnswersStartTls(string startTlsReply) => command => command switch
    {
        null => "220 mx.example.test ESMTP",
        _ when command.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase) => "250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS",
        _ when command.StartsWith("STARTTLS", StringComparison.OrdinalIgnoreCase) => startTlsReply,
        _ when command.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase) => "221 bye",
        _ => "502 5.5.2 not implemented",
    };

    /// <summary>The scripts of the classification tests, by name.</summary>
    public static Func<string?, string> Named(string name) => name switch
    {
        "ClosesBeforeGreeting" => _ => Close,
        "GreetingRefused" => command => command is null ? "554 5.3.2 no service here" : Close,
        "StartTls421" => AnswersStartTls("421 4.3.2 service shutting down"),
        "StartTls454" => AnswersStartTls("454 4.7.0 TLS not available due to temporary reason"),
        "ClosesAfterStartTls" => AnswersStartTls(Close),
        "ClosesInHandshake" => AnswersStartTls("220 2.0.0 ready to start TLS\r\n" + Close),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => TalkAsync(client));
        }
    }

    private async Task TalkAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                string? command = null;
                do
                {
                    var reply = _reply(command);
                    bool close = reply.EndsWith(Close, StringComparison.Ordinal);
                    if (close) reply = reply.Substring(0, reply.Length - Close.Length);
                    if (reply.Length > 0)
                    {
                        var bytes = Encoding.ASCII.GetBytes(reply.TrimEnd('\r', '\n') + "\r\n");
                        await stream.WriteAsync(bytes, _stop.Token);
                    }
                    if (close) return;
                }
                while ((command = await reader.ReadLineAsync(_stop.Token)) is not null);
            }
            catch (Exception)
            {
                // The client went away or the test ended.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _running; } catch (Exception) { }
        _stop.Dispose();
    }
}
