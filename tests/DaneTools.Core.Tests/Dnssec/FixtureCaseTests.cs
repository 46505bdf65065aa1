using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class FixtureCaseTests
{
    // The cases the issue asks for; a regeneration must not lose one.
    private static readonly string[] s_requiredCases =
    {
        "secure-a", "insecure-delegation-nsec", "insecure-delegation-nsec3-optout",
        "bogus-rrsig-expired", "bogus-rrsig-not-yet-valid", "bogus-ds-no-matching-dnskey", "bogus-ds-digest-mismatch",
        "bogus-missing-rrsig", "bogus-tampered-record", "bogus-key-revoked", "bogus-rrsig-labels-exceed-owner",
        "insecure-unsupported-algorithm", "insecure-ds-unsupported-digest-only", "secure-ds-digest-known-first", "secure-ds-digest-unknown-first",
        "bogus-ds-supported-algorithm-fails", "bogus-ds-sha1-matches-sha256-fails", "secure-rsasha1",
        "secure-wildcard-expansion", "bogus-wildcard-proof-missing", "secure-wildcard-literal",
        "secure-nxdomain-nsec", "secure-nodata-nsec", "secure-nxdomain-nsec3", "secure-nodata-nsec3",
        "secure-ttl-counted-down", "secure-cname-other-zone", "secure-nsec3-150-iterations",
        "insecure-nsec3-151-iterations", "bogus-keytrap-colliding-keys",
    };

    [Fact]
    public void Folders_RequiredCases_ArePresent()
    {
        var missing = s_requiredCases.Except(FixtureCase.Folders()).ToList();
        Assert.True(missing.Count == 0, "missing fixture cases: " + string.Join(", ", missing));
    }

    [Fact]
    public void Folders_EveryFolder_HasCaseJsonAndResponses()
    {
        foreach (var folder in FixtureCase.Folders())
        {
            Assert.True(File.Exists(Path.Combine(FixtureCase.Root, folder, "case.json")), folder + " has no case.json");
            Assert.True(File.Exists(Path.Combine(FixtureCase.Root, folder, "responses.txt")), folder + " has no responses.txt");
        }
    }

    [Fact]
    public void All_EveryFolder_YieldsOneCase()
    {
        var names = FixtureCase.All().Select(row => ((FixtureCase)row.Single()).Folder).ToList();

        Assert.Equal(FixtureCase.Folders(), names);
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public void Load_EveryCase_HasValidFields(FixtureCase fixture)
    {
        Assert.Contains(fixture.ExpectedStatus, FixtureCase.Statuses);
        if (fixture.ExpectedReason is not null) Assert.Contains(fixture.ExpectedReason, FixtureCase.KnownReasons);
        if (fixture.ExpectedStatus != "Secure") Assert.NotNull(fixture.ExpectedReason);
        if (fixture.ExpectedEde is int ede) Assert.InRange(ede, 0, 49);
        if (fixture.StrictSha1Expected is not null) Assert.Contains(fixture.StrictSha1Expected, FixtureCase.Statuses);
        Assert.Equal(TimeSpan.Zero, fixture.ValidationTime.Offset);
        Assert.False(string.IsNullOrWhiteSpace(fixture.Delv), "delv verdict missing");
        Assert.False(string.IsNullOrWhiteSpace(fixture.Unbound), "Unbound verdict missing");
        Assert.False(string.IsNullOrWhiteSpace(fixture.Why), "why missing");
        Assert.False(string.IsNullOrWhiteSpace(fixture.Source), "source missing");
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public void ParseTrustAnchors_EveryCase_GivesDsOrDnskeyAboveTheQuestion(FixtureCase fixture)
    {
        var anchors = fixture.ParseTrustAnchors();

        Assert.NotEmpty(anchors);
        Assert.All(anchors, a =>
        {
            Assert.True(a.Type is DnsRecordType.DS or DnsRecordType.DNSKEY, $"anchor type {a.Type}");
            Assert.True(fixture.Name.IsSubdomainOf(a.Owner), $"anchor {a.Owner} is not above {fixture.Name}");
        });
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public void Responses_EveryRecordLine_ParsesWithResourceRecordParse(FixtureCase fixture)
    {
        int records = 0;
        foreach (var line in File.ReadLines(fixture.ResponsesPath))
        {
            if (line.Length == 0 || line.StartsWith(";", StringComparison.Ordinal)) continue;
            var record = ResourceRecord.Parse(line);
            Assert.Equal(ResourceRecord.ClassInternet, record.Class);
            records++;
        }

        Assert.True(records > 0, "no records");
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public void CreateSource_EveryCase_HoldsTheQuestionAndEveryAncestorsDsAndDnskey(FixtureCase fixture)
    {
        var source = fixture.CreateSource();

        Assert.True(source.Holds(fixture.Name, fixture.Type), $"{fixture.Folder}: the question itself is not recorded");
        Assert.True(source.Holds(DnsName.Root, DnsRecordType.DNSKEY), $"{fixture.Folder}: '. DNSKEY' not recorded");
        for (int labels = 1; labels <= fixture.Name.LabelCount; labels++)
        {
            var ancestor = fixture.Name.GetAncestor(labels);
            Assert.True(source.Holds(ancestor, DnsRecordType.DS), $"{fixture.Folder}: '{ancestor} DS' not recorded");
            Assert.True(source.Holds(ancestor, DnsRecordType.DNSKEY), $"{fixture.Folder}: '{ancestor} DNSKEY' not recorded");
        }
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public void Peers_VerdictDiffersFromExpected_WhyExplainsIt(FixtureCase fixture)
    {
        Assert.Contains(fixture.DelvStatus, FixtureCase.Statuses);
        Assert.Contains(fixture.UnboundStatus, FixtureCase.Statuses);
        if (fixture.DelvStatus != fixture.ExpectedStatus) Assert.Contains("delv", fixture.Why, StringComparison.Ordinal);
        if (fixture.UnboundStatus != fixture.ExpectedStatus) Assert.Contains("Unbound", fixture.Why, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]
    public async System.Threading.Tasks.Task Responses_RrsigWindows_CoverValidationTimeExceptWhereTheCaseSaysNot(FixtureCase fixture)
    {
        // RFC 4035 5.3.1 window check on the data itself, so a regeneration cannot silently move a case's
        // only expired (or not yet valid) signature somewhere else.
        var source = fixture.CreateSource();
        var outside = new List<RrsigRecord>();
        foreach (var (name, type) in source.Questions)
        {
            var response = await source.QueryAsync(name, type);
            foreach (var record in response.Answer.Concat(response.Authority).Where(r => r.Type == DnsRecordType.RRSIG))
            {
                var rrsig = RrsigRecord.From(record);
                var now = fixture.ValidationTime.UtcDateTime;
                if (now < rrsig.InceptionUtc || now > rrsig.ExpirationUtc) outside.Add(rrsig);
            }
        }

        if (fixture.ExpectedReason is "RrsigExpired" or "RrsigNotYetValid")
        {
            Assert.NotEmpty(outside);
            Assert.All(outside, r => Assert.True(r.Owner == fixture.Name && r.TypeCovered == fixture.Type, $"unexpected RRSIG outside its window: {r.Owner} {r}"));
        }
        else
        {
            Assert.Empty(outside);
        }
    }
}
