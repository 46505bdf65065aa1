using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>One zone's trust anchors: DS records and/or DNSKEY records whose owner is the zone.</summary>
public sealed class TrustAnchor
{
    internal TrustAnchor(DnsName zone, IReadOnlyList<DsRecord> ds, IReadOnlyList<DnskeyRecord> keys)
    {
        Zone = zone;
        DsRecords = ds;
        Keys = keys;
    }

    /// <summary>Gets the anchored zone.</summary>
    public DnsName Zone { get; }

    /// <summary>Gets the DS anchors.</summary>
    public IReadOnlyList<DsRecord> DsRecords { get; }

    /// <summary>Gets the DNSKEY anchors.</summary>
    public IReadOnlyList<DnskeyRecord> Keys { get; }

    /// <summary>Formats as <c>zone (n DS, m DNSKEY)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Zone} ({DsRecords.Count} DS, {Keys.Count} DNSKEY)";
}

/// <summary>
/// The trust anchors validation starts from: by default the IANA root KSKs 20326 (KSK-2017) and 38696 (KSK-2024)
/// as DS records; custom anchors as DS or DNSKEY presentation lines or a file of them.
/// </summary>
/// <remarks>
/// Validation uses the closest anchor above the name (RFC 6840 section 5.10 prefers the closest). The store is
/// safe to read concurrently; the validator snapshots it when a validation starts, so later changes do not affect
/// validations in progress.
/// </remarks>
/// <seealso href="https://data.iana.org/root-anchors/root-anchors.xml"/>
public sealed class TrustAnchorStore
{
    /// <summary>The IANA root KSK-2017 DS (key tag 20326, RSASHA256, SHA-256), from root-anchors.xml.</summary>
    public const string RootKsk2017Ds = ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";

    /// <summary>The IANA root KSK-2024 DS (key tag 38696, RSASHA256, SHA-256), from root-anchors.xml.</summary>
    public const string RootKsk2024Ds = ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16";

    private readonly object _gate = new();
    private readonly List<ResourceRecord> _records = new();

    /// <summary>Creates an empty store.</summary>
    public TrustAnchorStore()
    {
    }

    /// <summary>Creates a store holding the IANA root anchors 20326 and 38696.</summary>
    /// <returns>The store.</returns>
    public static TrustAnchorStore CreateDefault()
    {
        var store = new TrustAnchorStore();
        store.Add(RootKsk2017Ds);
        store.Add(RootKsk2024Ds);
        return store;
    }

    /// <summary>Gets the anchors grouped by zone.</summary>
    public IReadOnlyList<TrustAnchor> Anchors
    {
        get
        {
            // Built once per change: FindClosest runs for every question a validation asks.
            lock (_gate)
            {
                return _anchors ??= _records.ToList().GroupBy(r => r.Owner).Select(g => new TrustAnchor(
                    g.Key,
                    g.Where(r => r.Type == DnsRecordType.DS).Select(DsRecord.From).ToList().AsReadOnly(),
                    g.Where(r => r.Type == DnsRecordType.DNSKEY).Select(DnskeyRecord.From).ToList().AsReadOnly())).ToList().AsReadOnly();
            }
        }
    }

    private IReadOnlyList<TrustAnchor>? _anchors;
    private string? _fingerprint;

    /// <summary>
    /// Gets 16 hexadecimal digits that identify the anchors (SHA-256 over their sorted presentation lines), so
    /// validation results reached from different anchors never share a cache entry.
    /// </summary>
    internal string Fingerprint
    {
        get
        {
            var anchors = Anchors;
            lock (_gate)
            {
                if (_fingerprint is null)
                {
                    var text = string.Join("\n", anchors.SelectMany(a =>
                        a.DsRecords.Select(d => d.Record.ToString()).Concat(a.Keys.Select(k => k.Record.ToString()))).OrderBy(s => s, StringComparer.Ordinal));
                    using var sha = System.Security.Cryptography.SHA256.Create();
                    _fingerprint = Hex.Encode(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text))).Substring(0, 16);
                }
                return _fingerprint;
            }
        }
    }

    /// <summary>Adds one anchor from a DS or DNSKEY presentation line (TTL and class optional, e.g. <c>. IN DS 20326 8 2 E06D...</c>).</summary>
    /// <param name="line">The presentation line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    /// <exception cref="TrustAnchorException">The line is not a well-formed DS or DNSKEY record; the exception names the line.</exception>
    public void Add(string line)
    {
        if (line is null) throw new ArgumentNullException(nameof(line));
        var record = ParseAnchor(line, line.Trim());
        lock (_gate) { _records.Add(record); _anchors = null; _fingerprint = null; }
    }

    /// <summary>Adds every anchor line of a file. Empty lines and lines starting with <c>;</c> or <c>#</c> are skipped.</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="TrustAnchorException">The file cannot be read, holds no anchor, or a line is malformed (named as <c>path:line</c>).</exception>
    public void AddFile(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TrustAnchorException(path, $"The trust anchor file '{path}' cannot be read: {ex.Message}", ex);
        }
        var parsed = new List<ResourceRecord>();
        for (int i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text[0] == ';' || text[0] == '#') continue;
            parsed.Add(ParseAnchor(text, path + ":" + (i + 1).ToString(CultureInfo.InvariantCulture)));
        }
        if (parsed.Count == 0) throw new TrustAnchorException(path, $"The trust anchor file '{path}' holds no DS or DNSKEY record.");
        lock (_gate) { _records.AddRange(parsed); _anchors = null; _fingerprint = null; }
    }

    /// <summary>Returns the anchor of the closest zone at or above a name, or null when none covers it.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The anchor with the most labels among those whose zone is an ancestor of (or equal to) the name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public TrustAnchor? FindClosest(DnsName name)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        TrustAnchor? best = null;
        foreach (var a in Anchors)
        {
            if (name.IsSubdomainOf(a.Zone) && (best is null || a.Zone.LabelCount > best.Zone.LabelCount)) best = a;
        }
        return best;
    }

    /// <summary>Returns an independent copy (the validator's snapshot).</summary>
    /// <returns>The copy.</returns>
    public TrustAnchorStore Clone()
    {
        _ = Fingerprint; // builds the anchors and the fingerprint once, here, for every later clone
        var copy = new TrustAnchorStore();
        lock (_gate)
        {
            copy._records.AddRange(_records);
            // The grouped anchors and the fingerprint are immutable and derived from the records alone: share them,
            // since the validator takes a snapshot for every name it validates.
            copy._anchors = _anchors;
            copy._fingerprint = _fingerprint;
        }
        return copy;
    }

    private static ResourceRecord ParseAnchor(string line, string input)
    {
        if (!ResourceRecord.TryParse(line, out var record, out var error))
            throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': {error}");
        switch (record!.Type)
        {
            case DnsRecordType.DS:
                if (!DsRecord.TryFrom(record, out var ds)) throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': malformed DS RDATA.");
                int expected = ds!.DigestType switch { DsDigestType.Sha1 => 20, DsDigestType.Sha256 => 32, DsDigestType.Sha384 => 48, _ => -1 };
                if (expected > 0 && ds.Digest.Length != expected)
                    throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': a digest of type {(byte)ds.DigestType} must be {expected} octets, not {ds.Digest.Length}.");
                return record;
            case DnsRecordType.DNSKEY:
                if (!DnskeyRecord.TryFrom(record, out var key) || key!.PublicKeyLength == 0) throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': malformed DNSKEY RDATA.");
                if (key.Protocol != 3) throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': the DNSKEY protocol field must be 3.");
                if (!key.IsZoneKey) throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': the DNSKEY lacks the Zone Key flag.");
                return record;
            default:
                throw new TrustAnchorException(input, $"Invalid trust anchor '{input}': a trust anchor must be a DS or DNSKEY record, not {DnsRecordTypeText.ToText(record.Type)}.");
        }
    }
}
