using System;

namespace DaneTools.Core.Dane;

/// <summary>Settings of <see cref="DaneDomainChecker.CheckAsync"/>; mutable, snapshotted when a check starts.</summary>
public sealed class DaneCheckOptions
{
    /// <summary>Gets or sets the SMTP port probed and used in the TLSA query name (<c>_port._tcp.host</c>). Default is 25.</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>Gets or sets the EHLO name. Default is null: the machine's fully qualified domain name.</summary>
    public string? HeloName { get; set; }

    /// <summary>Gets or sets whether to skip the SMTP probes and give the verdict from DNS alone. Default is false.</summary>
    public bool DnsOnly { get; set; }

    /// <summary>Gets or sets how many days ahead an expiring certificate or RRSIG is reported as a warning. Default is 14.</summary>
    public int ExpiryWarningDays { get; set; } = 14;

    /// <summary>Gets or sets the time, UTC, at which certificate dates and expiry warnings are judged. Default is null: now.
    /// A Local value is converted to UTC; Unspecified is taken as UTC.</summary>
    public DateTime? ValidationTime { get; set; }

    /// <summary>Gets or sets the time allowed for each SMTP probe, in seconds. Default is 30.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Gets or sets how many SMTP probes of one domain run at once (across its hosts and addresses). Default is 8.</summary>
    public int ThrottleLimit { get; set; } = 8;
}
