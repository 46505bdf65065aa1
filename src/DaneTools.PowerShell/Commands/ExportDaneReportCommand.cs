using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using DaneTools.Core.Reporting.Owner;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>Writes a report the recipient domain's administrators can act on, from Test-DaneDomain and Test-DnssecChain results.</summary>
[Cmdlet(VerbsData.Export, "DaneReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDaneReportCommand : PSCmdlet
{
    private const string Html = "Html";
    private const string Text = "Text";
    private readonly OwnerReportBuilder _builder = new();
    private StreamPreferences? _streams;

    /// <summary>Gets or sets a Test-DaneDomain or Test-DnssecChain result, live or from Import-Clixml (bound from the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Gets or sets the file to write; with -PerDomain, the folder that receives one file per domain.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets whether to write one file per recipient domain (named from the domain) instead of one file.</summary>
    [Parameter]
    public SwitchParameter PerDomain { get; set; }

    /// <summary>Gets or sets the format: Html (default: one self-contained page with the chain picture) or Text (a plain letter).</summary>
    [Parameter]
    [ValidateSet(Html, Text)]
    public string Format { get; set; } = Html;

    /// <summary>Gets or sets whether to overwrite read-only files and create a missing folder.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Gets or sets whether to refuse to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Gets or sets whether to return the files written (FileInfo).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    /// <remarks>Reads -Debug first (StreamPreferences): under it PowerShell 7.4 would make ShouldProcess and the verbose line ask.</remarks>
    protected override void BeginProcessing() => _streams = StreamPreferences.Of(this);

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        if (!_builder.TryAdd(new PSObjectResultView(InputObject), out var why))
        {
            WriteError(ErrorRecordFactory.Create(new ArgumentException($"The input cannot go into the report: {why}."),
                ErrorIds.InvalidReportInput, ErrorCategory.InvalidArgument, InputObject,
                "Pipe Test-DaneDomain or Test-DnssecChain results (or their Import-Clixml copies) to Export-DaneReport."));
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_builder.Count == 0) return;
        var settings = new OwnerReportSettings { ToolVersion = ToolVersion() };
        var reports = _builder.Build(PerDomain.IsPresent, settings);
        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        bool text = string.Equals(Format, Text, StringComparison.OrdinalIgnoreCase);
        if (!PerDomain.IsPresent)
        {
            if (Directory.Exists(target))
            {
                WriteError(ErrorRecordFactory.Create(new IOException($"'{target}' is a folder; give a file name, or use -PerDomain to write one file per domain into it."),
                    ErrorIds.ReportNotWritten, ErrorCategory.InvalidArgument, target));
                return;
            }
            Write(reports[0], target, text);
            return;
        }
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var report in reports)
        {
            var stem = report.FileStem;
            for (int n = 2; !used.Add(stem); n++) stem = report.FileStem + "-" + n;
            Write(report, System.IO.Path.Combine(target, stem + (text ? ".txt" : ".html")), text);
        }
    }

    private void Write(OwnerReport report, string file, bool text)
    {
        var what = $"Write the DANE report for {string.Join(", ", report.DomainNames)}";
        if (!ShouldProcess(file, what)) return;
        try
        {
            if (File.Exists(file))
            {
                if (NoClobber.IsPresent)
                {
                    WriteError(ErrorRecordFactory.Create(new IOException($"The file '{file}' exists and -NoClobber was given."),
                        ErrorIds.ReportFileExists, ErrorCategory.ResourceExists, file, "Remove -NoClobber to overwrite it, or give another -Path."));
                    return;
                }
                var info = new FileInfo(file);
                if (info.IsReadOnly && Force.IsPresent) info.IsReadOnly = false;
            }
            var folder = System.IO.Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                if (!Force.IsPresent && !PerDomain.IsPresent)
                    throw new DirectoryNotFoundException($"The folder '{folder}' does not exist (-Force creates it).");
                Directory.CreateDirectory(folder);
            }
            File.WriteAllText(file, text ? report.ToText() : report.ToHtml(), new UTF8Encoding(false));
            // Not WriteVerbose: under -Debug alone that would prompt (StreamPreferences).
            (_streams ??= StreamPreferences.Of(this)).WriteTrace($"{string.Join(", ", report.DomainNames)}: Report: wrote {file}");
            if (PassThru.IsPresent) WriteObject(new FileInfo(file));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
        {
            WriteError(ErrorRecordFactory.Create(new IOException($"The report '{file}' could not be written: {ex.Message}", ex),
                ErrorIds.ReportNotWritten, ErrorCategory.WriteError, file, "Check the path and its permissions; -Force overwrites read-only files and creates a missing folder."));
        }
    }

    private string ToolVersion()
    {
        var module = MyInvocation.MyCommand.Module;
        if (module is not null)
        {
            var pre = (module.PrivateData as System.Collections.Hashtable)?["PSData"] is System.Collections.Hashtable psData ? psData["Prerelease"] as string : null;
            return module.Version + (string.IsNullOrEmpty(pre) ? string.Empty : "-" + pre);
        }
        return typeof(ExportDaneReportCommand).Assembly.GetName().Version?.ToString() ?? string.Empty;
    }
}
