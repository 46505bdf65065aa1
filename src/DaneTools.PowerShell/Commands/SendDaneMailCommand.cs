using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Delivery;
using DaneTools.Core.Smtp;
using DaneTools.Core.Sts;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>
/// Sends one message as a DANE-enforcing MTA (RFC 7672): per recipient domain the policy of Test-DaneDomain, then SMTP to
/// the MX hosts with STARTTLS and TLSA authentication where DANE applies, never a downgrade; where DANE does not apply, the
/// recipient domain's MTA-STS policy in enforce mode (RFC 8461) as Exchange Online's connectors apply it (-MtaStsMode); every
/// message not delivered is written as .eml to -FailedMessagePath and reported as an error naming it.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DaneMail", DefaultParameterSetName = ComposeSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DaneDeliveryResult), ParameterSetName = new[] { ComposeSet, FileSet })]
public sealed class SendDaneMailCommand : ResolvingCmdletBase
{
    private const string ComposeSet = "Compose";
    private const string FileSet = "MimeMessage";

    /// <summary>Gets or sets the sender (From header and envelope sender); with -MimeMessagePath it overrides the envelope sender only.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ComposeSet)]
    [Parameter(ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string? From { get; set; }

    /// <summary>Gets or sets the To recipients; with -MimeMessagePath the envelope recipients instead of the file's headers.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComposeSet)]
    [Parameter(ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string[] To { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the Cc recipients.</summary>
    [Parameter(ParameterSetName = ComposeSet)]
    [Parameter(ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string[] Cc { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the Bcc recipients (envelope only, never in a header).</summary>
    [Parameter(ParameterSetName = ComposeSet)]
    [Parameter(ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string[] Bcc { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the subject.</summary>
    [Parameter(Position = 1, ParameterSetName = ComposeSet)]
    [AllowEmptyString]
    public string? Subject { get; set; }

    /// <summary>Gets or sets the body.</summary>
    [Parameter(Position = 2, ParameterSetName = ComposeSet)]
    [AllowEmptyString]
    public string? Body { get; set; }

    /// <summary>Gets or sets whether the body is HTML.</summary>
    [Parameter(ParameterSetName = ComposeSet)]
    public SwitchParameter BodyAsHtml { get; set; }

    /// <summary>Gets or sets files to attach (Send-MailMessage's plural name).</summary>
    [Parameter(ParameterSetName = ComposeSet)]
    [Alias("PsPath")]
    [ValidateNotNullOrEmpty]
    public string[] Attachments { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the priority: Normal, Low or High.</summary>
    [Parameter(ParameterSetName = ComposeSet)]
    public DaneMailPriority Priority { get; set; } = DaneMailPriority.Normal;

    /// <summary>Gets or sets the character set of the subject and body. Default UTF8 (without BOM).</summary>
    [Parameter(ParameterSetName = ComposeSet)]
    [ValidateSet("ASCII", "BigEndianUnicode", "Latin1", "Unicode", "UTF32", "UTF8", "UTF8BOM", "UTF8NoBOM", IgnoreCase = true)]
    public string Encoding { get; set; } = "UTF8";

    /// <summary>Gets or sets an .eml file to send; bound from Get-ChildItem output (FullName).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = FileSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? MimeMessagePath { get; set; }

    /// <summary>Gets or sets the EHLO name. Default: this machine's fully qualified name.</summary>
    [Parameter]
    // A host name or an address literal (RFC 5321 4.1.3): nothing else may reach the EHLO line.
    [ValidateHeloName]
    [ValidateNotNullOrEmpty]
    public string? HeloName { get; set; }

    /// <summary>Gets or sets the SMTP port of the MX hosts (and of the TLSA name). Default is 25.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    /// <summary>Gets or sets the folder for undelivered messages. Default: DaneTools-undelivered in the temporary directory.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FailedMessagePath { get; set; }

    /// <summary>Gets or sets the DANE mode: Enforce (default; opportunistic TLS where DANE does not apply) or Mandatory.</summary>
    [Parameter]
    public DaneMailMode DaneMode { get; set; } = DaneMailMode.Enforce;

    /// <summary>Gets or sets whether the recipient domain's MTA-STS policy is applied, as Exchange Online's outbound connectors'
    /// -MtaStsMode: Opportunistic (default; enforce what the policy says where DANE does not apply) or None (ignore MTA-STS).</summary>
    [Parameter]
    public MtaStsMailMode MtaStsMode { get; set; } = MtaStsMailMode.Opportunistic;

    /// <summary>Gets or sets PEM or DER files of root certificates trusted for MTA-STS WebPKI checks (the policy host and the MX hosts)
    /// besides the system store (e.g. a test CA). The system store is never changed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TrustedRootCertificate { get; set; }

    /// <summary>Gets or sets whether to write a DaneDeliveryResult per recipient domain.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool _heloWarned;
    private MtaStsFetchOptions? _stsOptions;

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync()
    {
        // Read the trust roots once; a bad file stops the command before anything is sent.
        _stsOptions = MtaStsInput.Options(this, TrustedRootCertificate, 60, 65536, ValidationTime?.ToUniversalTime(), out var error);
        if (error is not null) throw new TerminatingErrorException(error);
        await base.BeginProcessingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ProcessRecordAsync()
    {
        var message = new DaneMailMessage
        {
            From = From,
            Subject = Subject,
            Body = Body,
            BodyAsHtml = BodyAsHtml.IsPresent,
            Priority = Priority,
            Encoding = ParameterSetName == ComposeSet ? ResolveEncoding(Encoding) : null,
        };
        foreach (var t in To) message.To.Add(t);
        foreach (var c in Cc) message.Cc.Add(c);
        foreach (var b in Bcc) message.Bcc.Add(b);
        string target;
        if (ParameterSetName == FileSet)
        {
            message.MimeMessagePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(MimeMessagePath);
            target = message.MimeMessagePath;
        }
        else
        {
            foreach (var a in Attachments) message.Attachments.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(a));
            target = string.Join(", ", message.AllRecipients());
        }

        var options = new DaneMailOptions
        {
            SmtpPort = SmtpPort,
            HeloName = HeloName,
            // One SMTP reply may take much longer than one DNS answer (RFC 5321 4.5.3.2 allows minutes).
            TimeoutSeconds = Math.Max(TimeoutSeconds * 6, 30),
            FailedMessagePath = FailedMessagePath is null ? DaneMailOptions.DefaultFailedMessagePath : SessionState.Path.GetUnresolvedProviderPathFromPSPath(FailedMessagePath),
            Mode = DaneMode,
            ValidationTime = ValidatorOptions.ValidationTime,
            MtaStsMode = MtaStsMode,
            MtaStsFetch = _stsOptions,
        };
        // A message that fails must land in this folder: refuse to send at all when it cannot be written (not
        // under -WhatIf, which writes nothing).
        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
            ? ((SwitchParameter)w).IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        if (!whatIf && FindUnwritable(options.FailedMessagePath) is { } why)
        {
            WriteErrorSafe(ErrorRecordFactory.Create(new IOException(why), ErrorIds.FailedMessagePathNotWritable, ErrorCategory.WriteError,
                options.FailedMessagePath, "Give -FailedMessagePath a folder you can write to; nothing was sent."));
            return;
        }
        // A dead resolver defers every recipient and keeps the message (no early stop); the other path problems stop here.
        await PrepareResolutionPathAsync(StopToken, stopWhenNoAnswer: false).ConfigureAwait(false);
        // Not under -Debug: PowerShell then makes compiled cmdlets' warnings Inquire, which fails in a non-interactive host.
        if (HeloName is null && !whatIf && !_heloWarned && !MyInvocation.BoundParameters.ContainsKey("Debug") &&
            ValidateHeloNameAttribute.UnqualifiedDefaultWarning() is { } helo)
        {
            _heloWarned = true;
            WriteWarningSafe(helo);
        }
        var validator = new ChainValidator(RecordSource, ValidatorOptions, cache: Cache);
        var sender = new DaneMailSender(new ChainValidatorResolver(validator), WriteVerboseSafe, WriteDebugSafe);

        DaneMailJob job;
        try
        {
            job = await sender.PrepareAsync(message, options, StopToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.MessageFileNotFound, ErrorCategory.ObjectNotFound, ex.FileName ?? target,
                "Give the path of an existing file."));
            return;
        }
        catch (Exception ex) when (ex is ArgumentException || ex is FormatException || ex is IOException || ex is UnauthorizedAccessException)
        {
            WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.InvalidMessage, ex is FormatException ? ErrorCategory.InvalidData : ErrorCategory.InvalidArgument, target,
                "Give -From and at least one -To, -Cc or -Bcc address such as chris@contoso.com, or an .eml file with From and To headers."));
            return;
        }
        catch (DnsTransportException ex)
        {
            WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.DnsQueryFailed, ErrorCategory.ResourceUnavailable, target,
                $"Check that the resolver {ServerText} answers, or raise -TimeoutSeconds."));
            return;
        }

        foreach (var bad in job.InvalidRecipients)
        {
            WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"'{bad.Key}' is not a recipient address: {bad.Value}; nothing was sent to it."),
                ErrorIds.InvalidRecipientAddress, ErrorCategory.InvalidArgument, bad.Key, "Give an address such as chris@contoso.com."));
        }

        try
        {
            // One domain after the other, in order: ShouldProcess asks about each on the pipeline thread.
            await RunEachAsync(job.Plans, 1, "Sending with DANE", p => p.DomainName, (plan, _) => DeliverOneAsync(sender, job, plan)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var error in _undelivered) WriteErrorSafe(error);
            _undelivered.Clear();
        }
    }

    private async Task DeliverOneAsync(DaneMailSender sender, DaneMailJob job, DaneDeliveryPlan plan)
    {
        // Even when the resolver does not answer at all, the domain goes through DeliverAsync: it writes the .eml (nothing is lost).
        StopToken.ThrowIfCancellationRequested();
        foreach (var host in plan.Hosts) WriteVerboseSafe($"{plan.DomainName}: Send: MX {host}");
        // ShouldProcess must run on the pipeline thread: the async bridge runs the queued call there and waits.
        bool go = await OnPipelineThreadAsync(() => ShouldProcess($"{plan.DomainName}: {plan.Summary}", "Send-DaneMail")).ConfigureAwait(false);
        if (!go) return;
        var result = await sender.DeliverAsync(job, plan, StopToken).ConfigureAwait(false);
        // MTA-STS testing (RFC 8461 section 5): delivered, and the failure said (a sender would send a TLS-RPT report).
        if (result.Delivered && result.MtaStsPolicyMode == Core.Sts.MtaStsMode.Testing && result.TlsRptResultType.Length > 0)
            WriteWarningSafe($"{result.DomainName}: delivered, but {result.HostName} fails the MTA-STS policy (testing): {result.Attempts.Last(a => a.MtaSts is not null).MtaSts!.Reason.TrimEnd('.')} ({result.TlsRptResultType}); in enforce mode it would be refused.");
        if (!result.Delivered || result.RejectedRecipients.Count > 0)
        {
            lock (_undelivered) _undelivered.Add(ErrorFor(result));
        }
        if (PassThru) WriteResultSafe(result);
    }

    // Errors for undelivered domains are written once every domain has been tried and saved: under
    // -ErrorAction Stop the first error ends the command, and no other recipient may be left neither sent nor saved.
    private readonly List<ErrorRecord> _undelivered = new();

    private Task<bool> OnPipelineThreadAsync(Func<bool> call)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        PostToPipeline(() =>
        {
            try
            {
                done.SetResult(call());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    internal static ErrorRecord ErrorFor(DaneDeliveryResult result)
    {
        var (id, category, action) = Classify(result);
        string who = result.RejectedRecipients.Count > 0 && result.Delivered
            ? string.Join(", ", result.RejectedRecipients.Select(r => r.Substring(0, r.IndexOf(':') < 0 ? r.Length : r.IndexOf(':'))))
            : string.Join(", ", result.RecipientAddress);
        string how = result.Delivered ? "refused" : result.IsPermanent ? "not delivered (permanent)" : "not delivered (temporary)";
        string ndr = result.ExchangeOnlineNdr.Length > 0 ? $" NDR {result.ExchangeOnlineNdr}." : string.Empty;
        string tlsRpt = result.TlsRptResultType.Length > 0 ? $" TLS-RPT {result.TlsRptResultType}." : string.Empty;
        string file = result.FailedMessagePath.Length > 0 ? $" The message was written to {result.FailedMessagePath}." : string.Empty;
        var ex = new DaneDeliveryException(result, $"{result.DomainName}: {how} to {who}: {result.Reason}{ndr}{tlsRpt}{file}");
        return ErrorRecordFactory.Create(ex, id, category, result.DomainName, action + (file.Length > 0 ? $" Resend later with: Send-DaneMail -MimeMessagePath '{result.FailedMessagePath}' -To {who}" : string.Empty));
    }

    private static (string Id, ErrorCategory Category, string Action) Classify(DaneDeliveryResult r)
    {
        if (r.DeliveryReason == DaneDeliveryReason.MtaStsRefused)
        {
            var sts = r.Attempts.First(a => a.MtaStsRefused).MtaSts!;
            string fix = sts.Outcome == MtaStsHostOutcome.MxNotListed
                ? $"its administrator must list {sts.HostName} in the policy's mx lines (or change the MX records)"
                : $"its administrator must give {sts.HostName} a certificate that is WebPKI-valid for its name, over STARTTLS with TLS 1.2 or later";
            return (ErrorIds.MtaStsValidationFailed, ErrorCategory.SecurityError,
                $"The MTA-STS policy of {r.DomainName} (enforce, id {r.MtaSts?.PolicyId}) refuses {sts.HostName} ({sts.ResultType}; Exchange Online: {r.ExchangeOnlineNdr.TrimEnd('.')}). " +
                $"To deliver, {fix} (check with Test-DaneDomain or Get-MtaStsPolicy); -MtaStsMode None ignores the policy.");
        }
        if (r.DeliveryReason == DaneDeliveryReason.DaneRequired)
            return (ErrorIds.DaneRequired, ErrorCategory.SecurityError, "The domain publishes no usable DANE TLSA records; use -DaneMode Enforce to allow opportunistic TLS, or ask the domain to publish TLSA.");
        if (r.DeliveryReason is DaneDeliveryReason.Rejected or DaneDeliveryReason.PartiallyDelivered || (r.FailureKind == DaneFailureKind.None && r.ServerReply.Length > 0))
            return (ErrorIds.SmtpCommandRejected, ErrorCategory.InvalidOperation, "Read the server's reply; a 4xx reply is temporary, a 5xx reply permanent.");
        return r.FailureKind switch
        {
            DaneFailureKind.DnssecInvalid => (ErrorIds.DnssecValidationFailed, ErrorCategory.SecurityError, "The recipient domain's DNSSEC data is bogus; its administrator must fix the zone (check with Test-DaneDomain)."),
            DaneFailureKind.DnsQueryFailed => (ErrorIds.DnsQueryFailed, ErrorCategory.ResourceUnavailable, "A DNS lookup failed or timed out: check that the resolver answers, raise -TimeoutSeconds, or retry later."),
            DaneFailureKind.StartTlsNotSupported => (ErrorIds.StartTlsNotOffered, ErrorCategory.ProtocolError, "DANE requires STARTTLS; the server (or something in the path) did not offer it. Check with Test-DaneDomain."),
            DaneFailureKind.TlsHandshakeFailed => (ErrorIds.TlsHandshakeFailed, ErrorCategory.SecurityError, "The TLS handshake with the MX host failed; check with Test-DaneDomain."),
            DaneFailureKind.TlsaInvalid or DaneFailureKind.CertificateExpired or DaneFailureKind.CertificateHostMismatch =>
                (ErrorIds.DaneAuthenticationFailed, ErrorCategory.SecurityError, "The server's certificate does not match the domain's TLSA records; its administrator must fix the records or the certificate (check with Test-DaneDomain)."),
            DaneFailureKind.ConnectionFailed => (ErrorIds.SmtpConnectionFailed, ErrorCategory.ConnectionError, "No MX host could be reached on the SMTP port; retry later."),
            DaneFailureKind.NullMx => (ErrorIds.DomainAcceptsNoMail, ErrorCategory.InvalidOperation, "The domain publishes a null MX (RFC 7505): it accepts no mail. Check the recipient address."),
            DaneFailureKind.DomainDoesNotExist or DaneFailureKind.HostNotFound => (ErrorIds.DomainNotFound, ErrorCategory.ObjectNotFound, "Check the recipient address."),
            _ => (ErrorIds.SmtpConnectionFailed, ErrorCategory.ConnectionError, "Retry later."),
        };
    }

    private static Encoding ResolveEncoding(string name) => name.ToUpperInvariant() switch
    {
        "ASCII" => System.Text.Encoding.ASCII,
        "BIGENDIANUNICODE" => System.Text.Encoding.BigEndianUnicode,
        "LATIN1" => System.Text.Encoding.GetEncoding(28591),
        "UNICODE" => System.Text.Encoding.Unicode,
        "UTF32" => System.Text.Encoding.UTF32,
        "UTF8BOM" => new UTF8Encoding(true),
        _ => new UTF8Encoding(false),
    };

    /// <summary>
    /// Returns why a file cannot be written in <paramref name="folder"/>, or null when it can. A folder that does not exist
    /// yet is judged by its nearest existing ancestor, so the check itself creates no folder.
    /// </summary>
    private static string? FindUnwritable(string folder)
    {
        try
        {
            string? dir = System.IO.Path.GetFullPath(folder);
            while (dir is not null && !Directory.Exists(dir))
            {
                if (File.Exists(dir)) return $"'{dir}' is a file, not a folder.";
                dir = System.IO.Path.GetDirectoryName(dir);
            }
            if (dir is null) return $"No part of '{folder}' exists.";
            string probe = System.IO.Path.Combine(dir, ".danetools-" + Guid.NewGuid().ToString("N"));
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
        {
            return $"The folder '{folder}' cannot be written: {ex.Message}";
        }
    }
}
