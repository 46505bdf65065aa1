using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>
/// Serves a scenario's scripted answers the way the peers' test network does, as a small iterative resolver: the
/// validator asks (name, type) as if of a recursive resolver; the source starts at the closest known zone cut
/// (the stub zones, root hints included, then the cuts learnt from referrals in this and earlier steps), asks that cut's
/// servers, follows referrals (NS below the asked zone in the authority section, no answer, no SOA;
/// glue from the additional section, else the NS name resolved through the script) and returns the final
/// authoritative response. Under a forward zone the forwarder is asked directly and its answer returned.
/// </summary>
/// <remarks>
/// <para>A server answers with the first entry (file order) of a range active at <see cref="Step"/> that serves
/// its address and matches the question (testpkts.c find_match: qtype, qname, subdomain; question and all as
/// qname and qtype; TCP-only entries never, the validator asks over UDP); ranges without ADDRESS serve every
/// address. Referrals are recognised whatever their AA bit, since several scripts set it on them.</para>
/// <para>A DS question belongs to the parent side of the cut (RFC 4035 section 3.1.4.1): descent stops at the
/// closest cut strictly above the name, and a referral to exactly the name answers it from the referral's own
/// DS RRset or NSEC/NSEC3 proof, as a resolver answers from the referral it cached.</para>
/// <para>Bounded: at most <see cref="MaxReferrals"/> referrals per question and <see cref="MaxServerQueries"/>
/// scripted lookups per source. No matching entry anywhere throws <see cref="DnsTransportException"/> naming the
/// question, the servers and the step; <see cref="Misses"/> keeps them for the results table.</para>
/// </remarks>
internal sealed class ScriptedRecordSource : IDnsRecordSource
{
    public const int MaxReferrals = 16;
    public const int MaxServerQueries = 400;
    private const int MaxGlueDepth = 3;

    private readonly RplScenario _scenario;
    private readonly Dictionary<DnsName, List<string>> _cuts;
    private readonly Dictionary<DnsName, DnsResponse> _referralDs = new();
    private readonly List<string> _misses = new();
    private readonly List<string> _asked = new();
    private int _serverQueries;

    /// <summary>Creates the source for one step.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="step">The step whose ranges answer.</param>
    /// <param name="knownCuts">
    /// Zone cuts and their server addresses learnt in earlier steps of the same file, shared and extended: the
    /// peer's infrastructure cache, which later steps' scripts rely on (they often drop the root's referral).
    /// Only where to ask is carried over, never an answer. Null means the stub zones alone.
    /// </param>
    public ScriptedRecordSource(RplScenario scenario, int step, Dictionary<DnsName, List<string>>? knownCuts = null)
    {
        _scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
        Step = step;
        _cuts = knownCuts ?? new Dictionary<DnsName, List<string>>();
        foreach (var kv in scenario.StubZones) _cuts[kv.Key] = kv.Value.ToList();
    }

    /// <summary>Gets the step whose ranges answer.</summary>
    public int Step { get; }

    /// <summary>Gets the questions that found no scripted answer: <c>name TYPE at addresses</c>.</summary>
    public IReadOnlyList<string> Misses => _misses;

    /// <summary>Gets every question asked of a scripted server: <c>name TYPE @address</c>.</summary>
    public IReadOnlyList<string> Asked => _asked;

    public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The DS of a forward zone's apex lives in the parent zone: it is looked up above the forwarder (as Unbound does).
        var forward = _scenario.ForwardZones.Where(f => name.IsSubdomainOf(f.Key) && !(type == DnsRecordType.DS && name.Equals(f.Key) && !name.IsRoot))
            .OrderByDescending(f => f.Key.LabelCount).Select(f => f.Value).FirstOrDefault();
        if (forward is not null)
        {
            var (resp, _) = AskAny(forward, name, type);
            return Task.FromResult(resp ?? throw Miss(name, type, forward));
        }
        return Task.FromResult(Resolve(name, type, 0));
    }

    private DnsResponse Resolve(DnsName name, DnsRecordType type, int depth)
    {
        if (type == DnsRecordType.DS && _referralDs.TryGetValue(name, out var cached)) return cached;
        var zone = ClosestCut(name, type);
        if (zone is null) throw new DnsTransportException($"No stub zone or root hint covers {name} (step {Step}).");
        var servers = _cuts[zone];
        for (int referrals = 0; ; referrals++)
        {
            var (resp, entry) = AskAny(servers, name, type);
            if (resp is null || entry is null) throw Miss(name, type, servers);
            var cut = ReferralCut(entry, resp, name, zone);
            if (cut is null) return resp;
            if (referrals >= MaxReferrals) throw new DnsTransportException($"More than {MaxReferrals} referrals for {name} {DnsRecordTypeText.ToText(type)} (step {Step}).");
            if (type == DnsRecordType.DS && cut.Equals(name))
            {
                // The parent's server sent the child's referral: answer from its DS RRset or its proof of no DS.
                return FromReferral(resp, name) ?? throw Miss(name, type, servers);
            }
            var next = Glue(resp, cut, depth);
            if (next.Count == 0) throw new DnsTransportException($"The referral to {cut} for {name} {DnsRecordTypeText.ToText(type)} has no address for its name servers (step {Step}).");
            _cuts[cut] = next;
            var fromReferral = FromReferral(resp, cut);
            if (fromReferral is not null) _referralDs[cut] = fromReferral;
            zone = cut;
            servers = next;
        }
    }

    private DnsName? ClosestCut(DnsName name, DnsRecordType type) =>
        _cuts.Keys.Where(z => name.IsSubdomainOf(z) && (type != DnsRecordType.DS || !z.Equals(name) || name.IsRoot))
            .OrderByDescending(z => z.LabelCount).FirstOrDefault();

    // A referral: no answer, NOERROR, no SOA, and an NS RRset strictly below the asked zone that is the name or an
    // ancestor of it. The AA bit is not looked at: several scripts set it on referrals, and the peers follow them.
    private static DnsName? ReferralCut(RplEntry entry, DnsResponse resp, DnsName name, DnsName zone)
    {
        if (resp.Rcode != DnsResponseCode.NoError || resp.Answer.Count > 0) return null;
        if (resp.Authority.Any(r => r.Type == DnsRecordType.SOA)) return null;
        return resp.Authority.Where(r => r.Type == DnsRecordType.NS && name.IsSubdomainOf(r.Owner) && r.Owner.IsSubdomainOf(zone) && !r.Owner.Equals(zone))
            .Select(r => r.Owner).OrderByDescending(n => n.LabelCount).FirstOrDefault();
    }

    private static DnsResponse? FromReferral(DnsResponse resp, DnsName child)
    {
        var ds = resp.Authority.Where(r => (r.Type == DnsRecordType.DS || IsSigOver(r, DnsRecordType.DS)) && r.Owner.Equals(child)).ToList();
        if (ds.Any(r => r.Type == DnsRecordType.DS)) return new DnsResponse(DnsResponseCode.NoError, ds, null, null, resp.Server);
        var proof = resp.Authority.Where(r => r.Type is DnsRecordType.NSEC or DnsRecordType.NSEC3
            || IsSigOver(r, DnsRecordType.NSEC) || IsSigOver(r, DnsRecordType.NSEC3)).ToList();
        return proof.Count > 0 ? new DnsResponse(DnsResponseCode.NoError, null, proof, null, resp.Server) : null;
    }

    private static bool IsSigOver(ResourceRecord r, DnsRecordType covered) =>
        r.Type == DnsRecordType.RRSIG && r.Rdata.Count >= 2 && (DnsRecordType)((r.Rdata[0] << 8) | r.Rdata[1]) == covered;

    private List<string> Glue(DnsResponse resp, DnsName cut, int depth)
    {
        var targets = resp.Authority.Where(r => r.Type == DnsRecordType.NS && r.Owner.Equals(cut)).Select(r => Target(r)).ToList();
        var addresses = new List<string>();
        foreach (var t in targets)
        {
            addresses.AddRange(resp.Additional.Where(r => r.Type is DnsRecordType.A or DnsRecordType.AAAA && r.Owner.Equals(t)).Select(r => r.RdataText));
        }
        if (addresses.Count > 0 || depth >= MaxGlueDepth) return addresses.Distinct().ToList();
        // No glue: resolve the name servers' addresses through the script, as a resolver does.
        foreach (var t in targets)
        {
            try
            {
                var a = Resolve(t, DnsRecordType.A, depth + 1);
                addresses.AddRange(a.Answer.Where(r => r.Type == DnsRecordType.A && r.Owner.Equals(t)).Select(r => r.RdataText));
            }
            catch (DnsTransportException)
            {
                // Another name server may still resolve.
            }
        }
        return addresses.Distinct().ToList();
    }

    private static DnsName Target(ResourceRecord ns) => DnsName.Parse(ns.RdataText);

    private (DnsResponse?, RplEntry?) AskAny(IReadOnlyList<string> servers, DnsName name, DnsRecordType type)
    {
        foreach (var address in servers)
        {
            if (++_serverQueries > MaxServerQueries) throw new DnsTransportException($"More than {MaxServerQueries} scripted lookups in step {Step}.");
            _asked.Add($"{name} {DnsRecordTypeText.ToText(type)} @{address}");
            var entry = Find(_scenario, Step, address, name, type);
            if (entry is null) continue;
            if (entry.Unparsed is not null) throw new DnsTransportException($"The scripted answer to {name} {DnsRecordTypeText.ToText(type)} at {address} (line {entry.Line}) is {entry.Unparsed}.");
            return (ToResponse(entry, address), entry);
        }
        return (null, null);
    }

    /// <summary>Finds the entry a scripted server at <paramref name="address"/> answers with at <paramref name="step"/>, or null.</summary>
    internal static RplEntry? Find(RplScenario scenario, int step, string address, DnsName name, DnsRecordType type)
    {
        foreach (var range in scenario.Ranges)
        {
            if (!range.IsActive(step) || !range.Serves(address)) continue;
            foreach (var e in range.Entries)
            {
                if (Matches(e, name, type)) return e;
            }
        }
        return null;
    }

    // testpkts.c find_match for an outgoing query: opcode is always QUERY here; TCP-only entries are skipped
    // (the validator's questions go over UDP first).
    private static bool Matches(RplEntry e, DnsName name, DnsRecordType type)
    {
        if (e.Match.Contains("tcp")) return false;
        var q = e.Question;
        bool question = e.Match.Contains("question") || e.Match.Contains("all");
        if ((question || e.Match.Contains("qtype")) && (q is null || q.Value.Type != type)) return false;
        if ((question || e.Match.Contains("qname")) && (q is null || !q.Value.Name.Equals(name))) return false;
        if (e.Match.Contains("qtype") && (q is null || q.Value.Type != type)) return false;
        if (e.Match.Contains("qname") && (q is null || !q.Value.Name.Equals(name))) return false;
        if (e.Match.Contains("subdomain") && (q is null || !name.IsSubdomainOf(q.Value.Name))) return false;
        return true;
    }

    private static DnsResponse ToResponse(RplEntry e, string address)
    {
        var rcode = e.Rcode switch
        {
            "NOERROR" => DnsResponseCode.NoError,
            "NXDOMAIN" => DnsResponseCode.NXDomain,
            "FORMERR" => DnsResponseCode.FormErr,
            "REFUSED" => DnsResponseCode.Refused,
            "NOTIMPL" or "NOTIMP" => DnsResponseCode.NotImp,
            "SERVFAIL" => DnsResponseCode.ServFail,
            _ => (DnsResponseCode)Rcodes(e.Rcode),
        };
        return new DnsResponse(rcode, e.Answer, e.Authority, e.Additional, address + ":53", e.Has("AD"));
    }

    private static ushort Rcodes(string mnemonic) => mnemonic switch
    {
        "YXDOMAIN" => 6,
        "YXRRSET" => 7,
        "NXRRSET" => 8,
        "NOTAUTH" => 9,
        "NOTZONE" => 10,
        _ => 2,
    };

    private DnsTransportException Miss(DnsName name, DnsRecordType type, IReadOnlyList<string> servers)
    {
        var text = $"{name} {DnsRecordTypeText.ToText(type)} at {string.Join(",", servers)}";
        _misses.Add(text);
        return new DnsTransportException($"No scripted answer for {text} in step {Step}.");
    }
}
