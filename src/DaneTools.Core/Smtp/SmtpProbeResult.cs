using System;
using System.Collections.Generic;

namespace DaneTools.Core.Smtp;

/// <summary>What one STARTTLS probe of one server address saw. Immutable.</summary>
public sealed class SmtpProbeResult
{
    internal SmtpProbeResult(string address, int port, string serverName, SmtpProbeOutcome outcome, string? error,
        string? banner, IReadOnlyList<string> ehloKeywords, bool startTlsOffered, string? tlsVersion, string? cipherAlgorithm,
        int? cipherStrength, IReadOnlyList<byte[]> presentedChain, IReadOnlyList<string> transcript, TimeSpan elapsed)
    {
        Address = address;
        Port = port;
        ServerName = serverName;
        Outcome = outcome;
        Error = error;
        Banner = banner;
        EhloKeywords = ehloKeywords;
        StartTlsOffered = startTlsOffered;
        TlsVersion = tlsVersion;
        CipherAlgorithm = cipherAlgorithm;
        CipherStrength = cipherStrength;
        PresentedChain = presentedChain;
        Transcript = transcript;
        Elapsed = elapsed;
    }

    /// <summary>Gets the server address probed (IPv4 or IPv6, textual).</summary>
    public string Address { get; }

    /// <summary>Gets the TCP port.</summary>
    public int Port { get; }

    /// <summary>Gets the name sent as SNI (the TLSA base domain, RFC 7672 section 8.1).</summary>
    public string ServerName { get; }

    /// <summary>Gets how far the probe got.</summary>
    public SmtpProbeOutcome Outcome { get; }

    /// <summary>Gets why the probe stopped short, or null when TLS was established.</summary>
    public string? Error { get; }

    /// <summary>Gets the server's greeting (first line of the 220 reply), or null.</summary>
    public string? Banner { get; }

    /// <summary>Gets the EHLO keywords the server offered before STARTTLS (e.g. PIPELINING, STARTTLS, SIZE).</summary>
    public IReadOnlyList<string> EhloKeywords { get; }

    /// <summary>Gets whether the EHLO reply offered STARTTLS.</summary>
    public bool StartTlsOffered { get; }

    /// <summary>Gets the negotiated TLS version (e.g. Tls13), or null.</summary>
    public string? TlsVersion { get; }

    /// <summary>Gets the negotiated cipher suite (e.g. TLS_AES_256_GCM_SHA384), or its bulk cipher (e.g. Aes256Gcm) on the
    /// netstandard2.0 build, which exposes no suite name; null when TLS was not established.</summary>
    public string? CipherAlgorithm { get; }

    /// <summary>Gets the cipher strength in bits, or null.</summary>
    public int? CipherStrength { get; }

    /// <summary>Gets the certificates the server presented, DER, leaf first, in the order sent.</summary>
    public IReadOnlyList<byte[]> PresentedChain { get; }

    /// <summary>Gets the SMTP dialogue (no TLS bytes, no secrets).</summary>
    public IReadOnlyList<string> Transcript { get; }

    /// <summary>Gets how long the probe took.</summary>
    public TimeSpan Elapsed { get; }
}
