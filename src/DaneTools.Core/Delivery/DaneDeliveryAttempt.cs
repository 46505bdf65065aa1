using System;
using System.Collections.Generic;
using DaneTools.Core.Dane;
using DaneTools.Core.Reporting;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Delivery;

/// <summary>One try at one MX host address (or one host skipped before connecting). Immutable.</summary>
public sealed class DaneDeliveryAttempt
{
    internal DaneDeliveryAttempt(string hostName, string address, int port, string serverName, DaneRequirement requirement,
        DaneHostOutcome outcome, DaneFailureKind failureKind, bool delivered, string? replyCode, string reason, string? tlsVersion,
        string? cipherAlgorithm, TlsaRecord? matchedRecord, IReadOnlyList<string> transcript, TimeSpan elapsed, MtaStsHostResult? mtaSts = null,
        bool mtaStsRefused = false)
    {
        MtaSts = mtaSts;
        MtaStsRefused = mtaStsRefused;
        HostName = hostName;
        Address = address;
        Port = port;
        ServerName = serverName;
        Requirement = requirement;
        Outcome = outcome;
        FailureKind = failureKind;
        Delivered = delivered;
        ReplyCode = replyCode;
        Reason = reason;
        TlsVersion = tlsVersion;
        CipherAlgorithm = cipherAlgorithm;
        MatchedTlsaRecord = matchedRecord?.ToString() ?? string.Empty;
        Transcript = transcript;
        ElapsedMilliseconds = Math.Round(elapsed.TotalMilliseconds, 1);
    }

    /// <summary>Gets the MX host name.</summary>
    public string HostName { get; }

    /// <summary>Gets the address tried, or an empty string when the host was skipped before connecting.</summary>
    public string Address { get; }

    /// <summary>Gets the TCP port.</summary>
    public int Port { get; }

    /// <summary>Gets the name sent as SNI: the TLSA base domain, or the MX host name (RFC 7672 section 8.1).</summary>
    public string ServerName { get; }

    /// <summary>Gets what the host's TLSA lookup required of the session.</summary>
    public DaneRequirement Requirement { get; }

    /// <summary>Gets the session's DANE outcome: Authenticated, TlsOnly or NoDane when it got as far as sending; a failure otherwise.</summary>
    public DaneHostOutcome Outcome { get; }

    /// <summary>Gets <see cref="Outcome"/> as a name.</summary>
    public string OutcomeText => Outcome.ToString();

    /// <summary>Gets the failure class of this try, or None (also None for an SMTP rejection: see <see cref="ReplyCode"/>).</summary>
    public DaneFailureKind FailureKind { get; }

    /// <summary>Gets whether the server accepted the message in this try.</summary>
    public bool Delivered { get; }

    /// <summary>Gets the SMTP reply code of the last reply (e.g. <c>250</c>, <c>450</c>), or null when no command was answered.</summary>
    public string? ReplyCode { get; }

    /// <summary>Gets one sentence on what happened.</summary>
    public string Reason { get; }

    /// <summary>Gets the negotiated TLS version, or null for a plaintext session or none.</summary>
    public string? TlsVersion { get; }

    /// <summary>Gets the negotiated cipher suite (the bulk cipher on .NET before 8), or null.</summary>
    public string? CipherAlgorithm { get; }

    /// <summary>Gets the TLSA record that authenticated the server (presentation form), or an empty string.</summary>
    public string MatchedTlsaRecord { get; }

    /// <summary>Gets the SMTP dialogue of this try without the message content and without secrets (no authentication is ever used).</summary>
    public IReadOnlyList<string> Transcript { get; }

    /// <summary>Gets the MTA-STS verdict on this host and session (RFC 8461 section 4: the mx patterns, then the chain this session
    /// captured under WebPKI for the MX host name, TLS 1.2+), or null when no enforce or testing policy judged it (DANE applies, or no policy).</summary>
    public MtaStsHostResult? MtaSts { get; }

    /// <summary>Gets <see cref="MtaStsHostResult.Outcome"/> as a name, or an empty string.</summary>
    public string MtaStsOutcomeText => MtaSts?.OutcomeText ?? string.Empty;

    /// <summary>Gets whether the MTA-STS policy (enforce) refused this host: not tried, or the session was closed (QUIT) before MAIL FROM.</summary>
    public bool MtaStsRefused { get; }

    /// <summary>Gets how long the try took, in milliseconds.</summary>
    public double ElapsedMilliseconds { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{HostName} [{Address}]: {Outcome}: {Reason}";
}
