using System.Management.Automation;
using System.Text.RegularExpressions;
using DaneTools.Core;
using DaneTools.Core.Smtp;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// Validates <c>-HeloName</c>: a host name or an address literal (RFC 5321 section 4.1.3), nothing else may reach the EHLO
/// line. Refuses in words rather than with the pattern (issue 15), and says what the default EHLO name would be.
/// </summary>
public sealed class ValidateHeloNameAttribute : ValidateArgumentsAttribute
{
    private static readonly Regex s_pattern = new Regex(
        @"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$",
        RegexOptions.CultureInvariant);

    /// <summary>Throws when the argument is not a host name or address literal.</summary>
    /// <param name="arguments">The argument.</param>
    /// <param name="engineIntrinsics">Unused.</param>
    /// <exception cref="ValidationMetadataException">The argument is empty, or holds spaces, line breaks or other characters.</exception>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var text = arguments as string ?? arguments?.ToString() ?? string.Empty;
        if (s_pattern.IsMatch(text) && text.Length <= 255) return;
        throw new ValidationMetadataException(
            $"'{DomainNameDiagnosis.Shorten(text)}' is not an EHLO name: give this machine's fully qualified host name (e.g. mail.contoso.com) " +
            "or an address literal such as [192.0.2.25]; spaces, line breaks, underscores and other characters cannot be sent in EHLO " +
            "(RFC 5321 section 4.1.3).");
    }

    /// <summary>Returns a warning when the default EHLO name (this machine's name) is a single label, which receiving servers may
    /// refuse or distrust; null when it is fully qualified.</summary>
    /// <returns>The warning text, or null.</returns>
    public static string? UnqualifiedDefaultWarning()
    {
        var name = new SmtpProbeOptions().HeloName;
        return name.IndexOf('.') >= 0 || name.StartsWith("[", System.StringComparison.Ordinal)
            ? null
            : $"The EHLO name defaults to this machine's name '{name}', which is not fully qualified: some servers refuse or distrust it. " +
              "Give -HeloName with this machine's fully qualified name (e.g. -HeloName mail.contoso.com).";
    }
}
