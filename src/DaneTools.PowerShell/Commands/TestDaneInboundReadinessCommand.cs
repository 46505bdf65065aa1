using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dane;
using DaneTools.Core.Inbound;
using DaneTools.Core.Sts;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>
/// Says where each of the admin's own accepted domains stands in the move to Exchange Online inbound SMTP DANE: a stage
/// (DESIGN section 6b) and every check with its status, reason and next step, plus the sender's view (Test-DaneDomain's verdict).
/// Network only: no Exchange Online session is needed.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DaneInboundReadiness")]
[OutputType(typeof(InboundReadinessResult))]
public sealed class TestDaneInboundReadinessCommand : ResolvingCmdletBase
{
    private readonly List<(string Input, string Domain, string? Expected)> _domains = new();
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private MtaStsFetchOptions? _stsOptions;

    /// <summary>Gets or sets the accepted domains. Bound by value and by property name from Get-AcceptedDomain (DomainName);
    /// *.onmicrosoft.com domains and wildcards are skipped with a warning.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain")]
    [AllowEmptyString]
    [AllowNull]
    public string[] DomainName { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the MX value Exchange Online gave for the domain: Get-DnssecStatusForVerifiedDomain's ExpectedMxRecord
    /// (<c>@ 60 IN MX 10 contoso-com.e-v1.mx.microsoft</c>, or an object whose Record property holds it) or
    /// Enable-DnssecForVerifiedDomain's DnssecMxValue (the host alone). Bound by property name; applies to the domains of the
    /// same pipeline object.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DnssecMxValue")]
    [AllowNull]
    public object? ExpectedMxRecord { get; set; }

    /// <summary>Gets or sets the suffix of Exchange Online's DNSSEC-signed MX hosts. Default <c>mx.microsoft</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string NewMxSuffix { get; set; } = InboundReadinessOptions.DefaultNewMxSuffix;

    /// <summary>Gets or sets the suffix of Exchange Online's legacy MX hosts. Default <c>mail.protection.outlook.com</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string LegacyMxSuffix { get; set; } = InboundReadinessOptions.DefaultLegacyMxSuffix;

    /// <summary>Gets or sets how many domains are checked at once, 1-256. Default is 64 (<see cref="ResolvingCmdletBase.DefaultThrottleLimit"/>).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>Gets or sets whether to stop after DNS: no STARTTLS probe is made (the stage then stops at DaneEnabled).</summary>
    [Parameter]
    public SwitchParameter DnsOnly { get; set; }

    /// <summary>Gets or sets whether to skip the MTA-STS check (no TXT lookup, no HTTPS fetch).</summary>
    [Parameter]
    public SwitchParameter SkipMtaSts { get; set; }

    /// <summary>Gets or sets PEM or DER files of root certificates trusted for the MTA-STS policy host besides the system store.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TrustedRootCertificate { get; set; }

    /// <summary>Gets or sets the time allowed for each MTA-STS policy fetch, in seconds, 1-600. Default 60.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int HttpsTimeoutSeconds { get; set; } = 60;

    /// <summary>Gets or sets the EHLO name. Default: this machine's fully qualified name.</summary>
    [Parameter]
    [ValidateHeloName]
    [ValidateNotNullOrEmpty]
    public string? HeloName { get; set; }

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync()
    {
        if (!SkipMtaSts)
        {
            _stsOptions = MtaStsInput.Options(this, TrustedRootCertificate, HttpsTimeoutSeconds, 65536, ValidationTime?.ToUniversalTime(), out var error);
            if (error is not null) throw new TerminatingErrorException(error);
        }
        await base.BeginProcessingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        var expectedText = ExpectedText(ExpectedMxRecord);
        if (!InboundExpectedMx.TryParse(expectedText, out var expected))
        {
            WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"'{expectedText}' is not an MX value: it does not end in a host name."),
                ErrorIds.InvalidExpectedMx, ErrorCategory.InvalidArgument, expectedText,
                "Give the host Enable-DnssecForVerifiedDomain returned, e.g. contoso-com.e-v1.mx.microsoft."));
            return Task.CompletedTask;
        }
        foreach (var input in DomainName ?? new string[] { null! })
        {
            var normal = DomainNameInput.Normalize(input);
            switch (normal.Kind)
            {
                case DomainNameInputKind.Wildcard:
                    WriteWarningSafe($"Skipping '{input}': a wildcard names no domain that receives mail.");
                    break;
                case DomainNameInputKind.Invalid:
                    WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"'{input}' is not a domain name: {normal.Error}."),
                        ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input, "Give a domain such as contoso.com."));
                    break;
                default:
                    var domain = normal.DomainName!;
                    if (domain.EndsWith(".onmicrosoft.com", StringComparison.OrdinalIgnoreCase))
                    {
                        WriteWarningSafe($"Skipping '{input}': inbound SMTP DANE is not available for *.onmicrosoft.com domains (Microsoft runs them).");
                        break;
                    }
                    if (_seen.Add(domain))
                    {
                        _domains.Add((input!, domain, expected));
                        WriteVerboseSafe($"Input '{input}': domain {domain}" + (expected is null ? string.Empty : $", expected MX {expected}"));
                    }
                    break;
            }
        }
        return Task.CompletedTask;
    }

    // Get-DnssecStatusForVerifiedDomain's ExpectedMxRecord is an object whose Record property holds the line.
    private static string? ExpectedText(object? value)
    {
        if (value is null) return null;
        var o = PSObject.AsPSObject(value);
        if (o.BaseObject is string s) return s;
        var record = o.Properties["Record"]?.Value;
        return record?.ToString() ?? o.BaseObject.ToString();
    }

    /// <inheritdoc/>
    protected override async Task EndProcessingAsync()
    {
        if (_domains.Count == 0) return;
        await PrepareResolutionPathAsync(StopToken).ConfigureAwait(false);
        var dane = new DaneCheckOptions
        {
            HeloName = HeloName,
            DnsOnly = DnsOnly.IsPresent,
            ValidationTime = ValidatorOptions.ValidationTime,
            TimeoutSeconds = Math.Max(TimeoutSeconds * 2, 10),
        };
        await RunBulkAsync(_domains, ThrottleLimit, "Checking inbound DANE readiness", d => d.Domain, async (d, validator, token) =>
        {
            var options = new InboundReadinessOptions
            {
                ExpectedMxHost = d.Expected,
                NewMxSuffix = NewMxSuffix,
                LegacyMxSuffix = LegacyMxSuffix,
                Dane = dane,
                MtaSts = _stsOptions,
            };
            var checker = new InboundReadinessChecker(new ChainValidatorResolver(validator), trace: TraceEnabled ? WriteVerboseSafe : null);
            var result = await checker.CheckAsync(d.Domain, options, token).ConfigureAwait(false);
            foreach (var c in result.Checks) WriteVerboseSafe($"{d.Domain}: {c.Kind}: {c.Status}: {c.Reason}");
            WriteResultSafe(result);
        }).ConfigureAwait(false);
    }
}
