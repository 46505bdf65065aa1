using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>Validates the DNSSEC chain of a name from the trust anchor down and says which link broke and why.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DnssecChain")]
[OutputType(typeof(DnssecChainResult))]
public sealed class TestDnssecChainCommand : ResolvingCmdletBase
{
    private readonly List<(string Input, DnsName Name)> _names = new();
    private DnsRecordType _type;

    // Names are validated a few at a time; the validation cache makes shared zones cost one validation.
    private const int Concurrency = 8;

    /// <summary>
    /// Gets or sets the names to validate. Bound by property name in the alias order (PowerShell tries a parameter's own name
    /// first, so the real name is one no Exchange object carries): HostName (Get-TlsaRecord), DomainName
    /// (Get-AcceptedDomain, Get-RemoteDomain, Test-DaneDomain), RecipientDomains (Get-OutboundConnector), then a recipient's
    /// address where its mail goes (ExternalEmailAddress, PrimarySmtpAddress, RecipientAddress: refused as an address, naming
    /// the domain to give), and Name last (Resolve-DnsName, Test-DnssecChain results), so a display name is never validated
    /// as a DNS name when the object carries the real one.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("HostName", "DomainName", "RecipientDomains", "ExternalEmailAddress", "PrimarySmtpAddress", "RecipientAddress", "Name")]
    [AllowEmptyString]
    public string[] QueryName { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the record type to validate, e.g. A, MX, TLSA, DS or TYPE65000. Default is A.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecordTypeCompleter))]
    public string Type { get; set; } = "A";

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync()
    {
        if (!DnsRecordTypeText.TryParse(Type, out _type) || _type is DnsRecordType.RRSIG or DnsRecordType.OPT or DnsRecordType.ANY)
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(new ArgumentException($"'{Type}' is not a DNS record type.", nameof(Type)),
                ErrorIds.InvalidRecordType, ErrorCategory.InvalidArgument, Type, "Give a type such as A, AAAA, MX, TLSA, DS or TYPEnnn (RRSIG, OPT and ANY are validated with the RRsets they belong to)."));
        }
        await base.BeginProcessingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        foreach (var input in QueryName ?? new string[] { null! })
        {
            // The root is a name to validate (its DNSKEY, SOA, NS), though no host name.
            if (input is not null && input.Trim() == ".")
            {
                _names.Add((input, DnsName.Root));
                continue;
            }
            if (!HostNameInput.TryNormalize(input, out var host, out var why) || !DnsName.TryParse(host, out var name) || name is null)
            {
                WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"{DomainNameDiagnosis.Quote(input)} is not a domain name: {why}."),
                    ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input, "Give a name such as mail.contoso.com."));
                continue;
            }
            _names.Add((input!, name));
            WriteVerboseSafe($"Input '{input}': {name} {DnsRecordTypeText.ToText(_type)}");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task EndProcessingAsync()
    {
        if (_names.Count == 0) return;
        await PrepareResolutionPathAsync(StopToken).ConfigureAwait(false);
        await RunBulkAsync(_names, Concurrency, "Validating DNSSEC", n => n.Input, async (n, validator, token) =>
        {
            WriteVerboseSafe($"{n.Name}: Resolve: validating {DnsRecordTypeText.ToText(_type)} from the trust anchor down via {ServerText}");
            var result = await validator.ValidateAsync(n.Name, _type, token).ConfigureAwait(false);
            foreach (var link in result.Links)
                WriteVerboseSafe($"{n.Name}: DNSKEY: {link}");
            WriteVerboseSafe($"{n.Name}: RRSIG: {result}");
            WriteResultSafe(result);
        }).ConfigureAwait(false);
    }
}
