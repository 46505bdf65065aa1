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
    Copyright            = '(c) DaneTools developers.'
    Description          = 'SMTP DANE (RFC 7672) and DNSSEC checks for Exchange Online and mail administrators: our own DNSSEC validation, TLSA matching and DANE-enforced delivery.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    TypesToProcess       = @('DaneTools.Types.ps1xml')
    FormatsToProcess     = @('DaneTools.Format.ps1xml')
    CmdletsToExport      = @('New-TlsaRecord', 'Test-DnssecChain', 'Get-TlsaRecord', 'Test-DaneDomain', 'Send-DaneMail')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('DANE', 'DNSSEC', 'TLSA', 'SMTP', 'ExchangeOnline', 'Email')
            ProjectUri = 'https://example.invalid/danetools'
        }
    }
}
