using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using DaneTools.Core.Sts;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>Turns the MTA-STS parameters shared by Get-MtaStsPolicy, Test-DaneDomain and Send-DaneMail into fetch options.</summary>
internal static class MtaStsInput
{
    /// <summary>Reads -TrustedRootCertificate files and builds the options; a bad file gives <paramref name="error"/> (the caller
    /// throws it as a terminating error naming the file).</summary>
    public static MtaStsFetchOptions Options(PSCmdlet cmdlet, string[]? trustedRootFiles, int timeoutSeconds, int maxBytes, DateTime? validationTime,
        out ErrorRecord? error)
    {
        error = null;
        var roots = new List<byte[]>();
        foreach (var file in trustedRootFiles ?? Array.Empty<string>())
        {
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(file);
            try { roots.AddRange(WebPkiValidator.ReadRootFile(path)); }
            catch (FileNotFoundException ex)
            {
                error = ErrorRecordFactory.Create(ex, ErrorIds.CertificateFileNotFound, ErrorCategory.ObjectNotFound, file,
                    "Give the path of a PEM or DER root certificate.");
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                error = ErrorRecordFactory.Create(new InvalidDataException($"'{file}': {ex.Message}", ex), ErrorIds.InvalidCertificateFile,
                    ErrorCategory.InvalidData, file, "Give a PEM or DER root certificate.");
            }
        }
        return new MtaStsFetchOptions
        {
            ExtraTrustRoots = roots,
            TimeoutSeconds = timeoutSeconds,
            MaxBodyBytes = maxBytes,
            ValidationTime = validationTime,
        };
    }
}
