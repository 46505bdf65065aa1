@{
    # The cmdlets. They reach the engine (DaneTools.Core, in Dependencies/) through DaneTools.Loader's private load context.
    RootModule           = 'DaneTools.PowerShell.dll'
    # Loaded before RootModule: registers the resolver that puts the engine and its third-party assemblies in a
    # private AssemblyLoadContext. Never list those assemblies in RequiredAssemblies (that loads them into the
    # default context, where another module's copies collide with ours).
    NestedModules        = @('DaneTools.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d2a4e-3c1b-4e8a-9b7d-2f5a0c9e8d41'
    Author               = 'DaneTools developers'
    CompanyName          = 'DaneTools'
    Copyright            = '(c) 2026 DaneTools developers. MIT License.'
    Description          = 'SMTP DANE (RFC 7672) and DNSSEC checks for Exchange Online and mail administrators: will a domain accept mail under DANE, and if not, which NDR and why. DaneTools validates DNSSEC itself from the root trust anchor, matches TLSA records itself, and delivers mail over DANE-enforced sessions (Test-DaneDomain, Test-DnssecChain, Get-TlsaRecord, New-TlsaRecord, Send-DaneMail). PowerShell 7.4 or later (ships the net8.0 build).'
    # Only the net8.0 build ships: PowerShell 7.4 LTS (.NET 8) is the oldest that loads it.
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('DaneTools.Types.ps1xml')
    FormatsToProcess     = @('DaneTools.Format.ps1xml')
    CmdletsToExport      = @('New-TlsaRecord', 'Test-DnssecChain', 'Get-TlsaRecord', 'Test-DaneDomain', 'Send-DaneMail', 'Get-MtaStsPolicy', 'ConvertFrom-TlsRptReport', 'New-TlsRptReport', 'Export-DaneReport', 'Test-DaneInboundReadiness')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            # 0.x: a prerelease until 1.0 (the gallery shows it only with -Prerelease).
            Prerelease   = 'preview1'
            Tags         = @('DANE', 'DNSSEC', 'MTA-STS', 'TLSRPT', 'ExchangeOnline', 'SMTP', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/danetools/DaneTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/danetools/DaneTools'
            ReleaseNotes = @'
0.1.0-preview1
- Test-DaneDomain, Test-DnssecChain, Get-TlsaRecord, New-TlsaRecord, Send-DaneMail.
- Dependency isolation: DnsClient, MailKit, MimeKit, BouncyCastle and the engine load into a private
  AssemblyLoadContext, so modules that bundle other versions of them load beside DaneTools in either order.
- Requires PowerShell 7.4 or later (Core edition); Windows PowerShell 5.1 is not supported.
'@
        }
    }
}
