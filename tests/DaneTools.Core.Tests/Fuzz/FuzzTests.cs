using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;
using Xunit.Abstractions;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>The worlds, baseline-validated once for every fuzz test of a run.</summary>
public sealed class FuzzWorldsFixture
{
    internal IReadOnlyList<FuzzWorld> Worlds { get; } = FuzzWorlds.All();
}

/// <summary>
/// Mutation fuzzing of <see cref="ChainValidator"/> (issue 11): a short seeded run that must show no invariant
/// violation, and tests of the oracle itself, which must catch a validator that calls forged data Secure.
/// </summary>
public class FuzzTests : IClassFixture<FuzzWorldsFixture>
{
    /// <summary>The campaign's mutation count (build.ps1 -Task Fuzz sets it).</summary>
    public const string CampaignMutationsVariable = "DANETOOLS_FUZZ_MUTATIONS";

    /// <summary>The seed of the short run; the Fuzz task uses it too unless DANETOOLS_FUZZ_SEED says otherwise.</summary>
    public const int Seed = 20261207;

    private readonly IReadOnlyList<FuzzWorld> _worlds;
    private readonly ITestOutputHelper _output;

    public FuzzTests(FuzzWorldsFixture fixture, ITestOutputHelper output)
    {
        _worlds = fixture.Worlds;
        _output = output;
    }

    [Fact]
    public void Worlds_BaselinesCoverEveryStatusAndTheSecureKinds()
    {
        // The oracle compares against these baselines: they must be what the fixtures and tests say they are.
        foreach (var w in _worlds) _output.WriteLine($"{w}: {w.Baseline.Status} {w.Baseline.ReasonCode}, {w.BaselineAnswers.Count} questions");
        Assert.True(_worlds.Count >= 40);
        Assert.All(_worlds.Where(w => w.Name.StartsWith("fixture/", StringComparison.Ordinal)),
            w => Assert.Equal(FixtureStatus(w), w.Baseline.Status.ToString()));
        Assert.Contains(_worlds, w => w.Baseline.Status == DnssecStatus.Secure && w.Baseline.ReasonCode == ReasonCodes.NoData);
        Assert.Contains(_worlds, w => w.Baseline.Status == DnssecStatus.Secure && w.Baseline.ReasonCode == ReasonCodes.NameDoesNotExist);
        Assert.Contains(_worlds, w => w.Baseline.Status == DnssecStatus.Secure && w.Baseline.Aliases.Count >= 6);
        Assert.Contains(_worlds, w => w.Baseline.Status == DnssecStatus.Insecure);
        Assert.Contains(_worlds, w => w.Baseline.Status == DnssecStatus.Bogus);
        Assert.Equal(DnssecStatus.Secure, _worlds.Single(w => w.Name == "mem/keytrap").Baseline.Status);
    }

    private static string FixtureStatus(FuzzWorld w) => Dnssec.FixtureCase.Load(w.Name.Substring("fixture/".Length)).ExpectedStatus;

    [Fact]
    public void ShortSeededRun_NoInvariantViolated()
    {
        var report = new FuzzCampaign(_worlds, Seed).Run(2000);
        _output.WriteLine(report.ToString());
        Assert.Equal(2000, report.Mutations);
        // The run reaches every verdict, so the invariants were checked on each kind of outcome.
        Assert.All(new[] { "Secure", "Insecure", "Bogus", "Indeterminate" }, s => Assert.True(report.ByStatus.GetValueOrDefault(s) > 0, s));
        Assert.True(report.ByTransition.GetValueOrDefault("Secure->Bogus") > 100);
        Assert.Equal(0, report.Exceptions);
        Assert.True(report.Violations == 0, report.ToString());
    }

    [Fact]
    public void RunCase_SameSeedAndIndex_SameWorldMutationAndVerdict()
    {
        var a = new FuzzCampaign(_worlds, Seed);
        var b = new FuzzCampaign(_worlds, Seed);
        foreach (var i in new[] { 0, 17, 999 })
        {
            var x = a.RunCase(i);
            var y = b.RunCase(i);
            Assert.Equal(x.World.Name, y.World.Name);
            Assert.Equal(x.Mutation, y.Mutation);
            Assert.Equal(x.Result?.Status, y.Result?.Status);
            Assert.Equal(x.Result?.ReasonCode, y.Result?.ReasonCode);
        }
    }

    // ---------------------------------------------------------------- the oracle can fail

    [Fact]
    public async System.Threading.Tasks.Task Oracle_ValidatorAcceptingEverySignature_ForgedSecureCaught()
    {
        // A validator whose signature check always says yes calls a flipped answer bit Secure: the oracle must say so.
        var world = _worlds.Single(w => w.Name == "mem/positive-a");
        var source = new MutatingRecordSource(world, (name, type, genuine) => type == DnsRecordType.A ? (Flip(genuine), "answer A: last octet flipped") : null);
        var options = world.Options();
        var broken = world.Validator(source, new AcceptAllVerifier());
        var result = await broken.ValidateAsync(world.QueryName, world.QueryType);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        var violations = FuzzOracle.Check(world, result, options, source.Queries, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Contains(violations, v => v.Kind == FuzzOracle.ForgedSecure && v.Why.Contains("192.0.2.0"));

        // The product's verifier, given the same mutation, is Bogus and the oracle finds nothing.
        var honest = new MutatingRecordSource(world, (name, type, genuine) => type == DnsRecordType.A ? (Flip(genuine), "answer A: last octet flipped") : null);
        var real = await world.Validator(honest).ValidateAsync(world.QueryName, world.QueryType);
        Assert.Equal(DnssecStatus.Bogus, real.Status);
        Assert.Empty(FuzzOracle.Check(world, real, options, honest.Queries, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
    }

    // 192.0.2.1 -> 192.0.2.0 in the first A record of the answer.
    private static DnsResponse Flip(DnsResponse genuine)
    {
        var m = new MutableResponse(genuine);
        int i = m.Sections[0].FindIndex(r => r.Type == DnsRecordType.A);
        var rd = m.Sections[0][i].GetRdata();
        rd[3] ^= 0x01;
        m.Sections[0][i] = new ResourceRecord(m.Sections[0][i].Owner, DnsRecordType.A, 1, 300, rd);
        return m.ToResponse(genuine.Server);
    }

    [Fact]
    public void Oracle_AcceptAllVerifierOverTheShortRun_ForgeriesOfEachKindCaught()
    {
        // The same seeded run with a verifier that accepts every signature: the oracle must find forged Secure
        // answers, forged chains and signatures reported Valid that the world never held.
        var report = new FuzzCampaign(_worlds, Seed) { Verifier = new AcceptAllVerifier() }.Run(1000);
        _output.WriteLine(report.ToString());
        Assert.True(report.ViolationsByKind.GetValueOrDefault(FuzzOracle.ForgedSecure) > 10, report.ToString());
        Assert.True(report.ViolationsByKind.GetValueOrDefault(FuzzOracle.ForgedChain) > 0, report.ToString());
        Assert.True(report.ViolationsByKind.GetValueOrDefault(FuzzOracle.ForgedSignature) > 10, report.ToString());
    }

    [Fact]
    public async System.Threading.Tasks.Task Oracle_HarmlessMutations_NotViolations()
    {
        // TTL edits, duplicates, reordering and name case the canonical form lowercases leave the result as it was.
        var world = _worlds.Single(w => w.Name == "mem/positive-a");
        var source = new MutatingRecordSource(world, (name, type, genuine) =>
        {
            if (type != DnsRecordType.A) return null;
            var m = new MutableResponse(genuine);
            var answer = m.Sections[0];
            var a = answer.First(r => r.Type == DnsRecordType.A);
            answer.Insert(0, a.WithTtl(5));                                   // duplicate with another TTL
            answer.Reverse();                                                 // reorder
            answer[0] = answer[0].WithOwner(DnsName.Parse("WWW.Example.TEST."));  // owner case
            return (m.ToResponse(genuine.Server), "harmless");
        });
        var options = world.Options();
        var result = await world.Validator(source).ValidateAsync(world.QueryName, world.QueryType);
        Assert.Equal(DnssecStatus.Secure, result.Status);
        Assert.Empty(FuzzOracle.Check(world, result, options, source.Queries, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Oracle_SecureWorldComingOutInsecure_Downgrade()
    {
        // A result claiming Insecure for a world that is Secure is a downgrade, whatever the validator's reason.
        var world = _worlds.Single(w => w.Name == "mem/positive-a");
        var insecure = _worlds.First(w => w.Baseline.Status == DnssecStatus.Insecure).Baseline;
        var violations = FuzzOracle.Check(world, insecure, world.Options(), insecure.Work.Queries, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Contains(violations, v => v.Kind == FuzzOracle.Downgrade);
    }

    [Fact]
    public void Oracle_OverBudgetOrSlow_Violations()
    {
        var world = _worlds.Single(w => w.Name == "mem/positive-a");
        var tight = world.Options();
        tight.MaxSignatureVerifications = 1;
        tight.MaxQueries = 1;
        var violations = FuzzOracle.Check(world, world.Baseline, tight, world.Baseline.Work.Queries + 1, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2));
        Assert.Contains(violations, v => v.Kind == FuzzOracle.Budget && v.Why.Contains("verifications"));
        Assert.Contains(violations, v => v.Kind == FuzzOracle.Budget && v.Why.Contains("queries"));
        Assert.Contains(violations, v => v.Kind == FuzzOracle.Slow);
    }

    [Fact]
    public void OpenClasses_ShortRun_NoInvariantViolated()
    {
        // Before the denial-proof fix (issue 11 class 1) the fuzzer replayed the expanded NSEC onto mx.w.example.test
        // (Secure NoData for an existing TXT) and, as NXDOMAIN, at !.w.example.test (Secure NameDoesNotExist for
        // b.w.example.test, which exists through the wildcard).
        var report = new FuzzCampaign(FuzzWorlds.Open(), Seed).Run(2000);
        _output.WriteLine(report.ToString());
        Assert.True(report.Violations == 0, report.ToString());
    }

    [Fact]
    public async System.Threading.Tasks.Task OpenClasses_ExpandedNsecReplayedOntoAnExistingName_NotSecure()
    {
        // The mutation the campaign finds, made directly: *.w.example.test's NSEC, fetched expanded for a.w.example.test,
        // re-owned onto mx.w.example.test as a NODATA answer to its TXT question. Its signature verifies (RFC 4035
        // section 5.3.4), but its real owner is *.w.example.test (section 5.3.2), which proves nothing about mx.w.
        var world = FuzzWorlds.Open().Single(w => w.Name == "open/wildcard-nsec-replayed");
        var nsec = world.Pool.First(r => r.Type == DnsRecordType.NSEC);
        var source = new MutatingRecordSource(world, (name, type, genuine) =>
        {
            if (!name.Equals(world.QueryName) || type != world.QueryType) return null;
            var rrset = world.Pool.Where(r => r.Owner.Equals(nsec.Owner)).Select(r => r.WithOwner(world.QueryName)).ToList();
            return (new DnsResponse(DnsResponseCode.NoError, null, rrset, null, genuine.Server), "expanded NSEC re-owned onto the question");
        });
        var options = world.Options();
        var result = await world.Validator(source).ValidateAsync(world.QueryName, world.QueryType);
        _output.WriteLine(result.ToString());
        Assert.Equal(DnssecStatus.Secure, world.Baseline.Status);
        Assert.Empty(FuzzOracle.Check(world, result, options, source.Queries, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        Assert.NotEqual(DnssecStatus.Secure, result.Status);
    }

    // ---------------------------------------------------------------- the long campaign (build.ps1 -Task Fuzz)

    /// <summary>
    /// The long campaign: runs only when DANETOOLS_FUZZ_MUTATIONS is set (build.ps1 -Task Fuzz sets it), writes its
    /// figures to DANETOOLS_FUZZ_REPORT when given, and fails on any invariant violation. DANETOOLS_FUZZ_SEED picks
    /// another seed; DANETOOLS_FUZZ_CASE replays one case of the run (its index in the report).
    /// </summary>
    [Fact]
    [Trait("Category", "FuzzCampaign")]
    public void Campaign_FromEnvironment_NoInvariantViolated()
    {
        // Test leaves this out by its category (build.ps1); without the variable it runs 10,000 mutations.
        var countText = Environment.GetEnvironmentVariable(CampaignMutationsVariable);
        int count = string.IsNullOrEmpty(countText) ? 10000 : int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture);
        var seedText = Environment.GetEnvironmentVariable("DANETOOLS_FUZZ_SEED");
        int seed = string.IsNullOrEmpty(seedText) ? Seed : int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture);
        // DANETOOLS_FUZZ_OPEN_CLASSES: 1 adds the worlds of the defect classes fixed on another branch, "only" runs just them.
        var open = Environment.GetEnvironmentVariable("DANETOOLS_FUZZ_OPEN_CLASSES");
        var worlds = open == "only" ? FuzzWorlds.Open() : open == "1" ? _worlds.Concat(FuzzWorlds.Open()).ToList() : _worlds;
        var campaign = new FuzzCampaign(worlds, seed);
        var only = Environment.GetEnvironmentVariable("DANETOOLS_FUZZ_CASE");
        if (!string.IsNullOrEmpty(only))
        {
            // Replays one reported case, a few times so a slow one can be told from a pause of the machine.
            for (int r = 0; r < 5; r++) _output.WriteLine(campaign.RunCase(int.Parse(only, System.Globalization.CultureInfo.InvariantCulture)).ToString());
            return;
        }
        var report = campaign.Run(count);
        var text = report.ToString();
        _output.WriteLine(text);
        var path = Environment.GetEnvironmentVariable("DANETOOLS_FUZZ_REPORT");
        if (!string.IsNullOrEmpty(path)) File.WriteAllText(path, text);
        Assert.True(report.Violations == 0, text);
    }
}

/// <summary>A verifier that accepts every signature: a deliberately broken validator, to show the oracle can fail.</summary>
internal sealed class AcceptAllVerifier : ISignatureVerifier
{
    public bool IsSupported(DnssecAlgorithm algorithm) => DnssecSignatureVerifier.Shared.IsSupported(algorithm);

    public bool Verify(DnssecAlgorithm algorithm, byte[] publicKey, byte[] signedData, byte[] signature) => true;
}

