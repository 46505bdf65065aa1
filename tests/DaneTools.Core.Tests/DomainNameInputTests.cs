using DaneTools.Core;
using Xunit;

namespace DaneTools.Core.Tests;

public class DomainNameInputTests
{
    [Theory]
    [InlineData("contoso.com", "contoso.com")]
    [InlineData("Contoso.COM.", "contoso.com")]
    [InlineData("  fabrikam.example  ", "fabrikam.example")]
    [InlineData("user@Fabrikam.Example", "fabrikam.example")]
    [InlineData("SMTP:Chris@Contoso.com", "contoso.com")]
    [InlineData("smtp:chris@contoso.com", "contoso.com")]
    [InlineData("Chris Example <chris@Contoso.com>", "contoso.com")]
    [InlineData("\"Example, Chris\" <chris@contoso.com>", "contoso.com")]
    [InlineData("\"odd@local\"@contoso.com", "contoso.com")]
    // The A-label as Python's IDNA codec (RFC 3490 ToASCII) gives it.
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void Normalize_DomainOrAddress_GivesLowerCaseALabel(string input, string expected)
    {
        var result = DomainNameInput.Normalize(input);
        Assert.Equal(DomainNameInputKind.Valid, result.Kind);
        Assert.Equal(expected, result.DomainName);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.contoso.com")]
    public void Normalize_Wildcard_IsReportedAsWildcard(string input)
    {
        Assert.Equal(DomainNameInputKind.Wildcard, DomainNameInput.Normalize(input).Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData("localhost")]
    [InlineData("bad..name.com")]
    [InlineData("under_score.example")]
    [InlineData("@contoso.com")]
    [InlineData("user@")]
    [InlineData("user@[192.0.2.1]")]
    [InlineData("a-label-that-is-far-too-long-to-be-a-dns-label-because-it-has-64-x.example")]
    public void Normalize_NotADomain_IsInvalidWithReason(string? input)
    {
        var result = DomainNameInput.Normalize(input);
        Assert.Equal(DomainNameInputKind.Invalid, result.Kind);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }
}
