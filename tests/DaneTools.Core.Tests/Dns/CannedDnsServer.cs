using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Tests.Dns;

/// <summary>
/// A UDP responder on 127.0.0.1 that answers every query with one recorded answer packet (its ID set to the
/// query's), or swallows queries when given none. Test plumbing only: the packets come from real servers.
/// </summary>
internal sealed class CannedDnsServer : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[]? _answer;

    public CannedDnsServer(byte[]? answer)
    {
        _answer = answer;
        _ = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int QueriesReceived;

    /// <summary>Reads a packet written by <c>drill -w</c>: hex octets, text after ';' ignored.</summary>
    public static byte[] ReadDrillPacket(string path)
    {
        var bytes = new List<byte>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw;
            int semi = line.IndexOf(';');
            if (semi >= 0) line = line.Substring(0, semi);
            foreach (var token in line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        return bytes.ToArray();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try { query = await _udp.ReceiveAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref QueriesReceived);
            if (_answer is null) continue;
            var reply = (byte[])_answer.Clone();
            reply[0] = query.Buffer[0];
            reply[1] = query.Buffer[1];
            try { await _udp.SendAsync(reply, reply.Length, query.RemoteEndPoint); }
            catch (Exception) { return; }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }
}
