using System;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Explains a DNSSEC verdict: a stable code, its RFC 8914 extended DNS error number, the zone and record
/// concerned, and one sentence.
/// </summary>
/// <remarks>Immutable. Codes are the constants of <see cref="ReasonCodes"/>.</remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8914#section-4"/>
public sealed class ValidationReason
{
    /// <summary>Creates a reason.</summary>
    /// <param name="code">A <see cref="ReasonCodes"/> constant.</param>
    /// <param name="extendedDnsError">The RFC 8914 INFO-CODE, or null when none applies.</param>
    /// <param name="zone">The zone concerned, in presentation form, or null.</param>
    /// <param name="record">The record or RRset concerned (e.g. <c>www.example.com. A</c>), or null.</param>
    /// <param name="message">One sentence for people.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> or <paramref name="message"/> is null.</exception>
    public ValidationReason(string code, int? extendedDnsError, string? zone, string? record, string message)
    {
        Code = code ?? throw new ArgumentNullException(nameof(code));
        ExtendedDnsError = extendedDnsError;
        Zone = zone;
        Record = record;
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>Gets the stable reason code, e.g. <c>RrsigExpired</c>.</summary>
    public string Code { get; }

    /// <summary>Gets the RFC 8914 extended DNS error INFO-CODE, or null.</summary>
    public int? ExtendedDnsError { get; }

    /// <summary>Gets the zone concerned, or null.</summary>
    public string? Zone { get; }

    /// <summary>Gets the record or RRset concerned, or null.</summary>
    public string? Record { get; }

    /// <summary>Gets the explanation sentence.</summary>
    public string Message { get; }

    /// <summary>Formats as <c>Code (EDE n): message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ExtendedDnsError is int ede ? $"{Code} (EDE {ede}): {Message}" : $"{Code}: {Message}";

    internal static ValidationReason Create(string code, string? zone, string? record, string message) =>
        new(code, ReasonCodes.ExtendedDnsErrorOf(code), zone, record, message);
}
