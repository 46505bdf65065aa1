using System;
using System.Collections.Generic;
using DaneTools.Core.Reporting;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

/// <summary>What the check saw at one address of one MX host: STARTTLS, TLS, the presented chain and the TLSA match. Immutable.</summary>
public sealed class DaneAddressResult
{
    internal DaneAddressResult(string domainName, string hostName, string address, string addressFamily, int port, string serverName,
        SmtpProbeResult? probe, IReadOnlyList<PresentedCertificate> presentedChain, TlsaMatchResult? match,
        DaneHostOutcome outcome, DaneFailureKind failureKind, string reason)
    {
        DomainName = domainName;
        HostName = hostName;
        Address = address;
        AddressFamily = addressFamily;
        Port = port;
        ServerName = serverName;
        Probed = probe is not null;
        ProbeOutcome = probe?.Outcome;
        StartTlsOffered = probe?.StartTlsOffered;
        TlsVersion = probe?.TlsVersion;
        CipherAlgorithm = probe?.CipherAlgorithm;
        Banner = probe?.Banner;
        ProbeError = probe?.Error;
        Transcript = new TextList<string>(probe?.Transcript);
        ProbeMilliseconds = probe is null ? 0 : Math.Round(probe.Elapsed.TotalMilliseconds, 1);
        PresentedChain = new TextList<PresentedCertificate>(presentedChain);
        MatchOutcome = match?.Outcome;
        MatchedRecord = match?.MatchedRecord;
        MatchDepth = match?.MatchDepth ?? -1;
        Outcome = outcome;
        FailureKind = failureKind;
        Reason = reason;
    }

    /// <summary>Gets the recipient domain checked.</summary>
    public string DomainName { get; }

    /// <summary>Gets the MX host name, without trailing dot.</summary>
    public string HostName { get; }

    /// <summary>Gets the address, textual.</summary>
    public string Address { get; }

    /// <summary>Gets <c>IPv4</c> or <c>IPv6</c>.</summary>
    public string AddressFamily { get; }

    /// <summary>Gets the TCP port.</summary>
    public int Port { get; }

    /// <summary>Gets the name sent as SNI: the TLSA base domain, or the MX host name when there is none (RFC 7672 section 8.1).</summary>
    public string ServerName { get; }

    /// <summary>Gets whether the address was probed (false with DnsOnly, or when the host's DNS failed).</summary>
    public bool Probed { get; }

    /// <summary>Gets how far the probe got, or null when not probed.</summary>
    public SmtpProbeOutcome? ProbeOutcome { get; }

    /// <summary>Gets <see cref="ProbeOutcome"/> as a name, or an empty string.</summary>
    public string ProbeOutcomeText => ProbeOutcome?.ToString() ?? string.Empty;

    /// <summary>Gets whether the EHLO reply offered STARTTLS, or null when not probed.</summary>
    public bool? StartTlsOffered { get; }

    /// <summary>Gets the negotiated TLS version, or null.</summary>
    public string? TlsVersion { get; }

    /// <summary>Gets the negotiated bulk cipher, or null.</summary>
    public string? CipherAlgorithm { get; }

    /// <summary>Gets the server's greeting, or null.</summary>
    public string? Banner { get; }

    /// <summary>Gets why the probe stopped short, or null.</summary>
    public string? ProbeError { get; }

    /// <summary>Gets how long the probe took, in milliseconds (0 when not probed).</summary>
    public double ProbeMilliseconds { get; }

    /// <summary>Gets the SMTP dialogue of the probe.</summary>
    public IReadOnlyList<string> Transcript { get; }

    /// <summary>Gets the chain the server presented, leaf first (subject, issuer, validity, SPKI SHA-256).</summary>
    public IReadOnlyList<PresentedCertificate> PresentedChain { get; }

    /// <summary>Gets the TLSA match verdict, or null when no match was attempted.</summary>
    public TlsaMatchOutcome? MatchOutcome { get; }

    /// <summary>Gets <see cref="MatchOutcome"/> as a name, or an empty string.</summary>
    public string MatchOutcomeText => MatchOutcome?.ToString() ?? string.Empty;

    /// <summary>Gets the TLSA record that matched, or null.</summary>
    public TlsaRecord? MatchedRecord { get; }

    /// <summary>Gets the depth of the match (0 = leaf), or -1.</summary>
    public int MatchDepth { get; }

    /// <summary>Gets the verdict for this address.</summary>
    public DaneHostOutcome Outcome { get; }

    /// <summary>Gets <see cref="Outcome"/> as a name.</summary>
    public string OutcomeText => Outcome.ToString();

    /// <summary>Gets the failure class, or None.</summary>
    public DaneFailureKind FailureKind { get; }

    /// <summary>Gets <see cref="FailureKind"/> as a name.</summary>
    public string FailureKindText => FailureKind.ToString();

    /// <summary>Gets the RFC 8460 result type of this address's failure, or an empty string.</summary>
    public string TlsRptResultType => DaneFailureCodes.TlsRptResultType(FailureKind);

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{HostName} [{Address}]: {Outcome}: {Reason}";
}
