using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>Completes <c>-Type</c> with DNS record types (issue 15: it completed file names), the ones a DANE or DNSSEC
/// check asks for first; any other type name or TYPEnnn is still accepted.</summary>
public sealed class RecordTypeCompleter : IArgumentCompleter
{
    private static readonly string[] s_types =
    {
        "MX", "TLSA", "A", "AAAA", "DS", "DNSKEY", "NS", "SOA", "CNAME", "TXT", "CAA", "SRV", "PTR", "NSEC", "NSEC3", "NSEC3PARAM",
    };

    /// <summary>Returns the record types starting with the word typed so far (case-insensitive).</summary>
    /// <param name="commandName">The command.</param>
    /// <param name="parameterName">The parameter.</param>
    /// <param name="wordToComplete">What has been typed.</param>
    /// <param name="commandAst">The command's syntax tree.</param>
    /// <param name="fakeBoundParameters">The parameters bound so far.</param>
    /// <returns>One completion per matching type.</returns>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        s_types.Where(t => t.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(t => new CompletionResult(t, t, CompletionResultType.ParameterValue, t + " record type"));
}
