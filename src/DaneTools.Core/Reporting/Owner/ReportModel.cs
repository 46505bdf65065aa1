using System;
using System.Collections.Generic;

namespace DaneTools.Core.Reporting.Owner;

// The report's own model: plain data read from the result objects by property name (DESIGN section 15).

internal sealed class ReportDomain
{
    public string DomainName = string.Empty;
    public bool HasDaneResult;
    public string Status = string.Empty;
    public string ReasonCode = string.Empty;
    public string Reason = string.Empty;
    public string ExchangeOnlineStatus = string.Empty;
    public string ExchangeOnlineNdr = string.Empty;
    public string TlsRptResultType = string.Empty;
    public string TlsRptPolicyType = string.Empty;
    public DateTime? CheckedUtc;
    public bool DnsOnly;
    public string MxKind = string.Empty;
    public ReportLookup? MxLookup;
    public List<ReportHost> Hosts = new();
    public List<ReportChain> Chains = new();
    public List<string> Warnings = new();
    public List<ReportFix> Fixes = new();
    public List<string> Servers = new();
    public List<string> TrustAnchors = new();
    /// <summary>MTA-STS policy (RFC 8461) from Test-DaneDomain's note properties; empty when not checked (-SkipMtaSts).</summary>
    public string MtaStsMode = string.Empty;
    public string MtaStsPolicyId = string.Empty;
    public string MtaStsResultType = string.Empty;
    /// <summary>TLS-RPT records (RFC 8460 section 3): the recipient domain's, then one per TLSA base domain.</summary>
    public List<ReportTlsRpt> TlsRpt = new();
    /// <summary>Earlier results for the same domain (the newest is the one reported), oldest first.</summary>
    public List<ReportCheck> History = new();
    /// <summary>Set when a list arrived as bare text: the CLIXML export depth cut the detail.</summary>
    public bool DetailCut;
}

/// <summary>The TXT records at <c>_smtp._tls.</c> of one policy domain, as published, and their problem if any.</summary>
internal sealed class ReportTlsRpt
{
    public string PolicyDomain = string.Empty;
    public string Role = string.Empty;
    public List<string> Records = new();
    public string Problem = string.Empty;
}

/// <summary>One earlier check of a domain: when, and its verdict.</summary>
internal sealed class ReportCheck
{
    public DateTime? CheckedUtc;
    public string Status = string.Empty;
}

internal sealed class ReportLookup
{
    public string QueryName = string.Empty;
    public string Type = string.Empty;
    public string Status = string.Empty;
    public string ReasonCode = string.Empty;
    public string Reason = string.Empty;
    public List<string> Records = new();
    public List<string> CnameChain = new();
    public DateTime? EarliestSignatureExpirationUtc;
}

internal sealed class ReportHost
{
    public string HostName = string.Empty;
    public long Preference;
    public bool IsImplicit;
    public string Outcome = string.Empty;
    public string Reason = string.Empty;
    public string ExchangeOnlineNdr = string.Empty;
    public string TlsRptResultType = string.Empty;
    public string AddressStatus = string.Empty;
    public string ExpandedHostName = string.Empty;
    public string TlsaBaseDomain = string.Empty;
    public string TlsaStatus = string.Empty;
    public string Requirement = string.Empty;
    public List<string> ReferenceIdentifiers = new();
    public List<ReportLookup> AddressLookups = new();
    public List<ReportLookup> TlsaLookups = new();
    public List<ReportTlsa> Tlsa = new();
    public List<ReportAddress> Addresses = new();
    /// <summary>The smallest TTL of the TLSA RRset as served (seconds), or null when no TLSA record was read.</summary>
    public long? TlsaTtl;

    /// <summary>The name the TLSA records live at (or should): the TLSA base domain, else the MX host name.</summary>
    public string TlsaOwner => "_25._tcp." + (TlsaBaseDomain.Length > 0 ? TlsaBaseDomain : HostName) + ".";
}

internal sealed class ReportTlsa
{
    public string Record = string.Empty;
    public bool Usable;
    public string Note = string.Empty;
    public List<string> MatchedAt = new();
}

internal sealed class ReportAddress
{
    public string Address = string.Empty;
    public string Family = string.Empty;
    public bool Probed;
    public string ProbeOutcome = string.Empty;
    public bool? StartTlsOffered;
    public string TlsVersion = string.Empty;
    public string Cipher = string.Empty;
    public string ProbeError = string.Empty;
    public string ServerName = string.Empty;
    public string Outcome = string.Empty;
    public string Reason = string.Empty;
    public string MatchOutcome = string.Empty;
    public string MatchedRecord = string.Empty;
    public long MatchDepth = -1;
    public List<ReportCertificate> Chain = new();
}

internal sealed class ReportCertificate
{
    public long Position;
    public string Subject = string.Empty;
    public string Issuer = string.Empty;
    public DateTime? NotBeforeUtc;
    public DateTime? NotAfterUtc;
    public string SpkiSha256 = string.Empty;
    public string CertificateSha256 = string.Empty;
    public List<string> DnsNames = new();
}

internal sealed class ReportChain
{
    public string QueryName = string.Empty;
    public string Type = string.Empty;
    public string Status = string.Empty;
    public string ReasonCode = string.Empty;
    public string Reason = string.Empty;
    public string ReasonZone = string.Empty;
    public string FinalName = string.Empty;
    public string Server = string.Empty;
    public DateTime? CheckedUtc;
    public List<ReportZone> Zones = new();
    public List<ReportAlias> Aliases = new();
    public List<string> Records = new();
    public List<ReportSignature> AnswerSignatures = new();
    public List<string> Warnings = new();
    public List<string> Servers = new();
    public string TrustAnchor = string.Empty;
}

internal sealed class ReportZone
{
    public string Name = string.Empty;
    public string Status = string.Empty;
    public string ReasonCode = string.Empty;
    public string Reason = string.Empty;
    public bool IsTrustAnchor;
    public List<ReportDs> Ds = new();
    public List<ReportKey> Keys = new();
    public List<ReportSignature> Signatures = new();
}

internal sealed class ReportDs
{
    public long KeyTag;
    public long Algorithm;
    public long DigestType;
    public string Digest = string.Empty;
    public bool Usable;
    public bool MatchesKey;
}

internal sealed class ReportKey
{
    public long KeyTag;
    public long Algorithm;
    public long Flags;
    public bool IsSep;
    public bool IsRevoked;
    public bool MatchesDs;
    public bool SignedKeySet;
    public string Record = string.Empty;
    /// <summary>The SHA-256 DS record for this key, computed from its DNSKEY (RFC 4509), or empty.</summary>
    public string SuggestedDs = string.Empty;
    public string Role => IsSep ? "KSK" : "ZSK";
}

internal sealed class ReportSignature
{
    public string Owner = string.Empty;
    public string TypeCovered = string.Empty;
    public long KeyTag;
    public string Outcome = string.Empty;
    public DateTime? ExpirationUtc;
}

internal sealed class ReportAlias
{
    public string Owner = string.Empty;
    public string Type = string.Empty;
    public string Target = string.Empty;
    public string Status = string.Empty;
}

/// <summary>One step the recipient domain's administrators should take, in order, with the exact records.</summary>
internal sealed class ReportFix
{
    public string Title = string.Empty;
    public string Detail = string.Empty;
    public List<string> Records = new();
}
