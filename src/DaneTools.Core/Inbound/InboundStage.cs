namespace DaneTools.Core.Inbound;

/// <summary>
/// Where an accepted domain stands in the move to Exchange Online inbound SMTP DANE (DESIGN section 6b). Decided by
/// <see cref="InboundStageTable.StageOf"/> from the checks alone, in this order.
/// </summary>
public enum InboundStage
{
    /// <summary>The MX lookup failed without DNSSEC evidence (timeout, SERVFAIL): nothing can be said yet.</summary>
    Unknown,

    /// <summary>The domain has no MX, or no MX host is an Exchange Online host (neither an <c>mx.microsoft</c> host, the
    /// expected MX, nor a legacy <c>*.mail.protection.outlook.com</c> host): e.g. a third-party gateway in front.</summary>
    NotExchangeOnline,

    /// <summary>The MX RRset is not Secure: the zone is unsigned, its DS is missing at the parent (Insecure), or a link of
    /// the chain is broken (Bogus). Sign the zone and publish the DS first.</summary>
    NotSigned,

    /// <summary>The MX RRset is Secure but no MX host is the new <c>mx.microsoft</c> host: run Enable-DnssecForVerifiedDomain
    /// and publish its MX value.</summary>
    SignedLegacyMx,

    /// <summary>The MX RRset is Secure and holds the new host beside another MX (the legacy host or a fallback).</summary>
    MigrationInProgress,

    /// <summary>The new host is the only MX, but its addresses are not Secure or no usable Secure TLSA RRset is published at
    /// <c>_25._tcp.&lt;host&gt;</c> yet: run Enable-SmtpDaneInbound, then wait for Microsoft's TLSA records.</summary>
    MxMigrated,

    /// <summary>Usable Secure TLSA records are published for the only MX, but the STARTTLS probe did not match them (or was
    /// not run, -DnsOnly), the MTA-STS policy does not allow the new host, or the MX RRset check fails (preference, expected value).</summary>
    DaneEnabled,

    /// <summary>Usable Secure TLSA records for the only MX, every address's certificate matches them, and no MTA-STS policy
    /// stands against the new host: DANE-enforcing senders deliver.</summary>
    DaneVerified,
}
