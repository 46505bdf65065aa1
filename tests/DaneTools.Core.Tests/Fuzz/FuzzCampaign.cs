using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>
/// Runs seeded mutation cases over a set of worlds and gathers the figures: outcomes by status, exceptions,
/// invariant violations (<see cref="FuzzOracle"/>) and the slowest case.
/// </summary>
/// <remarks>
/// Case <c>i</c> is fully determined by (seed, i): the world, the question(s) to mutate and every edit come from a
/// <see cref="Random"/> seeded with both, so <see cref="RunCase"/> replays any reported case alone. Each case gets a
/// new validator with a private cache, so cases do not leak into each other.
/// </remarks>
internal sealed class FuzzCampaign
{
    private readonly IReadOnlyList<FuzzWorld> _worlds;
    private readonly int _seed;

    public FuzzCampaign(IReadOnlyList<FuzzWorld> worlds, int seed)
    {
        _worlds = worlds;
        _seed = seed;
    }

    /// <summary>The time one validation may take (measured) before it is reported as Slow.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The signature verifier given to the validator; null means the product's.</summary>
    public ISignatureVerifier? Verifier { get; init; }

    /// <summary>Runs cases <c>0..count-1</c>.</summary>
    public FuzzReport Run(int count)
    {
        var report = new FuzzReport(_seed);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) report.Add(RunCase(i));
        report.Elapsed = total.Elapsed;
        // The slowest case run again: a pause of a shared machine is told from a slow validation by the replay.
        if (report.Slowest is not null) report.SlowestReplay = Enumerable.Range(0, 3).Min(_ => RunCase(report.Slowest.Index).Elapsed);
        return report;
    }

    /// <summary>Runs one case.</summary>
    public FuzzCase RunCase(int index)
    {
        var rng = new Random(unchecked(_seed * 1_000_003 + index));
        var world = _worlds[rng.Next(_worlds.Count)];
        // Mostly one question mutated, sometimes two; one to three stacked edits each.
        var answers = world.BaselineAnswers;
        var targets = new HashSet<(DnsName, DnsRecordType)>();
        int nTargets = answers.Count == 0 ? 0 : rng.Next(5) == 0 ? 2 : 1;
        // The question's own response, where the answer and denial logic runs, is picked two times in five; any
        // response of the chain (DNSKEY, DS, referrals, alias targets) otherwise.
        int own = answers.ToList().FindIndex(a => a.Question.Name.Equals(world.QueryName) && a.Question.Type == world.QueryType);
        for (int t = 0; t < nTargets; t++) targets.Add(answers[own >= 0 && rng.Next(5) < 2 ? own : rng.Next(answers.Count)].Question);
        int caseSeed = rng.Next();
        int edits = rng.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
        var responses = answers.Select(a => a.Response).ToList();

        var source = new MutatingRecordSource(world, (name, type, genuine) =>
        {
            if (!targets.Contains((name, type))) return null;
            // Seeded by the case and the question, not by asking order.
            var qrng = new Random(unchecked(caseSeed ^ StableHash(name.ToString().ToLowerInvariant()) * 31 + (int)type));
            var mutator = new ResponseMutator(qrng, world.Pool, responses);
            return mutator.Apply(genuine, name, edits);
        });
        var options = world.Options();
        var validator = new ChainValidator(source, options, new FixedClock(world.Now), new ValidationCache(), Verifier);
        var watch = Stopwatch.StartNew();
        DnssecChainResult? result = null;
        Exception? escaped = null;
        try
        {
            result = validator.ValidateAsync(world.QueryName, world.QueryType).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            escaped = ex;
        }
        watch.Stop();
        var fc = new FuzzCase(index, world, string.Join(" || ", source.Mutations), result, watch.Elapsed);
        if (escaped is not null) fc.Violations.Add((FuzzOracle.Exception, escaped.GetType().Name + ": " + escaped.Message + " at " + FirstFrame(escaped)));
        else fc.Violations.AddRange(FuzzOracle.Check(world, result!, options, source.Queries, watch.Elapsed, TimeLimit));
        return fc;
    }

    // string.GetHashCode is randomised per process; FNV-1a keeps a case replayable across runs.
    private static int StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) h = unchecked((h ^ c) * 16777619);
        return unchecked((int)h);
    }

    private static string FirstFrame(Exception ex) =>
        (ex.StackTrace ?? string.Empty).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("DaneTools.Core")) ?? "?";
}

/// <summary>One case: which world, what was mutated, the result, how long it took and what it violated.</summary>
internal sealed class FuzzCase
{
    public FuzzCase(int index, FuzzWorld world, string mutation, DnssecChainResult? result, TimeSpan elapsed)
    {
        Index = index;
        World = world;
        Mutation = mutation.Length == 0 ? "(nothing mutated: the target question was not asked)" : mutation;
        Result = result;
        Elapsed = elapsed;
    }

    public int Index { get; }

    public FuzzWorld World { get; }

    public string Mutation { get; }

    public DnssecChainResult? Result { get; }

    public TimeSpan Elapsed { get; }

    public List<(string Kind, string Why)> Violations { get; } = new();

    public override string ToString() =>
        $"case {Index} {World}: {Mutation} => {(Result is null ? "exception" : Result.Status + " " + Result.ReasonCode)} in {Elapsed.TotalMilliseconds:F1} ms"
        + string.Concat(Violations.Take(5).Select(v => $"\n    {v.Kind}: {v.Why}"))
        + (Violations.Count > 5 ? $"\n    ... and {Violations.Count - 5} more" : string.Empty);
}

/// <summary>The figures of a campaign.</summary>
internal sealed class FuzzReport
{
    private const int KeptViolations = 40;

    public FuzzReport(int seed) => Seed = seed;

    public int Seed { get; }

    public int Mutations { get; private set; }

    public SortedDictionary<string, int> ByStatus { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> ByTransition { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> ViolationsByKind { get; } = new(StringComparer.Ordinal);

    public int Exceptions { get; private set; }

    public int Violations { get; private set; }

    /// <summary>The first violating cases (at most 40), for the report.</summary>
    public List<FuzzCase> Examples { get; } = new();

    public FuzzCase? Slowest { get; private set; }

    /// <summary>The fastest of three replays of <see cref="Slowest"/>.</summary>
    public TimeSpan SlowestReplay { get; set; }

    /// <summary>FNV-1a over every case's index, world, mutation, status and reason: equal digests, equal runs.</summary>
    public uint Digest { get; private set; } = 2166136261;

    public TimeSpan Elapsed { get; set; }

    public void Add(FuzzCase c)
    {
        Mutations++;
        var status = c.Result?.Status.ToString() ?? "Exception";
        ByStatus[status] = ByStatus.TryGetValue(status, out var n) ? n + 1 : 1;
        var transition = $"{c.World.Baseline.Status}->{status}";
        ByTransition[transition] = ByTransition.TryGetValue(transition, out var t) ? t + 1 : 1;
        if (c.Result is null) Exceptions++;
        foreach (char ch in $"{c.Index}|{c.World.Name}|{c.Mutation}|{status}|{c.Result?.ReasonCode}\n") Digest = unchecked((Digest ^ ch) * 16777619);
        if (Slowest is null || c.Elapsed > Slowest.Elapsed) Slowest = c;
        if (c.Violations.Count == 0) return;
        Violations++;
        foreach (var kind in c.Violations.Select(v => v.Kind).Distinct()) ViolationsByKind[kind] = ViolationsByKind.TryGetValue(kind, out var k) ? k + 1 : 1;
        if (Examples.Count < KeptViolations) Examples.Add(c);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(FormattableString.Invariant($"DNSSEC validator mutation fuzzing: seed {Seed}, {Mutations} mutations in {Elapsed.TotalSeconds:F1} s"));
        sb.AppendLine("Outcomes by status: " + string.Join(", ", new[] { "Secure", "Insecure", "Bogus", "Indeterminate" }.Select(s => $"{s} {(ByStatus.TryGetValue(s, out var n) ? n : 0)}")));
        sb.AppendLine("Unmutated -> mutated: " + string.Join(", ", ByTransition.Select(kv => $"{kv.Key} {kv.Value}")));
        sb.AppendLine(FormattableString.Invariant($"Exceptions: {Exceptions}"));
        sb.AppendLine(FormattableString.Invariant($"Run digest (same seed and count, same digest): {Digest:x8}"));
        sb.AppendLine($"Invariant violations: {Violations}" + (ViolationsByKind.Count == 0 ? string.Empty : " (" + string.Join(", ", ViolationsByKind.Select(kv => $"{kv.Key} {kv.Value}")) + ")"));
        if (Slowest is not null) sb.AppendLine(FormattableString.Invariant($"Slowest case: {Slowest.Elapsed.TotalMilliseconds:F1} ms (replayed: {SlowestReplay.TotalMilliseconds:F1} ms), case {Slowest.Index} {Slowest.World}: {Slowest.Mutation}"));
        foreach (var e in Examples) sb.AppendLine(e.ToString());
        return sb.ToString();
    }
}
