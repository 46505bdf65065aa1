using System;
using System.Collections.Generic;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// The outcome of validating one name and type: the verdict with its reason, the records, the CNAME/DNAME chain,
/// warnings, and one link per zone from the trust anchor down. Test-DnssecChain emits it.
/// </summary>
/// <remarks>
/// Immutable and PowerShell-friendly: only strings, enums, numbers, DateTime and read-only lists. A proven absence
/// is Secure with reason <c>NameDoesNotExist</c> or <c>NoData</c>; a positive Secure answer has no reason.
/// </remarks>
public sealed class DnssecChainResult
{
    internal DnssecChainResult(string name, DnsRecordType type, DnssecStatus status, ValidationReason? reason, string finalName,
        IReadOnlyList<DnssecRecordInfo> records, IReadOnlyList<DnssecAliasLink> aliases, IReadOnlyList<string> warnings,
        IReadOnlyList<DnssecZoneLink> links, DateTime validationTimeUtc, DnssecWorkCounters work, IReadOnlyList<DnssecSignatureInfo> answerSignatures,
        string server = "")
    {
        Server = server;
        AnswerSignatures = new TextList<DnssecSignatureInfo>(answerSignatures);
        Name = name;
        Type = type;
        Status = status;
        Reason = reason;
        FinalName = finalName;
        Records = new TextList<DnssecRecordInfo>(records);
        Aliases = new TextList<DnssecAliasLink>(aliases);
        Warnings = new TextList<string>(warnings);
        Links = new TextList<DnssecZoneLink>(links);
        ValidationTimeUtc = validationTimeUtc;
        Work = work;
    }

    /// <summary>Gets the server that answered the question itself, as <c>address:port</c> (the zone's authoritative
    /// server when the resolver answered SERVFAIL), or empty.</summary>
    public string Server { get; }

    /// <summary>Gets the queried name in presentation form.</summary>
    public string Name { get; }

    /// <summary>Gets the queried type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>Gets the overall status: the weakest of the chain's links.</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as text, so ConvertTo-Json and CSV keep it readable without -EnumsAsStrings.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets <see cref="Type"/> as its mnemonic (e.g. TLSA, TYPE65000).</summary>
    public string TypeText => DnsRecordTypeText.ToText(Type);

    /// <summary>Gets the reason, or null for a Secure positive answer.</summary>
    public ValidationReason? Reason { get; }

    /// <summary>Gets the reason code, or an empty string when there is no reason.</summary>
    public string ReasonCode => Reason?.Code ?? string.Empty;

    /// <summary>Gets the RFC 8914 extended DNS error of the reason, or null.</summary>
    public int? ExtendedDnsError => Reason?.ExtendedDnsError;

    /// <summary>Gets the name at the end of the CNAME/DNAME chain (the queried name when there is no chain).</summary>
    public string FinalName { get; }

    /// <summary>Gets the records of the answer RRset at <see cref="FinalName"/>, each with its status.</summary>
    public IReadOnlyList<DnssecRecordInfo> Records { get; }

    /// <summary>Gets the CNAME/DNAME links followed, in order.</summary>
    public IReadOnlyList<DnssecAliasLink> Aliases { get; }

    /// <summary>Gets the RRSIGs checked over the answer, alias and denial (NSEC/NSEC3/SOA) records, with their outcomes.</summary>
    public IReadOnlyList<DnssecSignatureInfo> AnswerSignatures { get; }

    /// <summary>Gets warnings that do not change the status (deprecated algorithms, NSEC3 iterations or salt).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets one link per zone, from the trust anchor down.</summary>
    public IReadOnlyList<DnssecZoneLink> Links { get; }

    /// <summary>Gets the validation time (UTC) the signatures were checked at.</summary>
    public DateTime ValidationTimeUtc { get; }

    /// <summary>Gets the work this validation did against its budgets.</summary>
    public DnssecWorkCounters Work { get; }

    /// <summary>Formats as <c>name type: Status (reason)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} {DnsRecordTypeText.ToText(Type)}: {Status}" + (Reason is null ? string.Empty : $" ({Reason})");
}

/// <summary>One zone of the chain of trust: its DS set, its DNSKEY set, which key signed what, and the verdict.</summary>
public sealed class DnssecZoneLink
{
    internal DnssecZoneLink(string zone, DnssecStatus status, ValidationReason? reason, bool isTrustAnchor,
        IReadOnlyList<DnssecDsInfo> dsRecords, IReadOnlyList<DnssecKeyInfo> keys, IReadOnlyList<DnssecSignatureInfo> signatures,
        string dsServer, string server)
    {
        Zone = zone;
        Status = status;
        Reason = reason;
        IsTrustAnchor = isTrustAnchor;
        DsRecords = dsRecords;
        Keys = keys;
        Signatures = signatures;
        DsServer = dsServer;
        Server = server;
    }

    /// <summary>Gets the zone apex.</summary>
    public string Zone { get; }

    /// <summary>Gets the link's status (Secure: DNSKEY RRset validated; Insecure: proven unsigned; Bogus; Indeterminate).</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets why the link is not Secure, or null.</summary>
    public ValidationReason? Reason { get; }

    /// <summary>Gets whether the zone's DS set (or keys) came from a configured trust anchor.</summary>
    public bool IsTrustAnchor { get; }

    /// <summary>Gets the DS records from the parent (or the anchor), with whether each matched a key.</summary>
    public IReadOnlyList<DnssecDsInfo> DsRecords { get; }

    /// <summary>Gets the zone's DNSKEY records.</summary>
    public IReadOnlyList<DnssecKeyInfo> Keys { get; }

    /// <summary>Gets the signatures checked for this zone (DNSKEY RRset, DS RRset, answer and denial RRsets).</summary>
    public IReadOnlyList<DnssecSignatureInfo> Signatures { get; }

    /// <summary>Gets the server that answered the DS question (empty for an anchor or when unknown).</summary>
    public string DsServer { get; }

    /// <summary>Gets the server that answered the DNSKEY question (empty when unknown).</summary>
    public string Server { get; }

    /// <summary>Formats as <c>zone: Status</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Zone}: {Status}" + (Reason is null ? string.Empty : $" ({Reason.Code})");
}

/// <summary>One DS record of a zone link.</summary>
public sealed class DnssecDsInfo
{
    internal DnssecDsInfo(DsRecord ds, bool usable, bool matched)
    {
        KeyTag = ds.KeyTag;
        Algorithm = ds.Algorithm;
        DigestType = ds.DigestType;
        Digest = ds.DigestHex;
        IsUsable = usable;
        MatchesKey = matched;
        _record = ds.Record;
    }

    // Formatted when read: a bulk run builds thousands of these and reads few.
    private readonly ResourceRecord _record;
    private string? _text;

    /// <summary>Gets the key tag.</summary>
    public ushort KeyTag { get; }

    /// <summary>Gets the algorithm.</summary>
    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Gets the digest type.</summary>
    public DsDigestType DigestType { get; }

    /// <summary>Gets the digest in hexadecimal.</summary>
    public string Digest { get; }

    /// <summary>Gets whether the validator used it (supported algorithm and digest, not a SHA-1 DS ignored for a SHA-256 one).</summary>
    public bool IsUsable { get; }

    /// <summary>Gets whether a DNSKEY of the zone matched it.</summary>
    public bool MatchesKey { get; }

    /// <summary>Gets the record in presentation form.</summary>
    public string Record => _text ??= _record.ToString();

    /// <summary>Formats as <c>tag alg digesttype</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{KeyTag} {(byte)Algorithm} {(byte)DigestType}";
}

/// <summary>One DNSKEY of a zone link.</summary>
public sealed class DnssecKeyInfo
{
    internal DnssecKeyInfo(DnskeyRecord key, bool matchesDs, bool signedKeySet)
    {
        KeyTag = key.KeyTag;
        Algorithm = key.Algorithm;
        Flags = key.Flags;
        IsZoneKey = key.IsZoneKey;
        IsSecureEntryPoint = key.IsSecureEntryPoint;
        IsRevoked = key.IsRevoked;
        MatchesDs = matchesDs;
        SignedKeySet = signedKeySet;
        _record = key.Record;
    }

    private readonly ResourceRecord _record;
    private string? _text;

    /// <summary>Gets the key tag.</summary>
    public ushort KeyTag { get; }

    /// <summary>Gets the algorithm.</summary>
    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Gets the flags (256 = ZSK, 257 = KSK by convention).</summary>
    public ushort Flags { get; }

    /// <summary>Gets whether the Zone Key flag is set.</summary>
    public bool IsZoneKey { get; }

    /// <summary>Gets whether the SEP flag is set.</summary>
    public bool IsSecureEntryPoint { get; }

    /// <summary>Gets whether the REVOKE flag is set.</summary>
    public bool IsRevoked { get; }

    /// <summary>Gets whether the key matched a usable DS (or is a DNSKEY trust anchor).</summary>
    public bool MatchesDs { get; }

    /// <summary>Gets whether a valid RRSIG by this key covers the DNSKEY RRset.</summary>
    public bool SignedKeySet { get; }

    /// <summary>Gets the record in presentation form.</summary>
    public string Record => _text ??= _record.ToString();

    /// <summary>Formats as <c>tag/alg/flags</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{KeyTag}/{Algorithm}/{Flags}";
}

/// <summary>One RRSIG the validator looked at: what it covers, which key made it, its validity window and the outcome.</summary>
public sealed class DnssecSignatureInfo
{
    internal DnssecSignatureInfo(RrsigRecord sig, SignatureOutcome outcome, DateTime reference)
    {
        Owner = sig.Owner.ToString();
        TypeCovered = sig.TypeCovered;
        KeyTag = sig.KeyTag;
        Algorithm = sig.Algorithm;
        Signer = sig.SignerName.ToString();
        Labels = sig.Labels;
        OriginalTtl = sig.OriginalTtl;
        InceptionUtc = SerialTime.ToDateTime(sig.Inception, reference);
        ExpirationUtc = SerialTime.ToDateTime(sig.Expiration, reference);
        OutcomeKind = outcome;
    }

    /// <summary>Gets the owner of the signed RRset.</summary>
    public string Owner { get; }

    /// <summary>Gets the type covered.</summary>
    public DnsRecordType TypeCovered { get; }

    /// <summary>Gets the key tag of the signing key.</summary>
    public ushort KeyTag { get; }

    /// <summary>Gets the algorithm.</summary>
    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Gets the signer's name.</summary>
    public string Signer { get; }

    /// <summary>Gets the Labels field.</summary>
    public byte Labels { get; }

    /// <summary>Gets the Original TTL field, in seconds: the TTL the zone publishes for the covered RRset (RFC 4034
    /// section 3.1.4), which a cache's countdown does not change.</summary>
    public uint OriginalTtl { get; }

    /// <summary>Gets the inception (UTC), resolved with serial arithmetic near the validation time.</summary>
    public DateTime InceptionUtc { get; }

    /// <summary>Gets the expiration (UTC), resolved with serial arithmetic near the validation time.</summary>
    public DateTime ExpirationUtc { get; }

    /// <summary>Gets the outcome, for code: <see cref="SignatureOutcome.Valid"/> or why the signature did not count.</summary>
    public SignatureOutcome OutcomeKind { get; }

    /// <summary>
    /// Gets the outcome as text (the name of <see cref="OutcomeKind"/>): <c>Valid</c>, <c>Invalid</c>, <c>Expired</c>,
    /// <c>NotYetValid</c>, <c>ExpiredBeforeValid</c>, <c>LabelsExceedOwner</c>, <c>LabelsBelowSigner</c>, <c>NoMatchingKey</c>,
    /// <c>KeyRevoked</c>, <c>NoZoneKeyBit</c>, <c>WrongSigner</c>, <c>UnsupportedAlgorithm</c>, <c>NotTried</c> or <c>WorkLimitExceeded</c>.
    /// </summary>
    public string Outcome => OutcomeKind.ToString();

    /// <summary>Formats as <c>owner TYPE by tag/alg: outcome</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Owner} {DnsRecordTypeText.ToText(TypeCovered)} by {KeyTag}/{(byte)Algorithm}: {Outcome}";
}

/// <summary>One record of the answer with its status.</summary>
public sealed class DnssecRecordInfo
{
    internal DnssecRecordInfo(ResourceRecord record, DnssecStatus status)
    {
        Owner = record.Owner.ToString();
        Type = record.Type;
        Ttl = record.Ttl;
        _record = record;
        Status = status;
    }

    private readonly ResourceRecord _record;
    private string? _data;
    private string? _text;

    /// <summary>Gets the owner.</summary>
    public string Owner { get; }

    /// <summary>Gets the type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>Gets the TTL in seconds, as received.</summary>
    public uint Ttl { get; }

    /// <summary>Gets the RDATA in presentation form.</summary>
    public string Data => _data ??= _record.RdataText;

    /// <summary>Gets the whole record in presentation form.</summary>
    public string Record => _text ??= _record.ToString();

    /// <summary>Gets the record's status.</summary>
    public DnssecStatus Status { get; }

    /// <summary>Returns the validated record itself: owner, type, TTL and wire RDATA, for a typed reader in <c>Dns</c>
    /// (e.g. <see cref="TlsaRdata"/>). A method, not a property, so the result's serialised form stays text.</summary>
    /// <returns>The record (immutable).</returns>
    public ResourceRecord GetResourceRecord() => _record;

    /// <summary>Returns <see cref="Record"/>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Record;
}

/// <summary>One CNAME or DNAME link of an alias chain.</summary>
public sealed class DnssecAliasLink
{
    internal DnssecAliasLink(DnsName owner, DnsRecordType type, DnsName target, DnssecStatus status, ValidationReason? reason, ResourceRecord record)
    {
        OwnerName = owner;
        TargetName = target;
        Owner = owner.ToString();
        Type = type;
        Target = target.ToString();
        Status = status;
        Reason = reason;
        Record = record.ToString();
    }

    /// <summary>The owner as a name, for the engine (the policy reads links typed, never from their text).</summary>
    internal DnsName OwnerName { get; }

    /// <summary>The target as a name.</summary>
    internal DnsName TargetName { get; }

    /// <summary>Gets the alias owner (for a DNAME, the DNAME's owner).</summary>
    public string Owner { get; }

    /// <summary>Gets CNAME or DNAME.</summary>
    public DnsRecordType Type { get; }

    /// <summary>Gets the name the link leads to (for a DNAME, the synthesized target of the queried name).</summary>
    public string Target { get; }

    /// <summary>Gets the link's status.</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets why the link is not Secure, or null.</summary>
    public ValidationReason? Reason { get; }

    /// <summary>Gets the CNAME or DNAME record in presentation form.</summary>
    public string Record { get; }

    /// <summary>Formats as <c>owner TYPE target: Status</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Owner} {DnsRecordTypeText.ToText(Type)} {Target}: {Status}";
}
