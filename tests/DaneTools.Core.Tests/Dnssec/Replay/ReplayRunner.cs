using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dns;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>A DNSSEC verdict as the peers show it: AD set (Secure), no AD (Insecure), SERVFAIL (Bogus).</summary>
internal enum PeerVerdict
{
    Secure,
    Insecure,
    Bogus,
}

/// <summary>How one judged step came out.</summary>
internal enum ReplayOutcome
{
    Agree,
    Differ,
    Skipped,
}

/// <summary>One <c>STEP n QUERY</c> of one file: the peer's verdict, ours, and how they compare.</summary>
internal sealed class ReplayCase
{
    public string Suite { get; init; } = string.Empty;

    public string File { get; init; } = string.Empty;

    public int Step { get; init; }

    public string Query { get; init; } = string.Empty;

    public PeerVerdict? Expected { get; init; }

    public DnssecStatus? OurStatus { get; init; }

    public string OurReason { get; init; } = string.Empty;

    public ReplayOutcome Outcome { get; init; }

    public string SkipReason { get; init; } = string.Empty;

    /// <summary>Gets the questions the source asked of the scripted servers and our reason's message (test output only, not in RESULTS.md).</summary>
    public IReadOnlyList<string> Trace { get; init; } = Array.Empty<string>();

    /// <summary>Gets the key of the known-differences list: <c>suite/file#step</c>.</summary>
    public string Key => $"{Suite}/{File}#{Step.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Gets whether we say Secure where the peer says Bogus or Insecure (issue 11's invariant).</summary>
    public bool IsFailOpen => Outcome == ReplayOutcome.Differ && OurStatus == DnssecStatus.Secure;

    public string Ours => OurStatus is null ? "-" : OurReason.Length > 0 ? $"{OurStatus} ({OurReason})" : OurStatus.ToString()!;
}

/// <summary>The results of one file: its cases and what the parser dropped.</summary>
internal sealed class ReplayFileResult
{
    public string Suite { get; init; } = string.Empty;

    public string File { get; init; } = string.Empty;

    public string Title { get; init; } = string.Empty;

    public DateTime? ValidationTime { get; init; }

    public string TimeSource { get; init; } = string.Empty;

    public List<ReplayCase> Cases { get; } = new();

    public List<string> Problems { get; } = new();
}

/// <summary>
/// Runs the replay scenarios of tests/conformance/dnssec-replay against <see cref="ChainValidator"/> and judges
/// each <c>STEP n QUERY</c> against its <c>CHECK_ANSWER</c>.
/// </summary>
/// <remarks>
/// <para>The peer's verdict (README.md of the data): the check must compare the header flags (MATCH all or
/// flags) for AD to count; AD set is Secure; NOERROR/NXDOMAIN without AD is Insecure, provided the query asked
/// with DO or AD (RFC 6840 section 5.8: otherwise the peer never sets AD); SERVFAIL is Bogus when the check
/// compares the rcode (MATCH all or rcode).</para>
/// <para>Ours: Secure (with reason NameDoesNotExist/NoData for a proven denial), Insecure and Bogus map one to
/// one; Indeterminate with NoTrustAnchor is an answer served without AD (Insecure); any other Indeterminate
/// (a server failure, a CNAME loop) is the peer's SERVFAIL (Bogus).</para>
/// <para>Validation time: <c>val-override-date</c>/<c>val-override-timestamp</c>; without one, the middle of
/// the window in which every RRSIG of the file is valid (latest inception to earliest expiration). Each step
/// gets a fresh validator (<c>cache: null</c>) and a fresh source; only the zone cuts learnt from referrals (where
/// to ask) carry over to later steps of the file, as in the peer's infrastructure cache, never an answer.</para>
/// </remarks>
internal static class ReplayRunner
{
    public static readonly string[] Suites = { "unbound", "deckard" };

    private static readonly ConcurrentDictionary<string, ReplayFileResult> s_results = new(StringComparer.Ordinal);

    public static string DataRoot => Path.Combine(ConformanceData.Root, "dnssec-replay");

    /// <summary>Gets every file as <c>suite/file.rpl</c>, sorted.</summary>
    public static IReadOnlyList<string> Files() => Suites
        .SelectMany(s => Directory.GetFiles(Path.Combine(DataRoot, s), "*.rpl").Select(f => s + "/" + Path.GetFileName(f)))
        .OrderBy(f => Array.IndexOf(Suites, f.Split('/')[0])).ThenBy(f => f, StringComparer.Ordinal).ToList();

    /// <summary>Runs one file (cached per test run).</summary>
    public static ReplayFileResult Run(string relative) => s_results.GetOrAdd(relative, r =>
    {
        var parts = r.Split('/');
        var scenario = RplScenario.Load(Path.Combine(DataRoot, parts[0], parts[1]));
        return Run(parts[0], scenario);
    });

    public static ReplayFileResult Run(string suite, RplScenario scenario)
    {
        var (time, timeSource) = ValidationTime(scenario);
        var result = new ReplayFileResult { Suite = suite, File = scenario.Name, Title = scenario.Title, ValidationTime = time, TimeSource = timeSource };
        result.Problems.AddRange(scenario.Problems);
        var fileSkip = FileSkip(scenario, time);

        // Pair each CHECK_ANSWER with the oldest QUERY not yet checked (replay.c answers in order).
        var pending = new Queue<RplStep>();
        var pairs = new List<(RplStep Query, RplStep? Check, bool AfterTimePasses)>();
        bool timePassed = false;
        var index = new Dictionary<RplStep, int>();
        foreach (var step in scenario.Steps)
        {
            switch (step.Kind)
            {
                case "QUERY":
                    index[step] = pairs.Count;
                    pairs.Add((step, null, timePassed));
                    pending.Enqueue(step);
                    break;
                case "CHECK_ANSWER":
                    if (pending.Count > 0)
                    {
                        var q = pending.Dequeue();
                        pairs[index[q]] = (q, step, pairs[index[q]].AfterTimePasses);
                    }
                    break;
                case "TIME_PASSES":
                    timePassed = true;
                    break;
            }
        }

        bool first = true;
        bool judged = false;
        var knownCuts = new Dictionary<DnsName, List<string>>();
        // Files about caching (aggressive NSEC, RFC 8198; negative caching, RFC 2308) expect later steps to be
        // answered from what earlier ones cached: only the first judged step is independent of that.
        bool cacheFile = scenario.Name.Contains("cache") || scenario.Config.TryGetValue("aggressive-nsec", out var aggressive) && aggressive == "yes";
        foreach (var (query, check, afterTime) in pairs)
        {
            var question = query.Entry?.Question;
            string qtext = question is null ? "?" : $"{question.Value.Name} {DnsRecordTypeText.ToText(question.Value.Type)}";
            ReplayCase Skip(string why) => new() { Suite = suite, File = scenario.Name, Step = query.Number, Query = qtext, Outcome = ReplayOutcome.Skipped, SkipReason = why };
            bool isFirst = first;
            first = false;
            if (fileSkip is not null) { result.Cases.Add(Skip(fileSkip)); continue; }
            if (cacheFile && judged) { result.Cases.Add(Skip("the file tests the peer's negative or aggressive NSEC cache across steps: only its first step is judged")); continue; }
            if (question is null) { result.Cases.Add(Skip("the QUERY has no question")); continue; }
            if (check?.Entry is null) { result.Cases.Add(Skip("no CHECK_ANSWER for this query")); continue; }
            if (afterTime) { result.Cases.Add(Skip("after TIME_PASSES: tests the peer's cache expiry or prefetch")); continue; }
            if (query.Entry!.Has("CD")) { result.Cases.Add(Skip("CD set: the peer does not validate")); continue; }
            if (question.Value.Type is DnsRecordType.ANY or DnsRecordType.RRSIG) { result.Cases.Add(Skip($"type {DnsRecordTypeText.ToText(question.Value.Type)} is not validated by ChainValidator")); continue; }
            var (expected, why) = Expected(query.Entry, check.Entry);
            if (expected is null) { result.Cases.Add(Skip(why!)); continue; }

            judged = true;
            var source = new ScriptedRecordSource(scenario, query.Number, knownCuts);
            var anchors = new TrustAnchorStore();
            foreach (var line in scenario.TrustAnchors) anchors.Add(line);
            var options = new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = time };
            var verifier = scenario.FakeDsa || scenario.FakeSha1 ? new ReplayFakeVerifier() : null;
            var validator = new ChainValidator(source, options, new FixedClock(time!.Value), cache: null, verifier);
            var ours = validator.ValidateAsync(question.Value.Name, question.Value.Type).GetAwaiter().GetResult();

            var mapped = Map(ours.Status, ours.ReasonCode);
            if (source.Misses.Count > 0 && mapped != expected && ours.Status == DnssecStatus.Indeterminate)
            {
                result.Cases.Add(new ReplayCase
                {
                    Suite = suite, File = scenario.Name, Step = query.Number, Query = qtext, Outcome = ReplayOutcome.Skipped, Expected = expected,
                    Trace = source.Asked.Concat(source.Misses.Select(m => "miss: " + m)).Append("reason: " + ours.Reason?.Message).ToList(),
                    SkipReason = isFirst
                    ? $"no scripted answer for {source.Misses[0]} (the peer asks otherwise)"
                    : $"no scripted answer for {source.Misses[0]} at this step: the peer answers from what earlier steps cached, or asks otherwise",
                });
                continue;
            }
            result.Cases.Add(new ReplayCase
            {
                Suite = suite,
                File = scenario.Name,
                Step = query.Number,
                Query = qtext,
                Expected = expected,
                OurStatus = ours.Status,
                OurReason = ours.ReasonCode,
                Outcome = mapped == expected ? ReplayOutcome.Agree : ReplayOutcome.Differ,
                Trace = source.Asked.Concat(source.Misses.Select(m => "miss: " + m)).Append("reason: " + ours.Reason?.Message).ToList(),
            });
        }
        return result;
    }

    /// <summary>Maps our status to the peer's verdict scale.</summary>
    public static PeerVerdict Map(DnssecStatus status, string reason) => status switch
    {
        DnssecStatus.Secure => PeerVerdict.Secure,
        DnssecStatus.Insecure => PeerVerdict.Insecure,
        DnssecStatus.Indeterminate when reason == ReasonCodes.NoTrustAnchor => PeerVerdict.Insecure,
        _ => PeerVerdict.Bogus,
    };

    /// <summary>Reads the peer's verdict from a query and its check, or says why there is none.</summary>
    public static (PeerVerdict?, string?) Expected(RplEntry query, RplEntry check)
    {
        bool flags = check.Match.Contains("all") || check.Match.Contains("flags");
        bool rcode = check.Match.Contains("all") || check.Match.Contains("rcode");
        var code = check.Rcode;
        if (code == "SERVFAIL") return rcode ? (PeerVerdict.Bogus, null) : (null, "the check does not compare the rcode");
        if (!flags) return (null, "the check does not compare the header flags: no AD verdict");
        if (check.Has("AD")) return (PeerVerdict.Secure, null);
        // YXDOMAIN (a DNAME substitution too long, RFC 6672 section 2.2) comes without AD from the peer whatever the
        // signatures: no verdict to compare (issue 11 class 6 wants ours validated all the same).
        if (code == "YXDOMAIN") return (null, "rcode YXDOMAIN without AD: the peer serves the DNAME without a DNSSEC verdict");
        if (code is not ("NOERROR" or "NXDOMAIN")) return (null, $"rcode {code} without AD: not a DNSSEC verdict");
        if (!query.Has("DO") && !query.Has("AD")) return (null, "query without DO or AD: the peer never sets AD (RFC 6840 section 5.8)");
        return (PeerVerdict.Insecure, null);
    }

    private static string? FileSkip(RplScenario s, DateTime? time)
    {
        if (s.Name.StartsWith("module_", StringComparison.Ordinal)) return "module_*: tests a resolver module (policy, dns64, hints, renumbering), not validation";
        if (s.Name.StartsWith("black_", StringComparison.Ordinal)) return "black_*: tests that the peer retries another name server after bogus data (server selection), not validation";
        if (s.TrustAnchors.Count == 0) return "no trust anchor: the peer gives no DNSSEC verdict";
        if (s.Config.ContainsKey("domain-insecure")) return "domain-insecure (a negative trust anchor) is not modelled";
        if (time is null) return "no val-override-date and no common RRSIG validity window";
        foreach (var line in s.TrustAnchors)
        {
            try
            {
                new TrustAnchorStore().Add(line);
            }
            catch (TrustAnchorException ex)
            {
                return "trust anchor not usable: " + ex.Message;
            }
        }
        return null;
    }

    private static (DateTime?, string) ValidationTime(RplScenario s)
    {
        if (s.OverrideDate is DateTime d) return (d, "val-override");
        DateTime latestInception = DateTime.MinValue, earliestExpiration = DateTime.MaxValue;
        foreach (var r in s.Ranges.SelectMany(x => x.Entries).SelectMany(e => e.Answer.Concat(e.Authority).Concat(e.Additional)))
        {
            if (r.Type != DnsRecordType.RRSIG || !RrsigRecord.TryFrom(r, out var sig)) continue;
            var inception = sig!.InceptionUtc;
            var expiration = sig.ExpirationUtc;
            if (inception > latestInception) latestInception = inception;
            if (expiration < earliestExpiration) earliestExpiration = expiration;
        }
        if (latestInception == DateTime.MinValue || latestInception >= earliestExpiration) return (null, "none");
        var source = s.DatesIgnored ? "val-override-date -1 (dates unchecked by the peer): RRSIG midpoint" : "RRSIG midpoint";
        return (latestInception + TimeSpan.FromTicks((earliestExpiration - latestInception).Ticks / 2), source);
    }
}
