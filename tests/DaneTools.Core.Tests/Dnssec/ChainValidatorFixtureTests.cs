using System;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dnssec;
using Xunit;
using Xunit.Abstractions;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// One test per fixture case (TestData/Dnssec, zones signed by BIND/ldns, answers recorded from NSD, verdicts
/// cross-checked with delv): the validator must reach case.json's expected status and reason.
/// </summary>
public class ChainValidatorFixtureTests
{
    private readonly ITestOutputHelper _output;

    public ChainValidatorFixtureTests(ITestOutputHelper output) => _output = output;

    internal static async Task<DnssecChainResult> RunAsync(FixtureCase c, bool strictSha1 = false)
    {
        var anchors = new TrustAnchorStore();
        foreach (var line in c.TrustAnchors) anchors.Add(line);
        var options = new DnssecValidatorOptions
        {
            TrustAnchors = anchors,
            ValidationTime = c.ValidationTime.UtcDateTime,
            StrictSha1 = strictSha1,
        };
        var validator = new ChainValidator(c.CreateSource(), options, new FixedClock(c.ValidationTime.UtcDateTime));
        return await validator.ValidateAsync(c.Name, c.Type);
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public async Task ValidateAsync_FixtureCase_ExpectedStatusAndReason(FixtureCase c)
    {
        var result = await RunAsync(c);
        _output.WriteLine(result.ToString());
        foreach (var link in result.Links) _output.WriteLine("  link " + link);
        foreach (var w in result.Warnings) _output.WriteLine("  warning " + w);
        _output.WriteLine("  work " + result.Work);
        Assert.Equal(c.ExpectedStatus, result.Status.ToString());
        Assert.Equal(c.ExpectedReason ?? string.Empty, result.ReasonCode);
        Assert.Equal(c.ExpectedEde, result.ExtendedDnsError);
        if (c.ExpectWarning) Assert.NotEmpty(result.Warnings);
        if (c.StrictSha1Expected is not null)
        {
            var strict = await RunAsync(c, strictSha1: true);
            Assert.Equal(c.StrictSha1Expected, strict.Status.ToString());
        }
    }
}
