using System;
using DaneTools.Core.Reporting;
using Xunit;

namespace DaneTools.Core.Tests.Reporting;

/// <summary>
/// Expected codes from Exchange Online's NDR table (EXCHANGE.md section 1.2, DESIGN section 6), RFC 7505 section 3
/// (5.1.10) and the result types of RFC 8460 section 4.3.
/// </summary>
public sealed class DaneFailureCodesTests
{
    [Theory]
    [InlineData(DaneFailureKind.StartTlsNotSupported, "5.7.321 starttls-not-supported", "4.7.321 starttls-not-supported", "starttls-not-supported")]
    [InlineData(DaneFailureKind.TlsHandshakeFailed, "5.7.321 starttls-not-supported", "4.7.321 starttls-not-supported", "validation-failure")]
    [InlineData(DaneFailureKind.CertificateExpired, "5.7.322 certificate-expired", "4.7.322 certificate-expired", "certificate-expired")]
    [InlineData(DaneFailureKind.TlsaInvalid, "5.7.323 tlsa-invalid", "4.7.323 tlsa-invalid", "tlsa-invalid")]
    [InlineData(DaneFailureKind.DnssecInvalid, "5.7.324 dnssec-invalid", "4.7.324 dnssec-invalid", "dnssec-invalid")]
    [InlineData(DaneFailureKind.CertificateHostMismatch, "5.7.325 certificate-host-mismatch", "4.7.325 certificate-host-mismatch", "certificate-host-mismatch")]
    [InlineData(DaneFailureKind.DnsQueryFailed, "5.4.312 DNS query failed", "4.4.312 DNS query failed", "dnssec-invalid")]
    public void Codes_DaneFailure_MapToExchangeOnlineAndTlsRpt(DaneFailureKind kind, string final, string retrying, string tlsRpt)
    {
        Assert.Equal(final, DaneFailureCodes.ExchangeOnlineFinal(kind));
        Assert.Equal(retrying, DaneFailureCodes.ExchangeOnlineRetrying(kind));
        Assert.Equal(tlsRpt, DaneFailureCodes.TlsRptResultType(kind));
    }

    [Theory]
    [InlineData(DaneFailureKind.NullMx, "5.1.10")]
    [InlineData(DaneFailureKind.DomainDoesNotExist, "5.4.310")]
    [InlineData(DaneFailureKind.HostNotFound, "5.4.4")]
    public void Codes_PermanentFailure_NoRetryingCodeNoTlsRptType(DaneFailureKind kind, string prefix)
    {
        Assert.True(DaneFailureCodes.IsPermanent(kind));
        Assert.StartsWith(prefix + " ", DaneFailureCodes.ExchangeOnlineFinal(kind));
        Assert.Equal(string.Empty, DaneFailureCodes.ExchangeOnlineRetrying(kind));
        Assert.Equal(string.Empty, DaneFailureCodes.TlsRptResultType(kind));
    }

    [Fact]
    public void Codes_None_Empty()
    {
        Assert.Equal(string.Empty, DaneFailureCodes.ExchangeOnlineFinal(DaneFailureKind.None));
        Assert.Equal(string.Empty, DaneFailureCodes.ExchangeOnlineRetrying(DaneFailureKind.None));
        Assert.Equal(string.Empty, DaneFailureCodes.TlsRptResultType(DaneFailureKind.None));
    }

    [Fact]
    public void Codes_EveryDefinedKind_HasAnExchangeOnlineCode()
    {
        foreach (DaneFailureKind kind in Enum.GetValues(typeof(DaneFailureKind)))
        {
            if (kind == DaneFailureKind.None) continue;
            Assert.Matches(@"^5\.\d+\.\d+ ", DaneFailureCodes.ExchangeOnlineFinal(kind));
        }
    }

    [Fact]
    public void Codes_UndefinedKind_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DaneFailureCodes.ExchangeOnlineFinal((DaneFailureKind)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => DaneFailureCodes.TlsRptResultType((DaneFailureKind)99));
    }
}
