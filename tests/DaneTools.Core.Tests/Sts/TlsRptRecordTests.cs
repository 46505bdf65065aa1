using DaneTools.Core.Sts;
using Xunit;

namespace DaneTools.Core.Tests.Sts;

/// <summary>
/// The TLS-RPT record (RFC 8460 section 3): expected values from the RFC's ABNF and its section 3.1 examples.
/// </summary>
public sealed class TlsRptRecordTests
{
    [Theory]
    [InlineData("v=TLSRPTv1;rua=mailto:reports@example.com", "mailto:reports@example.com")]            // RFC 8460 3.1
    [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", "https://reporting.example.com/v1/tlsrpt")] // RFC 8460 3.1
    [InlineData("v=TLSRPTv1; rua=mailto:tls@example.com;", "mailto:tls@example.com")]                  // [field-delim]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com ; ext.x=1", "mailto:a@example.com")]              // unknown field ignored
    [InlineData("v=TLSRPTv1; foo_bar=baz; rua=mailto:a@example.com", "mailto:a@example.com")]
    [InlineData("v=TLSRPTv1; rua=mailto:a%2Cb%21c%3Bd@example.com", "mailto:a%2Cb%21c%3Bd@example.com")] // , ! ; percent-encoded
    public void Valid(string text, string firstUri)
    {
        Assert.True(TlsRptRecord.TryParse(text, out var record, out var error), error);
        Assert.Equal(firstUri, record!.ReportUris[0]);
        Assert.Empty(record.Warnings);
    }

    [Fact]
    public void Rua_CommaSeparated_WithWsp()
    {
        Assert.True(TlsRptRecord.TryParse("v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.net/tlsrpt,mailto:b@example.org", out var record, out var error), error);
        Assert.Equal(new[] { "mailto:a@example.com", "https://r.example.net/tlsrpt", "mailto:b@example.org" }, record!.ReportUris);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v=TLSRPTv1;")]                                         // 1*(field-delim tlsrpt-field)
    [InlineData("v=TLSRPTv1; ext=1")]                                   // rua is required
    [InlineData("V=TLSRPTv1; rua=mailto:a@example.com")]                // %s: case-sensitive
    [InlineData("v=TLSRPTv2; rua=mailto:a@example.com")]
    [InlineData("v=TLSRPTv1 rua=mailto:a@example.com")]                 // delimiter is ';'
    [InlineData("v=TLSRPTv1; rua=")]                                    // a URI is required
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com,")]               // empty URI after ','
    [InlineData("v=TLSRPTv1; rua=mailto:a!b@example.com")]              // '!' must be percent-encoded
    [InlineData("v=TLSRPTv1; rua=reports@example.com")]                 // not a URI
    [InlineData("v=TLSRPTv1; rua=mailto:<script>x</script>@example.com")] // '<' '>' are not URI characters (RFC 3986 2)
    [InlineData("v=TLSRPTv1; rua=https://example.com/{x}")]             // nor '{' '}'
    [InlineData("v=TLSRPTv1; rua=https://")]                            // no host
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com;; ext=1")]        // empty field
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; _ext=1")]        // ext name starts with ALPHA / DIGIT
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; ext=a=b")]       // '=' not in ext value
    public void Invalid(string text)
    {
        Assert.False(TlsRptRecord.TryParse(text, out var record, out var error));
        Assert.Null(record);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void UnsupportedScheme_IsAWarning()
    {
        Assert.True(TlsRptRecord.TryParse("v=TLSRPTv1; rua=ftp://r.example.com/x", out var record, out var error), error);
        Assert.Contains(record!.Warnings, w => w.Contains("ftp://r.example.com/x"));
    }

    [Fact]
    public void Select_ExactlyOne()
    {
        Assert.True(TlsRptRecord.TrySelect(new[] { "unrelated", "v=TLSRPTv1; rua=mailto:a@example.com" }, out var record, out var problem), problem);
        Assert.NotNull(record);

        Assert.False(TlsRptRecord.TrySelect(new[] { "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com" }, out record, out problem));
        Assert.Null(record);
        Assert.Contains("exactly one", problem);

        Assert.False(TlsRptRecord.TrySelect(new[] { "v=TLSRPTv1; rua=x" }, out record, out problem));
        Assert.Contains("not valid", problem);

        Assert.False(TlsRptRecord.TrySelect(new[] { "v=spf1 -all" }, out record, out problem)); // no record: not a problem
        Assert.Null(problem);
    }
}
