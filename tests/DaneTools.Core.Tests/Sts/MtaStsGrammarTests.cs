using DaneTools.Core.Sts;
using Xunit;

namespace DaneTools.Core.Tests.Sts;

/// <summary>
/// The TXT record (RFC 8461 section 3.1), the policy (section 3.2) and mx matching (section 4.1), expected values from
/// the RFC's text and ABNF: the examples are the RFC's own.
/// </summary>
public sealed class MtaStsGrammarTests
{
    // RFC 8461 section 3.1 example.
    [Theory]
    [InlineData("v=STSv1; id=20160831085700Z;", "20160831085700Z")]
    [InlineData("v=STSv1; id=20160831085700Z", "20160831085700Z")]
    [InlineData("v=STSv1;id=abc", "abc")]
    [InlineData("v=STSv1; id=abc; ext=val-ue;", "abc")] // unknown fields ignored
    [InlineData("v=STSv1; foo.bar_baz=1; id=x1", "x1")]
    [InlineData("v=STSv1; id=12345678901234567890123456789012", "12345678901234567890123456789012")] // 32 characters
    public void TxtRecord_Valid(string text, string id)
    {
        Assert.True(MtaStsTxtRecord.TryParse(text, out var record, out var error), error);
        Assert.Equal(id, record!.Id);
    }

    [Theory]
    [InlineData("v=STSv1;")]                                          // no field: 1*(delim field)
    [InlineData("v=STSv1; ext=1")]                                    // id is required
    [InlineData("v=STSv1; id=")]                                      // 1*32
    [InlineData("v=STSv1; id=123456789012345678901234567890123")]    // 33 characters
    [InlineData("v=STSv1; id=2016-08-31")]                            // ALPHA / DIGIT only
    [InlineData("v=STSv2; id=abc")]
    [InlineData("V=STSv1; id=abc")]                                   // %s: case-sensitive
    [InlineData("v=STSv1; id=abc;; ext=1")]                           // empty field
    [InlineData("v=STSv1; id=abc; _ext=1")]                           // ext name starts with ALPHA / DIGIT
    [InlineData("v=STSv1 id=abc")]                                    // delimiter is ';'
    public void TxtRecord_Invalid(string text)
    {
        Assert.False(MtaStsTxtRecord.TryParse(text, out var record, out var error));
        Assert.Null(record);
        Assert.False(string.IsNullOrEmpty(error));
    }

    // RFC 8461 section 3.2 example policy.
    private const string RfcExample = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n";

    [Fact]
    public void Policy_RfcExample_Parses()
    {
        Assert.True(MtaStsPolicy.TryParse(RfcExample, out var p, out var error), error);
        Assert.Equal("STSv1", p!.Version);
        Assert.Equal(MtaStsMode.Enforce, p.Mode);
        Assert.Equal(604800, p.MaxAgeSeconds);
        Assert.Equal(new[] { "mail.example.com", "*.example.net", "backupmx.example.com" }, p.MxPatterns);
        Assert.Empty(p.Warnings);
    }

    [Fact]
    public void Policy_CrlfLinesAndNoFinalTerminator_Parse()
    {
        Assert.True(MtaStsPolicy.TryParse(RfcExample.Replace("\n", "\r\n").TrimEnd(), out var p, out var error), error);
        Assert.Equal(3, p!.MxPatterns.Count);
    }

    [Theory]
    [InlineData("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400\n", MtaStsMode.Testing)]
    [InlineData("version: STSv1\nmode: none\nmax_age: 86400\n", MtaStsMode.None)]       // mx not needed for none
    [InlineData("version: STSv1\nmode: ENFORCE\nmx: a.example\nmax_age: 86400\n", MtaStsMode.Enforce)] // ABNF quoted strings are case-insensitive
    [InlineData("version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 86400\n", MtaStsMode.Enforce)] // first value wins
    [InlineData("version: STSv1\nmode:enforce\nmx:a.example\nmax_age:86400\nfuture_key: any value here\n", MtaStsMode.Enforce)] // *WSP, unknown key
    [InlineData("  version: STSv1   \nmode: testing\t\nmx: a.example\nmax_age: 0\n", MtaStsMode.Testing)] // surrounding WSP; max_age 0
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n", MtaStsMode.Enforce)] // the maximum
    public void Policy_Valid(string text, MtaStsMode mode)
    {
        Assert.True(MtaStsPolicy.TryParse(text, out var p, out var error), error);
        Assert.Equal(mode, p!.Mode);
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 86400\n", "version")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 86400\n", "STSv1")]
    [InlineData("Version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 86400\n", "version")] // keys are case-sensitive
    [InlineData("version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 86400\n", "mode")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 86400\n", "mode")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400\n", "mx")]                    // mx required unless none
    [InlineData("version: STSv1\nmode: testing\nmax_age: 86400\n", "mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n", "max_age")] // 1*10DIGIT
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1 week\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mx.bücher.example\nmax_age: 86400\n", "mx")] // A-labels only
    [InlineData("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 86400\n", "mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail*.example\nmax_age: 86400\n", "mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example.\nmax_age: 86400\n", "mx")]   // RFC 5321 Domain has no trailing dot
    [InlineData("version: STSv1\nmode: enforce\nmx: -mail.example\nmax_age: 86400\n", "mx")]
    [InlineData("version: STSv1\nmode enforce\nmx: a.example\nmax_age: 86400\n", "Line 2")]
    [InlineData("version: STSv1\rmode: enforce\rmx: a.example\rmax_age: 86400\r", "control")]  // CR alone is no line end
    [InlineData("<html>Not Found</html>", "Line 1")]
    public void Policy_Invalid_NamesTheField(string text, string named)
    {
        Assert.False(MtaStsPolicy.TryParse(text, out var p, out var error));
        Assert.Null(p);
        Assert.Contains(named, error);
    }

    [Fact]
    public void Policy_DuplicateKeyAndShortMaxAge_Warn()
    {
        Assert.True(MtaStsPolicy.TryParse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 3600\n\n", out var p, out _));
        Assert.Equal(MtaStsMode.Testing, p!.Mode);
        Assert.Contains(p.Warnings, w => w.Contains("'mode' repeated"));
        Assert.Contains(p.Warnings, w => w.Contains("under a day"));
    }

    // RFC 8461 section 4.1: "*.example.com" matches "mail.example.com" but not "example.com" nor "foo.bar.example.com".
    [Theory]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "MAIL.Example.COM.", true)]
    [InlineData("*.example.com", "mail.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "foo.bar.example.com", false)]
    [InlineData("*.example.com", "mailexample.com", false)]
    [InlineData("mail.example.com", "mx.mail.example.com", false)]
    [InlineData("mail.example.com", "example.com", false)]
    public void MxPattern_Matches(string pattern, string host, bool expected) =>
        Assert.Equal(expected, MtaStsMxPattern.Matches(pattern, host));
}
