using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core.TlsRpt;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>Builds RFC 8460 TLS-RPT reports for one UTC day from Test-DaneDomain and Send-DaneMail results.</summary>
[Cmdlet(VerbsCommon.New, "TlsRptReport", SupportsShouldProcess = true)]
[OutputType(typeof(TlsRptReportDraft))]
public sealed class NewTlsRptReportCommand : AsyncCmdletBase
{
    private readonly List<PSObject> _results = new();

    /// <summary>Gets or sets the results: Test-DaneDomain or Send-DaneMail output, live or from Import-Clixml.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Gets or sets our organisation's name (<c>organization-name</c>).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OrganizationName { get; set; } = string.Empty;

    /// <summary>Gets or sets how to reach us about the report (<c>contact-info</c>), e.g. an e-mail address.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ContactInfo { get; set; } = string.Empty;

    /// <summary>Gets or sets our domain, the file name's first field. Default: the domain of -ContactInfo.</summary>
    [Parameter]
    public string? SenderDomain { get; set; }

    /// <summary>Gets or sets the UTC day reported. Default: the day of the first result; results of other days are skipped.</summary>
    [Parameter]
    public DateTime? Date { get; set; }

    /// <summary>Gets or sets the folder to write each report into under its RFC 8460 file name. Default: nothing is written.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Gets or sets whether the file name ends in .json.gz and the file written is gzip-compressed (RFC 8460 section 5.3).</summary>
    [Parameter]
    public SwitchParameter Compress { get; set; }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        foreach (var result in InputObject)
        {
            if (TlsRptSessionAdapter.Is(result, TlsRptSessionAdapter.DomainResultType) || TlsRptSessionAdapter.Is(result, TlsRptSessionAdapter.DeliveryResultType))
            {
                _results.Add(result);
                continue;
            }
            WriteErrorSafe(ErrorRecordFactory.Create(
                new ArgumentException($"An input of type {result.TypeNames[0]} is not a Test-DaneDomain or Send-DaneMail result."),
                ErrorIds.TlsRptInvalidInput, ErrorCategory.InvalidType, result, "Pipe Test-DaneDomain or Send-DaneMail -PassThru output, or its Import-Clixml copy."));
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override Task EndProcessingAsync()
    {
        if (_results.Count == 0) return Task.CompletedTask;
        var day = (Date ?? TlsRptSessionAdapter.TimeUtc(_results[0]) ?? DateTime.UtcNow).Date;
        var start = DateTime.SpecifyKind(day, DateTimeKind.Utc);
        var end = start.AddDays(1).AddSeconds(-1);
        var sessions = new List<TlsRptSession>();
        foreach (var result in _results)
        {
            var time = TlsRptSessionAdapter.TimeUtc(result);
            if (time is not null && (time < start || time > end))
            {
                WriteWarningSafe($"{result}: skipped: made on {time:yyyy-MM-dd}, not on the reported day {start:yyyy-MM-dd} (UTC).");
                continue;
            }
            if (TlsRptSessionAdapter.Is(result, TlsRptSessionAdapter.DomainResultType))
            {
                sessions.AddRange(TlsRptSessionAdapter.FromDomainResult(result));
            }
            else if (TlsRptSessionAdapter.FromDeliveryResult(result) is { } session)
            {
                sessions.Add(session);
            }
        }
        WriteVerboseSafe($"{start:yyyy-MM-dd}: Report: {sessions.Count} sessions from {_results.Count} results");
        string sender = SenderDomain ?? DomainOf(ContactInfo);
        IReadOnlyList<TlsRptReportDraft> drafts;
        try
        {
            drafts = TlsRptReportWriter.Build(sessions, OrganizationName, ContactInfo, sender, start, end, Compress.IsPresent);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(ex, ErrorIds.TlsRptInvalidInput, ErrorCategory.InvalidArgument, sender,
                "Give -SenderDomain (your mail domain) when -ContactInfo is not an e-mail address."));
            return Task.CompletedTask;
        }
        string? folder = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        foreach (var draft in drafts)
        {
            if (folder is not null)
            {
                var target = System.IO.Path.Combine(folder, draft.FileName);
                if (!ShouldProcess(target, "Write TLS-RPT report")) continue;
                try
                {
                    TlsRptReportWriter.Write(draft, folder);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.TlsRptFileNotWritable, ErrorCategory.WriteError, target,
                        "Give an existing folder you can write to."));
                    continue;
                }
            }
            WriteObjectSafe(draft);
        }
        return Task.CompletedTask;
    }

    private static string DomainOf(string contact)
    {
        var text = contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? contact.Substring(7) : contact;
        int at = text.LastIndexOf('@');
        return at >= 0 ? text.Substring(at + 1).Trim() : string.Empty;
    }
}
