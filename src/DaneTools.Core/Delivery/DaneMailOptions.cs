using System;
using System.IO;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Delivery;

/// <summary>Settings of one <see cref="DaneMailSender"/> job; snapshotted when the job is prepared.</summary>
public sealed class DaneMailOptions
{
    /// <summary>Gets or sets the SMTP port of the MX hosts, also used in the TLSA query name (<c>_port._tcp.host</c>). Default is 25.</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>Gets or sets the EHLO name. Default is null: the machine's fully qualified domain name.</summary>
    public string? HeloName { get; set; }

    /// <summary>Gets or sets the time allowed for each SMTP step (connect, one reply, the TLS handshake, the message data), in seconds. Default is 30.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Gets or sets the folder where every undelivered message is written as .eml. Default: <c>DaneTools-undelivered</c> in the temporary directory.</summary>
    public string FailedMessagePath { get; set; } = DefaultFailedMessagePath;

    /// <summary>Gets or sets how strictly DANE is applied. Default is <see cref="DaneMailMode.Enforce"/>.</summary>
    public DaneMailMode Mode { get; set; } = DaneMailMode.Enforce;

    /// <summary>Gets or sets whether the recipient domain's MTA-STS policy (RFC 8461) is applied. Default is
    /// <see cref="MtaStsMailMode.Opportunistic"/>: what the policy says.</summary>
    public MtaStsMailMode MtaStsMode { get; set; } = MtaStsMailMode.Opportunistic;

    /// <summary>Gets or sets the MTA-STS policy fetch limits and the WebPKI trust (extra roots, system store) used for the policy host
    /// and the MX hosts' certificates. Default is null: <see cref="MtaStsFetchOptions"/>' defaults (system store only).</summary>
    public MtaStsFetchOptions? MtaStsFetch { get; set; }

    /// <summary>Gets or sets the time, UTC, at which certificate dates are judged under DANE-TA and MTA-STS. Default is null: now.</summary>
    public DateTime? ValidationTime { get; set; }

    /// <summary>Gets the default <see cref="FailedMessagePath"/>: <c>DaneTools-undelivered</c> in the temporary directory.</summary>
    public static string DefaultFailedMessagePath => Path.Combine(Path.GetTempPath(), "DaneTools-undelivered");
}
