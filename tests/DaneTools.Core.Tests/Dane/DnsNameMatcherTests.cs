using DaneTools.Core.Dane;
using Xunit;

namespace DaneTools.Core.Tests.Dane;

/// <summary>Name checks per RFC 7672 sections 3.2.2/3.2.3 and DESIGN section 6.</summary>
public class DnsNameMatcherTests
{
    [Theory]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("Mail.Example.Com", "mail.example.com", true)]
    [InlineData("mail.example.com.", "mail.example.com", true)]
    [InlineData("*.example.com", "mail.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]          // the wildcard is exactly one label
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.com", "example.com", false)]                  // no wildcard directly under a one-label suffix
    [InlineData("m*.example.com", "mail.example.com", false)]    // only a whole-label '*' is a wildcard
    [InlineData("*mail.example.com", "xmail.example.com", false)]
    [InlineData("mail.*.com", "mail.example.com", false)]
    [InlineData("*.*.example.com", "a.b.example.com", false)]
    [InlineData("", "mail.example.com", false)]
    public void Matches_PresentedName_FollowsRules(string presented, string reference, bool expected) =>
        Assert.Equal(expected, DnsNameMatcher.Matches(new[] { presented }, new string[0], new[] { reference }));

    [Fact]
    public void Matches_SansPresent_CommonNameIgnored() =>
        Assert.False(DnsNameMatcher.Matches(new[] { "other.example.net" }, new[] { "mail.example.com" }, new[] { "mail.example.com" }));

    [Fact]
    public void Matches_NoSans_CommonNameUsed() =>
        Assert.True(DnsNameMatcher.Matches(new string[0], new[] { "mail.example.com" }, new[] { "mail.example.com" }));

    [Fact]
    public void Matches_WildcardReferenceIdentifier_NeverMatches() =>
        Assert.False(DnsNameMatcher.Matches(new[] { "*.example.com" }, new string[0], new[] { "*.example.com" }));

    [Fact]
    public void Matches_NoReferenceIdentifier_False() =>
        Assert.False(DnsNameMatcher.Matches(new[] { "mail.example.com" }, new string[0], new string[0]));
}
