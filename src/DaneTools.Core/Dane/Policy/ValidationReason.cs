using System;

namespace DaneTools.Core.Dnssec;

// TODO(merge): the dnssec branch owns this type; this copy lives in Dane/Policy until that branch defines it.

/// <summary>
/// Explains a DNSSEC verdict: a stable code, one sentence and the RFC 8914 Extended DNS Error number. Immutable.
/// </summary>
/// <remarks>
/// Codes are stable names such as <c>Validated</c>, <c>NameDoesNotExist</c>, <c>NoData</c>, <c>RrsigExpired</c>,
/// <c>NoValidSignature</c>, <c>ServerFailure</c> or <c>Timeout</c> (DESIGN section 5). A proven absence is data, not
/// a failure: it comes with <see cref="DnssecStatus.Secure"/> and the code <c>NameDoesNotExist</c> or <c>NoData</c>.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8914#section-4"/>
public sealed class ValidationReason
{
    /// <summary>Creates a reason.</summary>
    /// <param name="code">The stable code, e.g. <c>RrsigExpired</c>.</param>
    /// <param name="text">One sentence for people.</param>
    /// <param name="extendedDnsError">The RFC 8914 INFO-CODE (e.g. 7 for Signature Expired), or null when none applies.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> or <paramref name="text"/> is null.</exception>
    public ValidationReason(string code, string text, int? extendedDnsError = null)
    {
        Code = code ?? throw new ArgumentNullException(nameof(code));
        Text = text ?? throw new ArgumentNullException(nameof(text));
        ExtendedDnsError = extendedDnsError;
    }

    /// <summary>Gets the stable code.</summary>
    public string Code { get; }

    /// <summary>Gets the explanation, one sentence.</summary>
    public string Text { get; }

    /// <summary>Gets the RFC 8914 Extended DNS Error INFO-CODE, or null.</summary>
    public int? ExtendedDnsError { get; }

    /// <inheritdoc/>
    public override string ToString() => ExtendedDnsError is int ede ? $"{Code} (EDE {ede}): {Text}" : $"{Code}: {Text}";
}
