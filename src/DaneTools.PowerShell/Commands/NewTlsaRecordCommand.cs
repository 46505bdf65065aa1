using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dane;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>Makes the TLSA records to publish for a certificate (RFC 6698, RFC 7671; default <c>3 1 1</c>).</summary>
[Cmdlet(VerbsCommon.New, "TlsaRecord", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TlsaRecordDefinition))]
public sealed class NewTlsaRecordCommand : AsyncCmdletBase
{
    private const string DaneEe = "DANE-EE";
    private const string DaneTa = "DANE-TA";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Gets or sets the PEM or DER certificate files (wildcards allowed). A PEM chain file is read leaf first.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string[] CertificatePath { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets the certificate files, taken as written (no wildcards: <c>cert[1].pem</c> is that file). Bound by
    /// property name from Get-ChildItem output (PSPath).
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the host name (TLSA base domain). Default: the certificate's first DNS name.</summary>
    [Parameter]
    [Alias("NameExchange")]
    public string? HostName { get; set; }

    /// <summary>Gets or sets the TCP port. Default is 25.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Gets or sets the certificate usage: DANE-EE (default) or DANE-TA, or their numbers 3 and 2 (RFC 7218).</summary>
    [Parameter]
    [ValidateSet(DaneEe, DaneTa, "3", "2")]
    public string Usage { get; set; } = DaneEe;

    /// <summary>Gets or sets the selector: SPKI (default) or Cert, or their numbers 1 and 0.</summary>
    [Parameter]
    [ValidateSet("SPKI", "Cert", "1", "0")]
    public string Selector { get; set; } = "SPKI";

    /// <summary>Gets or sets the matching type: SHA2-256 (default), SHA2-512 or Full, or their numbers 1, 2 and 0.</summary>
    [Parameter]
    [ValidateSet("SHA2-256", "SHA2-512", "Full", "1", "2", "0")]
    public string MatchingType { get; set; } = "SHA2-256";

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        string hostName = string.Empty;
        if (!string.IsNullOrEmpty(HostName) && !HostNameInput.TryNormalize(HostName, out hostName, out var why))
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(new ArgumentException($"-HostName {DomainNameDiagnosis.Quote(HostName)} is not a host name: {why}."),
                ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, HostName, "Give the MX host name, e.g. mail.contoso.com (IDN names are converted to A-labels)."));
        }
        // The mnemonics of RFC 7218 or the numbers of RFC 6698 ("3 1 1" as DNS hosts show TLSA records).
        var usage = string.Equals(Usage, DaneTa, StringComparison.OrdinalIgnoreCase) || Usage == "2" ? TlsaUsage.DaneTa : TlsaUsage.DaneEe;
        var selector = string.Equals(Selector, "Cert", StringComparison.OrdinalIgnoreCase) || Selector == "0"
            ? TlsaSelector.Certificate : TlsaSelector.SubjectPublicKeyInfo;
        var matching = MatchingType.ToUpperInvariant() switch
        {
            "SHA2-512" or "2" => TlsaMatchingType.Sha512,
            "FULL" or "0" => TlsaMatchingType.Full,
            _ => TlsaMatchingType.Sha256,
        };
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (var input in literal ? LiteralPath : CertificatePath)
        {
            foreach (var path in ResolvePaths(input, literal))
            {
                if (Directory.Exists(path))
                {
                    // Reading a folder fails with "access denied", which would send the user to its permissions (issue 15).
                    WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"'{path}' is a folder, not a certificate file."),
                        ErrorIds.InvalidCertificateFile, ErrorCategory.InvalidArgument, path,
                        "Give the certificate file inside it (e.g. a .pem or .crt file), or a wildcard such as <folder>/*.pem."));
                    continue;
                }
                try
                {
                    foreach (var definition in TlsaRecordDefinition.FromCertificateFile(path, hostName, Port, usage, selector, matching))
                    {
                        WriteVerboseSafe($"{definition.HostName}: TLSA: {definition.Presentation} from {definition.CertificateSubject}");
                        WriteObjectSafe(definition);
                    }
                }
                catch (FileNotFoundException ex)
                {
                    WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.CertificateFileNotFound, ErrorCategory.ObjectNotFound, path));
                }
                catch (ArgumentException ex)
                {
                    WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.InvalidCertificateFile, ErrorCategory.InvalidArgument, path,
                        "Give the host name with -HostName."));
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && ex is not FileNotFoundException) ||
                    (ex is InvalidDataException && ex.InnerException is UnauthorizedAccessException or IOException))
                {
                    // A file that exists but cannot be read (permissions, a lock): its permissions are the next step, not its format.
                    var cause = ex is InvalidDataException ? ex.InnerException! : ex;
                    WriteErrorSafe(ErrorRecordFactory.Create(new IOException($"'{path}' cannot be read: {cause.Message}", cause),
                        ErrorIds.InvalidCertificateFile, ErrorCategory.ReadError, path,
                        "Check that you may read the file (its permissions, or run as a user who may), then try again."));
                }
                catch (InvalidDataException ex)
                {
                    WriteErrorSafe(ErrorRecordFactory.Create(ex, ErrorIds.InvalidCertificateFile, ErrorCategory.InvalidData, path,
                        "Give a PEM file (-----BEGIN CERTIFICATE-----) or a DER-encoded X.509 certificate."));
                }
            }
        }
        return Task.CompletedTask;
    }

    private IEnumerable<string> ResolvePaths(string input, bool literal)
    {
        Collection<string>? resolved = null;
        try
        {
            if (literal)
            {
                string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
                if (!File.Exists(path) && !Directory.Exists(path)) throw new ItemNotFoundException(input);
                resolved = new Collection<string> { path };
            }
            else
            {
                resolved = GetResolvedProviderPathFromPSPath(input, out _);
            }
        }
        catch (ItemNotFoundException ex)
        {
            WriteErrorSafe(ErrorRecordFactory.Create(new FileNotFoundException($"Certificate file '{input}' was not found.", input, ex),
                ErrorIds.CertificateFileNotFound, ErrorCategory.ObjectNotFound, input));
        }
        return resolved is null ? Array.Empty<string>() : (IEnumerable<string>)resolved;
    }
}
