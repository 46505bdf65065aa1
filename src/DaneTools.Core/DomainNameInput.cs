using System;
using System.Globalization;

namespace DaneTools.Core;

/// <summary>
/// Normalises what administrators pipe in (domain names, e-mail addresses, Exchange Online property values) to
/// the A-label domain name a DNS query uses.
/// </summary>
/// <remarks>
/// Accepts U-labels (IDN, converted to A-labels per IDNA), a trailing dot, any case, an <c>SMTP:</c>/<c>smtp:</c>
/// prefix (Get-MailContact's ExternalEmailAddress), a local part (<c>user@domain</c>) and a display name
/// (<c>Chris &lt;chris@contoso.com&gt;</c>), as Send-DaneMail's recipients take them. The result is lower case
/// without trailing dot. Wildcards (<c>*</c>, <c>*.contoso.com</c>, as Get-AcceptedDomain and Get-RemoteDomain
/// carry them) are reported separately, since they name no domain that receives mail.
/// </remarks>
public static class DomainNameInput
{
    private static readonly IdnMapping s_idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>Classifies and normalises one input.</summary>
    /// <param name="input">A domain name or an e-mail address, possibly with an <c>SMTP:</c> prefix.</param>
    /// <returns>The normalised domain, or why the input names none.</returns>
    public static DomainNameInputResult Normalize(string? input)
    {
        var text = WithoutProxyPrefix(input);
        var cause = DomainNameDiagnosis.ObjectText(text);
        if (cause is not null) return DomainNameInputResult.Invalid(input, cause);
        // A name-addr as mail clients write it (RFC 5322 3.4): "Chris Example <chris@contoso.com>".
        int open = text.LastIndexOf('<');
        if (open >= 0 && text.EndsWith(">", StringComparison.Ordinal)) text = text.Substring(open + 1, text.Length - open - 2).Trim();
        int at = text.LastIndexOf('@');
        if (at >= 0)
        {
            if (at == 0 || at == text.Length - 1) return DomainNameInputResult.Invalid(input, "the e-mail address has an empty local part or domain");
            text = text.Substring(at + 1);
        }
        if (text.StartsWith("[", StringComparison.Ordinal)) return DomainNameInputResult.Invalid(input, "an address literal names no domain");
        if (text.Length == 0) return DomainNameInputResult.Invalid(input, "the input is empty");
        if (text == "*" || text.StartsWith("*.", StringComparison.Ordinal)) return DomainNameInputResult.Wildcard(input, text);
        cause = DomainNameDiagnosis.Address(text);
        if (cause is not null) return DomainNameInputResult.Invalid(input, cause);
        if (text.EndsWith(".", StringComparison.Ordinal)) text = text.Substring(0, text.Length - 1);
        if (text.Length == 0) return DomainNameInputResult.Invalid(input, "the root is not a mail domain");
        string ascii;
        try
        {
            ascii = s_idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return DomainNameInputResult.Invalid(input, DomainNameDiagnosis.AfterMappingFailed(text)
                ?? "it is not a valid host name (letters, digits and hyphens in labels of 1-63 characters)");
        }
        if (ascii.Length > 253 || DomainNameDiagnosis.AfterMappingFailed(ascii) is not null)
            return DomainNameInputResult.Invalid(input, DomainNameDiagnosis.AfterMappingFailed(ascii) ?? "the name is longer than 253 characters");
        foreach (var label in ascii.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63) return DomainNameInputResult.Invalid(input, "a label is empty or longer than 63 characters");
        }
        if (ascii.IndexOf('.') < 0) return DomainNameInputResult.Invalid(input, "a single-label name is not a mail domain");
        return DomainNameInputResult.Valid(input, ascii);
    }

    /// <summary>Trims an address and removes the proxy prefix Exchange writes (<c>SMTP:chris@contoso.com</c>).</summary>
    internal static string WithoutProxyPrefix(string? text)
    {
        var t = (text ?? string.Empty).Trim();
        return t.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? t.Substring(5).Trim() : t;
    }
}

/// <summary>Outcome of <see cref="DomainNameInput.Normalize"/>.</summary>
public sealed class DomainNameInputResult
{
    private DomainNameInputResult(string? input, DomainNameInputKind kind, string? domainName, string? error)
    {
        Input = input;
        Kind = kind;
        DomainName = domainName;
        Error = error;
    }

    /// <summary>Gets the input as given.</summary>
    public string? Input { get; }

    /// <summary>Gets whether the input named a domain, a wildcard, or nothing usable.</summary>
    public DomainNameInputKind Kind { get; }

    /// <summary>Gets the A-label domain in lower case without trailing dot (Valid), or the wildcard text (Wildcard).</summary>
    public string? DomainName { get; }

    /// <summary>Gets why the input is invalid, or null.</summary>
    public string? Error { get; }

    internal static DomainNameInputResult Valid(string? input, string domain) => new(input, DomainNameInputKind.Valid, domain, null);

    internal static DomainNameInputResult Wildcard(string? input, string text) => new(input, DomainNameInputKind.Wildcard, text, null);

    internal static DomainNameInputResult Invalid(string? input, string error) => new(input, DomainNameInputKind.Invalid, null, error);
}

/// <summary>What an input to a domain parameter turned out to be.</summary>
public enum DomainNameInputKind
{
    /// <summary>A domain name, normalised.</summary>
    Valid,

    /// <summary>A wildcard such as <c>*</c> or <c>*.contoso.com</c>: skipped with a warning.</summary>
    Wildcard,

    /// <summary>Not a domain name or e-mail address.</summary>
    Invalid,
}
