using System;
using System.Collections.Generic;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dnssec;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>
/// One unmutated world to fuzz: a record source (a recorded fixture or a signed in-memory hierarchy), one
/// question, its trust anchors and pinned validation time, and the verdict the validator gives it unmutated.
/// </summary>
/// <remarks>
/// The world also keeps a catalogue of every genuine record any of its sources returned (filled by
/// <see cref="MutatingRecordSource"/> before mutating), which the oracle uses as "what the original world holds",
/// and the genuine responses of the baseline run, which the mutator splices and replays.
/// </remarks>
internal sealed class FuzzWorld
{
    private readonly Func<IDnsRecordSource> _createSource;
    private readonly Func<DnssecValidatorOptions> _options;
    private readonly object _gate = new();
    private readonly HashSet<ResourceRecord> _genuine = new();
    private readonly HashSet<string> _genuineSignatures = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<ResourceRecord> _extraPool;

    public FuzzWorld(string name, DnsName qname, DnsRecordType qtype, DateTime now, Func<IDnsRecordSource> createSource, Func<DnssecValidatorOptions> options,
        IReadOnlyList<ResourceRecord>? extraPool = null)
    {
        _extraPool = extraPool ?? Array.Empty<ResourceRecord>();
        Name = name;
        QueryName = qname;
        QueryType = qtype;
        Now = now;
        _createSource = createSource;
        _options = options;
    }

    public string Name { get; }

    public DnsName QueryName { get; }

    public DnsRecordType QueryType { get; }

    /// <summary>The pinned validation time (UTC).</summary>
    public DateTime Now { get; }

    /// <summary>The unmutated result; set by <see cref="Prepare"/>.</summary>
    public DnssecChainResult Baseline { get; private set; } = null!;

    /// <summary>The questions the baseline asked, in order, with their genuine responses.</summary>
    public IReadOnlyList<((DnsName Name, DnsRecordType Type) Question, DnsResponse Response)> BaselineAnswers { get; private set; } = Array.Empty<((DnsName, DnsRecordType), DnsResponse)>();

    /// <summary>Every genuine record of the baseline's responses (the splice pool).</summary>
    public IReadOnlyList<ResourceRecord> Pool { get; private set; } = Array.Empty<ResourceRecord>();

    public IDnsRecordSource CreateSource() => _createSource();

    public DnssecValidatorOptions Options() => _options();

    public ChainValidator Validator(IDnsRecordSource source, ISignatureVerifier? verifier = null) =>
        new(source, Options(), new FixedClock(Now), new ValidationCache(), verifier);

    /// <summary>Runs the unmutated validation once, recording the baseline, its answers and the pool.</summary>
    public FuzzWorld Prepare()
    {
        var source = new MutatingRecordSource(this, null);
        Baseline = Validator(source).ValidateAsync(QueryName, QueryType).GetAwaiter().GetResult();
        BaselineAnswers = source.Served.Select(kv => ((kv.Key.Item1, kv.Key.Item2), kv.Value.Response))
            .OrderBy(a => a.Item1.ToString(), StringComparer.Ordinal).ThenBy(a => (int)a.Item1.Item2).ToList();
        // Extra genuine records: what an attacker fetches from the same signed zones by asking other questions.
        AddGenuine(new DnsResponse(DnsResponseCode.NoError, _extraPool));
        Pool = BaselineAnswers.SelectMany(a => a.Response.Answer.Concat(a.Response.Authority).Concat(a.Response.Additional)).Concat(_extraPool).Distinct().ToList();
        return this;
    }

    /// <summary>Adds a genuine response's records to the catalogue.</summary>
    public void AddGenuine(DnsResponse response)
    {
        lock (_gate)
        {
            foreach (var r in response.Answer.Concat(response.Authority).Concat(response.Additional))
            {
                if (!_genuine.Add(r)) continue;
                if (RrsigRecord.TryFrom(r, out var sig)) _genuineSignatures.Add(SignatureKey(sig!, Now));
            }
        }
    }

    /// <summary>Whether the original world holds this record (owner, type, class and canonical RDATA; TTL ignored).</summary>
    public bool HoldsGenuine(ResourceRecord record)
    {
        lock (_gate) return _genuine.Contains(record);
    }

    /// <summary>Whether the original world holds an RRSIG with these signed fields (see <see cref="SignatureKey(RrsigRecord, DateTime)"/>).</summary>
    public bool HoldsGenuineSignature(string key)
    {
        lock (_gate) return _genuineSignatures.Contains(key);
    }

    /// <summary>
    /// The signed fields of an RRSIG that a <see cref="DnssecSignatureInfo"/> reports: owner (its wildcard form
    /// when Labels shows an expansion, RFC 4035 section 5.3.2, since an expansion verifies for any name under the
    /// wildcard), type covered, algorithm, labels, key tag, signer, inception and expiration.
    /// </summary>
    public static string SignatureKey(RrsigRecord sig, DateTime reference) =>
        Key(sig.Owner, sig.TypeCovered, (byte)sig.Algorithm, sig.Labels, sig.KeyTag, sig.SignerName,
            SerialTime.ToDateTime(sig.Inception, reference), SerialTime.ToDateTime(sig.Expiration, reference));

    /// <summary>The same key for a reported signature.</summary>
    public static string SignatureKey(DnssecSignatureInfo s) =>
        Key(DnsName.Parse(s.Owner), s.TypeCovered, (byte)s.Algorithm, s.Labels, s.KeyTag, DnsName.Parse(s.Signer), s.InceptionUtc, s.ExpirationUtc);

    private static string Key(DnsName owner, DnsRecordType type, byte algorithm, byte labels, ushort tag, DnsName signer, DateTime inception, DateTime expiration)
    {
        int own = owner.LabelCount - (owner.IsWildcard ? 1 : 0);
        var o = labels < own ? owner.GetAncestor(labels).Prepend("*") : owner;
        return $"{o.ToString().ToLowerInvariant()}|{(int)type}|{algorithm}|{labels}|{tag}|{signer.ToString().ToLowerInvariant()}|{inception:O}|{expiration:O}";
    }

    public override string ToString() => $"{Name} ({QueryName} {DnsRecordTypeText.ToText(QueryType)})";
}
