using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>
/// Replays the peers' validator scenarios (tests/conformance/dnssec-replay: Unbound's val_*.rpl, Deckard's
/// sets/resolver) against ChainValidator (issue 11). Expected verdicts come from each file's CHECK_ANSWER.
/// </summary>
public class ReplayTests
{
    private readonly ITestOutputHelper _output;

    public ReplayTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Files() => ReplayRunner.Files().Select(f => new object[] { f });

    private static IReadOnlyList<ReplayFileResult> RunAll() => ReplayRunner.Files().Select(ReplayRunner.Run).ToList();

    [Theory]
    [MemberData(nameof(Files))]
    public void Replay_File_AgreesWithPeerExceptKnownDifferences(string file)
    {
        var result = ReplayRunner.Run(file);
        foreach (var p in result.Problems) _output.WriteLine("parser: " + p);
        var failures = new List<string>();
        foreach (var c in result.Cases)
        {
            _output.WriteLine($"step {c.Step} {c.Query}: peer {c.Expected?.ToString() ?? "-"}, ours {c.Ours}: {ReplayResultsTable.Result(c)}");
            foreach (var t in c.Trace) _output.WriteLine("    " + t);
            bool known = ReplayKnownDifferences.All.ContainsKey(c.Key);
            if (c.Outcome == ReplayOutcome.Differ && !known)
                failures.Add($"{c.Key} {c.Query}: the peer says {c.Expected}, we say {c.Ours}; fix it, or add it to ReplayKnownDifferences with its class.");
            if (c.Outcome != ReplayOutcome.Differ && known)
                failures.Add($"{c.Key} {c.Query} is in ReplayKnownDifferences but now {(c.Outcome == ReplayOutcome.Agree ? "agrees" : "is skipped: " + c.SkipReason)}: remove it from the list.");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Replay_NoFailOpenOutsideKnownList()
    {
        var failOpen = RunAll().SelectMany(f => f.Cases).Where(c => c.IsFailOpen).ToList();
        foreach (var c in failOpen) _output.WriteLine($"fail-open {c.Key} {c.Query}: peer {c.Expected}, ours {c.Ours}");
        var unlisted = failOpen.Where(c => !ReplayKnownDifferences.All.ContainsKey(c.Key)).Select(c => $"{c.Key} {c.Query}: peer {c.Expected}, ours {c.Ours}").ToList();
        Assert.True(unlisted.Count == 0, "Secure where the peer says Bogus or Insecure:" + Environment.NewLine + string.Join(Environment.NewLine, unlisted));
        // A listed one must be argued from the RFCs (the peer's known departure), never a defect waiting for a fix.
        var defects = failOpen.Where(c => !ReplayKnownDifferences.All[c.Key].StartsWith("argued", StringComparison.Ordinal)).Select(c => c.Key).ToList();
        Assert.True(defects.Count == 0, "Fail-open defects: " + string.Join(", ", defects));
    }

    [Fact]
    public void Replay_KnownDifferences_NameExistingSteps()
    {
        var keys = new HashSet<string>(RunAll().SelectMany(f => f.Cases).Select(c => c.Key), StringComparer.Ordinal);
        var stale = ReplayKnownDifferences.All.Keys.Where(k => !keys.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Known differences naming no replay step: " + string.Join(", ", stale));
    }

    [Fact]
    public void Replay_ResultsTable_IsCurrent()
    {
        var files = RunAll();
        foreach (var suite in ReplayRunner.Suites)
        {
            var cases = files.Where(f => f.Suite == suite).SelectMany(f => f.Cases).ToList();
            _output.WriteLine($"{suite}: agree {cases.Count(c => c.Outcome == ReplayOutcome.Agree)}, differ {cases.Count(c => c.Outcome == ReplayOutcome.Differ)}, skipped {cases.Count(c => c.Outcome == ReplayOutcome.Skipped)}");
        }
        var text = ReplayResultsTable.Render(files);
        var path = Path.Combine(ReplayRunner.DataRoot, ReplayResultsTable.FileName);
        if (Environment.GetEnvironmentVariable("DANETOOLS_REPLAY_WRITE") == "1")
        {
            File.WriteAllText(path, text);
            _output.WriteLine("wrote " + path);
            return;
        }
        var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : string.Empty;
        Assert.True(committed == text, $"{path} is stale: run the replay tests with DANETOOLS_REPLAY_WRITE=1 and commit it.");
    }
}
