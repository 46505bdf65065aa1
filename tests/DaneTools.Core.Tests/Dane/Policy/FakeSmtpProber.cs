using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Delivery;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>An in-memory <see cref="ISmtpProber"/>: a scripted outcome per address; unscripted addresses refuse the connection.</summary>
internal sealed class FakeSmtpProber : ISmtpProber
{
    private readonly ConcurrentDictionary<string, Func<string, SmtpProbeOptions, SmtpProbeResult>> _scripts = new();

    public ConcurrentQueue<(string Address, string ServerName, int Port, string HeloName)> Calls { get; } = new();

    public Task<SmtpProbeResult> ProbeAsync(IPAddress address, string serverName, SmtpProbeOptions options, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Enqueue((address.ToString(), serverName, options.Port, options.HeloName));
        var result = _scripts.TryGetValue(address.ToString(), out var script)
            ? script(serverName, options)
            : Result(address.ToString(), serverName, options.Port, SmtpProbeOutcome.ConnectionFailed, "connection refused", Array.Empty<byte[]>(), startTls: false);
        return Task.FromResult(result);
    }

    /// <summary>The server offers STARTTLS and presents this chain (DER, leaf first).</summary>
    public FakeSmtpProber Tls(string address, IEnumerable<byte[]> chain)
    {
        var list = chain.ToList();
        _scripts[address] = (sni, o) => Result(address, sni, o.Port, SmtpProbeOutcome.TlsEstablished, null, list, startTls: true);
        return this;
    }

    /// <summary>The server fails in the given way before TLS.</summary>
    public FakeSmtpProber Fails(string address, SmtpProbeOutcome outcome, string error)
    {
        _scripts[address] = (sni, o) => Result(address, sni, o.Port, outcome, error, Array.Empty<byte[]>(), startTls: outcome == SmtpProbeOutcome.TlsHandshakeFailed);
        return this;
    }

    private static SmtpProbeResult Result(string address, string sni, int port, SmtpProbeOutcome outcome, string? error, IReadOnlyList<byte[]> chain, bool startTls)
    {
        var keywords = startTls ? new[] { "PIPELINING", "STARTTLS" } : new[] { "PIPELINING" };
        bool tls = outcome == SmtpProbeOutcome.TlsEstablished;
        return new SmtpProbeResult(address, port, sni, outcome, error, "220 mx.test ESMTP", keywords, startTls,
            tls ? "Tls13" : null, tls ? "Aes256Gcm" : null, tls ? 256 : null, chain, new[] { "S: 220 mx.test ESMTP" }, TimeSpan.FromMilliseconds(5));
    }
}
