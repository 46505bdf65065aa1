using System;
using System.Collections.Generic;
using DaneTools.Core.Reporting;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// The result types of RFC 8460 section 4.3 and the Exchange Online NDR each corresponds to, by policy type.
/// </summary>
/// <remarks>
/// For DANE (<c>tlsa</c>) and no policy the DANE codes of <see cref="DaneFailureCodes"/> are used (Exchange Online names its
/// 5.7.321-325 after these result types). For MTA-STS Exchange Online documents 5.7.5 for a certificate that fails WebPKI
/// validation or the name check and 5.4.8 for an MX host the policy does not list. Result types Exchange Online documents
/// no NDR for (policy fetch errors, <c>dane-required</c>, unknown names) give an empty string.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-4.3"/>
public static class TlsRptResultTypes
{
    /// <summary>The final NDR Exchange Online gives when an MTA-STS certificate check fails.</summary>
    public const string StsCertificateNdr = "5.7.5 Remote certificate failed MTA-STS validation";

    /// <summary>The final NDR Exchange Online gives when no MX host is listed in an enforced MTA-STS policy.</summary>
    public const string StsMxNdr = "5.4.8 MX hosts failed MTA-STS validation";

    private static readonly HashSet<string> s_known = new(StringComparer.Ordinal)
    {
        "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
        "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required",
        "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid",
    };

    /// <summary>Gets the result types RFC 8460 section 4.3 defines.</summary>
    public static IReadOnlyCollection<string> Known => s_known;

    /// <summary>Returns whether a result type is one RFC 8460 section 4.3 defines (exact, lower case).</summary>
    /// <param name="resultType">The result type as the report gives it.</param>
    /// <returns>True for the eleven RFC names.</returns>
    public static bool IsKnown(string? resultType) => resultType is not null && s_known.Contains(resultType);

    /// <summary>Returns the final Exchange Online NDR a result type corresponds to.</summary>
    /// <param name="policyType">The report's policy type: <c>tlsa</c>, <c>sts</c> or <c>no-policy-found</c>.</param>
    /// <param name="resultType">The result type.</param>
    /// <returns>The code and text, e.g. <c>5.7.323 tlsa-invalid</c>; empty when Exchange Online documents none.</returns>
    public static string ExchangeOnlineNdr(string? policyType, string? resultType)
    {
        if (string.Equals(policyType, "sts", StringComparison.OrdinalIgnoreCase))
        {
            return resultType switch
            {
                "certificate-expired" or "certificate-host-mismatch" or "certificate-not-trusted" or "sts-webpki-invalid" => StsCertificateNdr,
                "validation-failure" => StsMxNdr,
                _ => string.Empty,
            };
        }
        if (string.Equals(policyType, "no-policy-found", StringComparison.OrdinalIgnoreCase))
        {
            // Without a policy Exchange Online delivers opportunistically: only DNSSEC failures block.
            return resultType == "dnssec-invalid" ? DaneFailureCodes.ExchangeOnlineFinal(DaneFailureKind.DnssecInvalid) : string.Empty;
        }
        DaneFailureKind kind = resultType switch
        {
            "starttls-not-supported" => DaneFailureKind.StartTlsNotSupported,
            "certificate-expired" => DaneFailureKind.CertificateExpired,
            "tlsa-invalid" => DaneFailureKind.TlsaInvalid,
            // "any other DANE failure" is 5.7.323 in Exchange Online's table.
            "certificate-not-trusted" => DaneFailureKind.TlsaInvalid,
            "dnssec-invalid" => DaneFailureKind.DnssecInvalid,
            "certificate-host-mismatch" => DaneFailureKind.CertificateHostMismatch,
            // A failed handshake after STARTTLS: RFC 8460 validation-failure, Exchange Online 5.7.321.
            "validation-failure" => DaneFailureKind.TlsHandshakeFailed,
            _ => DaneFailureKind.None,
        };
        return DaneFailureCodes.ExchangeOnlineFinal(kind);
    }
}
