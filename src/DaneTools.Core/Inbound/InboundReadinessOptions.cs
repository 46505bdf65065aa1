using DaneTools.Core.Dane;
using DaneTools.Core.Sts;

namespace DaneTools.Core.Inbound;

/// <summary>Settings of an inbound readiness check.</summary>
public sealed class InboundReadinessOptions
{
    /// <summary>The host suffix of Exchange Online's DNSSEC-signed MX hosts.</summary>
    public const string DefaultNewMxSuffix = "mx.microsoft";

    /// <summary>The host suffix of Exchange Online's legacy, unsigned MX hosts.</summary>
    public const string DefaultLegacyMxSuffix = "mail.protection.outlook.com";

    /// <summary>Gets or sets the MX host Exchange Online gave (Enable-DnssecForVerifiedDomain's DnssecMxValue), or null to
    /// accept any host under <see cref="NewMxSuffix"/>.</summary>
    public string? ExpectedMxHost { get; set; }

    /// <summary>Gets or sets the suffix of the new MX hosts; default <c>mx.microsoft</c> (another for a lab that models it).</summary>
    public string NewMxSuffix { get; set; } = DefaultNewMxSuffix;

    /// <summary>Gets or sets the suffix of the legacy MX hosts; default <c>mail.protection.outlook.com</c>.</summary>
    public string LegacyMxSuffix { get; set; } = DefaultLegacyMxSuffix;

    /// <summary>Gets or sets the MX TTL, in seconds, above which a move in progress gets a warning (default 3600).</summary>
    public uint MaxTtlDuringMoveSeconds { get; set; } = 3600;

    /// <summary>Gets or sets the DANE check settings (port, EHLO name, DNS only, validation time).</summary>
    public DaneCheckOptions Dane { get; set; } = new DaneCheckOptions();

    /// <summary>Gets or sets the MTA-STS fetch settings, or null to skip the MTA-STS check.</summary>
    public MtaStsFetchOptions? MtaSts { get; set; }
}
