using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.TlsRpt;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>Reads TLS-RPT reports (RFC 8460) from .json, .json.gz, mail (.eml) files, Maildirs, JSON text or bytes.</summary>
[Cmdlet(VerbsData.ConvertFrom, "TlsRptReport", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TlsRptPolicyReport))]
public sealed class ConvertFromTlsRptReportCommand : AsyncCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";
    private const int ActivityId = 8460;
    private const string Activity = "Reading TLS-RPT reports";
    private const string InputObjectName = "InputObject";

    private readonly TlsRptReadOptions _options = new();
    private readonly List<string> _pipedText = new();
    private int _filesRead;

    /// <summary>Gets or sets the report files or folders (wildcards allowed): .json, .json.gz/.gz, mail messages (.eml), a
    /// Maildir (its cur and new messages) or a folder (its files, not recursive).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the report files or folders, taken as written (no wildcards). Bound by property name (PSPath).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets a report given directly: JSON text (strings piped line by line are joined, as ConvertFrom-Json
    /// does), bytes (gzip, JSON or a whole mail message), or the FileInfo/DirectoryInfo objects Get-ChildItem emits.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [AllowEmptyString]
    public object? InputObject { get; set; }

    /// <summary>Gets or sets whether a mailed report must carry a valid DKIM signature of the reporting domain, without
    /// <c>l=</c> (RFC 8460 section 3); mails without one give a TlsRptDkimInvalid error and no output.</summary>
    [Parameter]
    public SwitchParameter VerifyDkim { get; set; }

    /// <summary>Gets or sets the resolvers that -VerifyDkim asks for DKIM keys, as <c>address</c> or <c>address:port</c>.
    /// Default: the system's resolvers. Alias NameServer.</summary>
    [Parameter]
    [Alias("NameServer")]
    [ValidateNotNullOrEmpty]
    public string[]? Server { get; set; }

    /// <summary>Gets or sets the time to wait for one DNS answer, in seconds, 1-300. Default is 5.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <inheritdoc/>
    protected override Task BeginProcessingAsync()
    {
        if (!VerifyDkim) return Task.CompletedTask;
        string target = string.Join(", ", Server ?? Array.Empty<string>());
        try
        {
            var servers = (Server ?? Array.Empty<string>()).Select(DnsServerEndpoint.Parse).ToList();
            var source = new DnsClientRecordSource(new DnsTransportOptions { Servers = servers, TimeoutSeconds = TimeoutSeconds });
            _options.DkimVerifier = new TlsRptDkimVerifier(source, StopToken);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(new ArgumentException(ex.Message, nameof(Server), ex), ErrorIds.InvalidServer,
                ErrorCategory.InvalidArgument, target, "Give the resolver's IP address, optionally with :port."));
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                foreach (var input in Path) ReadPaths(ResolvePaths(input, literal: false), input);
                break;
            case LiteralPathSet:
                foreach (var input in LiteralPath) ReadPaths(ResolvePaths(input, literal: true), input);
                break;
            default:
                ReadInputObject(InputObject);
                break;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override Task EndProcessingAsync()
    {
        if (_pipedText.Count == 1 || (_pipedText.Count > 1 && !_pipedText.All(t => t.TrimStart().StartsWith("{", StringComparison.Ordinal))))
        {
            // Lines of one document (Get-Content without -Raw).
            var joined = string.Join("\n", _pipedText);
            Read(InputObjectName, () => TlsRptReportReader.ReadText(joined, _options));
        }
        else
        {
            // Whole documents, one per pipeline item.
            foreach (var text in _pipedText) Read(InputObjectName, () => TlsRptReportReader.ReadText(text, _options));
        }
        if (_filesRead > 1) WriteProgressSafe(new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        return Task.CompletedTask;
    }

    private void ReadInputObject(object? value)
    {
        var input = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (input)
        {
            case null:
                return;
            case string text:
                _pipedText.Add(text);
                return;
            case byte[] bytes:
                Read(InputObjectName, () => TlsRptReportReader.ReadBytes(bytes, _options));
                return;
            case FileSystemInfo item:
                // Get-ChildItem output binds here first (an object parameter takes anything by value), as with Select-String.
                ReadPaths(new[] { item.FullName }, item.FullName);
                return;
            case object[] items when items.All(i => (i is PSObject p ? p.BaseObject : i) is string):
                _pipedText.Add(string.Join("\n", items.Select(i => (i is PSObject p ? p.BaseObject : i)!.ToString())));
                return;
        }
        if (value is PSObject psObject && psObject.Properties["PSPath"]?.Value is string psPath)
        {
            ReadPaths(ResolvePaths(psPath, literal: true), psPath);
            return;
        }
        WriteErrorSafe(ErrorRecordFactory.Create(
            new ArgumentException($"-InputObject of type {input.GetType().FullName} is not a TLS-RPT report: give JSON text, bytes, or files."),
            ErrorIds.TlsRptInvalidInput, ErrorCategory.InvalidType, input, "Pipe Get-ChildItem output, JSON text, or [IO.File]::ReadAllBytes(...)."));
    }

    private void ReadPaths(IEnumerable<string> paths, string input)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                IReadOnlyList<string> files;
                try
                {
                    files = TlsRptReportReader.EnumerateFolder(path, _options);
                }
                catch (Exception ex) when (ex is TlsRptFormatException or IOException or UnauthorizedAccessException)
                {
                    WriteError(ex, path);
                    continue;
                }
                WriteVerboseSafe($"{path}: Read: {files.Count} files");
                for (int i = 0; i < files.Count; i++)
                {
                    if (files.Count > 1)
                    {
                        WriteProgressSafe(new ProgressRecord(ActivityId, Activity, files[i]) { PercentComplete = i * 100 / files.Count });
                    }
                    ReadFile(files[i]);
                }
            }
            else
            {
                ReadFile(path);
            }
        }
    }

    private void ReadFile(string path)
    {
        _filesRead++;
        Read(path, () => TlsRptReportReader.ReadFile(path, _options));
    }

    private void Read(object target, Func<IReadOnlyList<TlsRptPolicyReport>> read)
    {
        IReadOnlyList<TlsRptPolicyReport> reports;
        try
        {
            reports = read();
        }
        catch (Exception ex) when (ex is TlsRptFormatException or IOException or UnauthorizedAccessException)
        {
            WriteError(ex, target);
            return;
        }
        foreach (var warning in reports.SelectMany(r => r.Warnings).Distinct(StringComparer.Ordinal))
        {
            WriteWarningSafe($"{reports[0].Source}: {warning}");
        }
        if (VerifyDkim && reports.Count > 0 && reports[0].Source.Kind != "mail")
        {
            WriteWarningSafe($"{reports[0].Source}: not a mail, so its DKIM signature cannot be checked (RFC 8460 section 3).");
        }
        foreach (var report in reports)
        {
            WriteVerboseSafe($"{report.Source}: Read: {report.Organization} report {report.ReportId}, {report.PolicyType} policy for {report.PolicyDomain}: " +
                $"{report.SuccessfulSessions} successful, {report.FailedSessions} failed sessions");
            WriteObjectSafe(report);
        }
    }

    private void WriteError(Exception ex, object target)
    {
        var (id, category, action) = ex switch
        {
            TlsRptFormatException f => f.Kind switch
            {
                TlsRptErrorKind.InvalidJson => (ErrorIds.TlsRptInvalidJson, ErrorCategory.InvalidData, "Check that the file is an RFC 8460 JSON report."),
                TlsRptErrorKind.SchemaViolation => (ErrorIds.TlsRptSchemaViolation, ErrorCategory.InvalidData, "Ask the report's sender (contact-info) to fix the report."),
                TlsRptErrorKind.SizeLimitExceeded => (ErrorIds.TlsRptSizeLimitExceeded, ErrorCategory.LimitsExceeded, "Real reports are far smaller: treat the file as hostile."),
                TlsRptErrorKind.InvalidGzip => (ErrorIds.TlsRptInvalidGzip, ErrorCategory.InvalidData, "The file is truncated or not gzip."),
                TlsRptErrorKind.DkimInvalid => (ErrorIds.TlsRptDkimInvalid, ErrorCategory.SecurityError, "Ignore the report, or ask its sender to sign it with DKIM (RFC 8460 section 3)."),
                TlsRptErrorKind.NoReportInMessage => (ErrorIds.TlsRptNotInMessage, ErrorCategory.ObjectNotFound, "The mail carries no application/tlsrpt+gzip or +json part."),
                _ => (ErrorIds.TlsRptInvalidMessage, ErrorCategory.InvalidData, "Give a .json, .json.gz or .eml file."),
            },
            FileNotFoundException => (ErrorIds.TlsRptFileNotFound, ErrorCategory.ObjectNotFound, (string?)null),
            DirectoryNotFoundException => (ErrorIds.TlsRptFileNotFound, ErrorCategory.ObjectNotFound, (string?)null),
            _ => (ErrorIds.TlsRptFileUnreadable, ErrorCategory.ReadError, "Check the file's permissions."),
        };
        WriteErrorSafe(ErrorRecordFactory.Create(ex, id, category, target, action));
    }

    private IEnumerable<string> ResolvePaths(string input, bool literal)
    {
        try
        {
            if (!literal) return GetResolvedProviderPathFromPSPath(input, out _);
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
            if (File.Exists(path) || Directory.Exists(path)) return new[] { path };
        }
        catch (ItemNotFoundException)
        {
        }
        WriteError(new FileNotFoundException($"TLS-RPT report file '{input}' was not found.", input), input);
        return Array.Empty<string>();
    }
}
