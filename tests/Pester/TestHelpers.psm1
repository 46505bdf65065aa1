# Shared helpers for the Pester suites: locate and import the built module (never the source tree).
function Import-DaneToolsModule {
    $module = $env:DANETOOLS_MODULE
    if (-not $module) { $module = Join-Path $PSScriptRoot '../../out/DaneTools' }
    Import-Module (Join-Path $module 'DaneTools.psd1') -Force -Global -ErrorAction Stop
    Get-Module DaneTools
}

function New-TestCertificate {
    # Makes a key and a certificate with openssl (the peer tool), returns the PEM path.
    param(
        [Parameter(Mandatory)] [string] $Directory,
        [Parameter(Mandatory)] [string] $Name,
        [string] $Subject = "/CN=$Name",
        [string[]] $DnsName = @($Name),
        [string] $IssuerKey,
        [string] $IssuerCert,
        [switch] $CA
    )
    $key = Join-Path $Directory "$Name.key"
    $pem = Join-Path $Directory "$Name.pem"
    $ext = Join-Path $Directory "$Name.ext"
    $lines = @()
    if ($DnsName) { $lines += 'subjectAltName=' + (($DnsName | ForEach-Object { "DNS:$_" }) -join ',') }
    if ($CA) { $lines += 'basicConstraints=critical,CA:TRUE' } else { $lines += 'basicConstraints=CA:FALSE' }
    Set-Content -Path $ext -Value $lines
    & openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $key 2>$null
    if ($IssuerKey) {
        $csr = Join-Path $Directory "$Name.csr"
        & openssl req -new -key $key -subj $Subject -out $csr 2>$null
        & openssl x509 -req -in $csr -CA $IssuerCert -CAkey $IssuerKey -CAcreateserial -days 30 -extfile $ext -out $pem 2>$null
    }
    else {
        $addext = @()
        foreach ($line in $lines) { $addext += '-addext'; $addext += $line }
        & openssl req -x509 -key $key -subj $Subject -days 30 @addext -out $pem 2>$null
    }
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $pem)) { throw "openssl could not make the certificate $Name" }
    $pem
}

function Get-OpenSslAssociationData {
    # The certificate association data as openssl computes it (RFC 6698 2.1.2/2.1.3).
    param([string] $PemPath, [ValidateSet('Cert', 'SPKI')] [string] $Selector, [ValidateSet('SHA2-256', 'SHA2-512', 'Full')] [string] $MatchingType)
    $der = [System.IO.Path]::GetTempFileName()
    try {
        if ($Selector -eq 'Cert') { & openssl x509 -in $PemPath -outform DER -out $der }
        else { & openssl x509 -in $PemPath -pubkey -noout | & openssl pkey -pubin -outform DER -out $der }
        switch ($MatchingType) {
            'Full' { return ([System.Convert]::ToHexString([System.IO.File]::ReadAllBytes($der))) }
            'SHA2-256' { $out = & openssl dgst -sha256 -r $der }
            'SHA2-512' { $out = & openssl dgst -sha512 -r $der }
        }
        return (($out -split ' ')[0]).ToUpperInvariant()
    }
    finally { Remove-Item $der -ErrorAction Ignore }
}

function Get-RepositoryRoot {
    if ($env:DANETOOLS_ROOT) { return $env:DANETOOLS_ROOT }
    (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
}

function Start-DaneLab {
    # Brings the lab up (idempotent; seconds when warm) and returns its catalogue and run folder.
    $root = Get-RepositoryRoot
    & bash (Join-Path $root 'tests/lab/lab.sh') up *>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "The lab did not come up (bash tests/lab/lab.sh up exited $LASTEXITCODE)." }
    [pscustomobject]@{
        Catalogue = Get-Content -Raw (Join-Path $root 'tests/lab/scenarios.json') | ConvertFrom-Json
        Run       = Join-Path $root 'tests/lab/run'
        Anchor    = Join-Path $root 'tests/lab/run/unbound/active.anchor'
    }
}

function Invoke-InLab {
    # Runs a script with the built module inside the lab's network namespace and returns what it wrote
    # as JSON (plain data: statuses as names). One pwsh start per call: batch the work.
    # -Prelude runs before the module is imported (e.g. another module's assemblies loaded first).
    param([Parameter(Mandatory)] [string] $Script, [string] $Prelude = '')
    $root = Get-RepositoryRoot
    $module = if ($env:DANETOOLS_MODULE) { $env:DANETOOLS_MODULE } else { Join-Path $root 'out/DaneTools' }
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ("danelab-" + [guid]::NewGuid() + '.ps1')
    $out = "$file.json"
    Set-Content -Path $file -Value @"
`$ErrorActionPreference = 'Continue'
$Prelude
Import-Module '$module/DaneTools.psd1'
`$result = & { $Script }
ConvertTo-Json -InputObject @(`$result) -Depth 8 -EnumsAsStrings | Set-Content -Path '$out'
"@
    try {
        Push-Location $root
        $ns = if ($env:DANELAB_NS) { $env:DANELAB_NS } else { 'danelab' }
        # The same PowerShell as this one (dotnet pwsh 7.6, or the suite's 7.4 host), so a 7.4 run tests 7.4 in the lab too.
        $exe = [Environment]::ProcessPath
        $pre = @(if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
        $log = & ip netns exec $ns $exe @pre -NoProfile -NonInteractive -File $file 2>&1
        if (-not (Test-Path $out)) { throw "The lab script wrote nothing: $($log -join [Environment]::NewLine)" }
        Get-Content -Raw $out | ConvertFrom-Json
    }
    finally {
        Pop-Location
        Remove-Item $file, $out -ErrorAction Ignore
    }
}

function Invoke-DaneInputTrace {
    # Runs a DaneTools command with -Verbose against a resolver that does not answer: every input the command accepted
    # shows as a verbose line "Input '<input>': <what it will look up>" before the path check stops the run with one
    # ResolverUnreachable error. Binding is visible without a network.
    param([Parameter(Mandatory)] [scriptblock] $Command)
    $lines = [System.Collections.Generic.List[string]]::new()
    $errs = [System.Collections.Generic.List[object]]::new()
    $warns = [System.Collections.Generic.List[object]]::new()
    $stop = $null
    # Streams are redirected (not -ErrorVariable, which would name a variable in the caller's scope).
    try {
        & $Command -Verbose -ErrorAction Continue -WarningAction Continue *>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $lines.Add($_.Message) }
            elseif ($_ -is [System.Management.Automation.ErrorRecord]) { $errs.Add($_) }
            elseif ($_ -is [System.Management.Automation.WarningRecord]) { $warns.Add($_) }
        }
    }
    catch { $stop = $_ }
    $inputs = @($lines | Where-Object { $_ -match "^Input '(.*)': (.*)$" } | ForEach-Object { [pscustomobject]@{ Input = $Matches[1]; Lookup = $Matches[2] } })
    [pscustomobject]@{
        Inputs = @($inputs | ForEach-Object Input)
        Lookups = @($inputs | ForEach-Object Lookup)
        Errors = @($errs)
        Warnings = @($warns)
        Stop = $stop
    }
}

function Get-ConflictAssembly {
    # Older DnsClient, MimeKit, MailKit and BouncyCastle assemblies, as other modules bundle them (restored from NuGet by
    # tests/tools/ConflictRestore.csproj), in load order: each after what it references.
    $root = Get-RepositoryRoot
    & dotnet restore (Join-Path $root 'tests/tools/ConflictRestore.csproj') --nologo -v quiet | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'dotnet restore tests/tools/ConflictRestore.csproj failed.' }
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    foreach ($relative in 'bouncycastle.cryptography/2.4.0/lib/net6.0/BouncyCastle.Cryptography.dll', 'mimekit/4.11.0/lib/net8.0/MimeKit.dll',
        'mailkit/4.11.0/lib/net8.0/MailKit.dll', 'dnsclient/1.6.1/lib/net5.0/DnsClient.dll') {
        $path = Join-Path $packages $relative
        if (-not (Test-Path $path)) { throw "$path not found after restoring tests/tools/ConflictRestore.csproj." }
        $path
    }
}

function Invoke-FreshPwsh {
    # Runs a script in a new PowerShell process of this very version (so a run under another host tests that host)
    # and returns @{ Result = what the script returned, as JSON data; Host = what it printed (e.g. -WhatIf lines) }.
    param([Parameter(Mandatory)] [string] $Script)
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ('danetools-' + [guid]::NewGuid() + '.ps1')
    $out = "$file.json"
    Set-Content -Path $file -Value @"
`$ErrorActionPreference = 'Continue'
`$result = & { $Script }
ConvertTo-Json -InputObject @(`$result) -Depth 8 -EnumsAsStrings | Set-Content -Path '$out'
"@
    $exe = [Environment]::ProcessPath
    $pre = @()
    # `dotnet pwsh` (the repository's tool) runs pwsh.dll from PSHOME.
    if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $pre = @(Join-Path $PSHOME 'pwsh.dll') }
    try {
        $log = & $exe @pre -NoProfile -NonInteractive -File $file 2>&1
        if (-not (Test-Path $out)) { throw "The child pwsh wrote nothing: $($log -join [Environment]::NewLine)" }
        [pscustomobject]@{ Result = (Get-Content -Raw $out | ConvertFrom-Json); Host = ($log -join [Environment]::NewLine) }
    }
    finally { Remove-Item $file, $out -ErrorAction Ignore }
}

function New-ExchangeShapedObject {
    # An object shaped like an Exchange Online cmdlet's output, carrying every property of the binding candidates
    # (Name, DomainName, PrimarySmtpAddress, ExternalEmailAddress, RecipientAddress, RecipientDomains, EmailAddresses)
    # that the real object carries, with a different value in each so a test sees which one bound. Mail follows:
    # AcceptedDomain/RemoteDomain: DomainName; OutboundConnector: RecipientDomains; Mailbox: PrimarySmtpAddress;
    # MailContact/MailUser: ExternalEmailAddress (PrimarySmtpAddress is a proxy here); MessageTraceV2: RecipientAddress.
    param([Parameter(Mandatory)] [ValidateSet('AcceptedDomain', 'OutboundConnector', 'Mailbox', 'MailContact', 'MailUser', 'MessageTraceV2')] [string] $Kind)
    switch ($Kind) {
        'AcceptedDomain' { [pscustomobject]@{ Identity = 'mismatch'; Name = 'mismatch'; DomainName = 'accepted.test'; DomainType = 'Authoritative'; Default = $false } }
        'OutboundConnector' { [pscustomobject]@{ Identity = 'To partners'; Name = 'partners'; RecipientDomains = @('one.test', 'two.test'); SmartHosts = @() } }
        'Mailbox' { [pscustomobject]@{ Identity = 'chris'; Name = 'chris'; DisplayName = 'Chris'; Alias = 'chris'; PrimarySmtpAddress = 'chris@mailbox.test'
                EmailAddresses = @('SMTP:chris@mailbox.test', 'smtp:chris@proxy.test'); RecipientTypeDetails = 'UserMailbox' } }
        'MailContact' { [pscustomobject]@{ Identity = 'partner'; Name = 'partner'; DisplayName = 'Partner'; Alias = 'partner'; PrimarySmtpAddress = 'partner@proxy.test'
                ExternalEmailAddress = 'SMTP:partner@external.test'; EmailAddresses = @('SMTP:partner@proxy.test', 'smtp:partner@other-proxy.test'); RecipientTypeDetails = 'MailContact' } }
        'MailUser' { [pscustomobject]@{ Identity = 'guest'; Name = 'guest'; DisplayName = 'Guest'; Alias = 'guest'; PrimarySmtpAddress = 'guest@proxy.test'
                ExternalEmailAddress = 'SMTP:guest@external.test'; EmailAddresses = @('SMTP:guest@proxy.test'); RecipientTypeDetails = 'GuestMailUser' } }
        'MessageTraceV2' { [pscustomobject]@{ MessageId = '<1@here.test>'; SenderAddress = 'me@sender.test'; RecipientAddress = 'a@trace.test'; Subject = 'x'; Status = 'Failed' } }
    }
}

# A PE file's ReadyToRun header and module version id: Major/Minor are 0 for an IL-only file. The header is what the
# COR header's ManagedNativeHeaderDirectory points at: READYTORUN_HEADER { UInt32 Signature = 0x00525452 ('RTR');
# UInt16 MajorVersion; UInt16 MinorVersion } (dotnet/runtime src/coreclr/inc/readytorun.h).
function Get-ReadyToRunInfo([string] $Path) {
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
        $info = [pscustomobject]@{ Name = Split-Path -Leaf $Path; Signature = 0; Major = 0; Minor = 0
            Mvid = $metadata.GetGuid($metadata.GetModuleDefinition().Mvid) }
        $directory = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory
        $offset = 0
        if ($directory.Size -gt 0 -and $pe.PEHeaders.TryGetDirectoryOffset($directory, [ref]$offset)) {
            $stream.Position = $offset
            $reader = [System.IO.BinaryReader]::new($stream)
            $info.Signature = $reader.ReadUInt32()
            $info.Major = [int]$reader.ReadUInt16()
            $info.Minor = [int]$reader.ReadUInt16()
        }
        $info
    }
    finally { $stream.Dispose() }
}

Export-ModuleMember -Function New-ExchangeShapedObject, Import-DaneToolsModule, New-TestCertificate, Get-OpenSslAssociationData, Get-RepositoryRoot, Start-DaneLab, Invoke-InLab,
    Get-ConflictAssembly, Invoke-FreshPwsh, Invoke-DaneInputTrace, Get-ReadyToRunInfo
