# -Debug in a host that cannot prompt (issue 15). PowerShell 7.4 maps -Debug to a debug preference of Continue, but still
# makes a compiled cmdlet's warning and verbose preferences Inquire under -Debug, so a warning or verbose line prompted,
# and in a non-interactive host failed the command ("PowerShell is in NonInteractive mode"). Every cmdlet runs here with
# -Debug in a child pwsh started with -NonInteractive: none may fail, each shows its trace as debug lines, and warnings
# still come as warnings (or as -WarningAction says).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:module = if ($env:DANETOOLS_MODULE) { $env:DANETOOLS_MODULE } else { Join-Path (Get-RepositoryRoot) 'out/DaneTools' }
    $script:rfcReport = Join-Path (Get-RepositoryRoot) 'tests/conformance/rfc-vectors/rfc8460-example-report.json'
    # Runs a command with every stream captured; a prompt that fails ends the command (terminating), so it shows in Threw.
    $script:probe = @'
function Probe([string] $Name, [scriptblock] $Run) {
    $threw = ''; $global:seen = @()
    try { $records = @(& $Run 2>&1 3>&1 4>&1 5>&1) } catch { $threw = "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"; $records = @() }
    function Of($type) { @($records | Where-Object { $_ -is $type } | ForEach-Object { [string]$_.Message }) }
    [pscustomobject]@{
        Name = $Name; Threw = $threw
        Debug = @(Of ([System.Management.Automation.DebugRecord])); Warning = @(Of ([System.Management.Automation.WarningRecord]))
        Verbose = @(Of ([System.Management.Automation.VerboseRecord]))
        Errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
        Objects = @($records | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] }).Count
        WarningVariable = @($global:seen | ForEach-Object { [string]$_ })
    }
}
'@
    function script:Case($results, $name) {
        $r = $results | Where-Object Name -EQ $name
        $r | Should -Not -BeNullOrEmpty -Because "case $name ran"
        $r.Threw | Should -BeNullOrEmpty -Because "$name must not prompt or fail"
        $r
    }
}

Describe '-Debug in a non-interactive host' -Tag Unit {
    BeforeAll {
        $pem = New-TestCertificate -Directory $TestDrive -Name mx.example.com
        $script:offline = (Invoke-FreshPwsh @"
Import-Module '$module/DaneTools.psd1'
$probe
Probe 'wildcard' { Test-DaneDomain '*.contoso.test' -Server 127.0.0.1 -TimeoutSeconds 1 -Debug }
Probe 'wildcard -WarningVariable' { Test-DaneDomain '*.contoso.test' -Server 127.0.0.1 -TimeoutSeconds 1 -Debug -WarningVariable w -WarningAction SilentlyContinue; `$global:seen = `$w }
Probe 'wildcard -WarningAction Ignore' { Test-DaneDomain '*.contoso.test' -Server 127.0.0.1 -TimeoutSeconds 1 -Debug -WarningAction Ignore }
Probe 'New-TlsaRecord' { New-TlsaRecord -CertificatePath '$pem' -Debug }
Probe 'ConvertFrom-TlsRptReport' { ConvertFrom-TlsRptReport -Path '$rfcReport' -Debug }
Probe 'ConvertFrom-TlsRptReport -Debug -Verbose' { ConvertFrom-TlsRptReport -Path '$rfcReport' -Debug -Verbose }
Probe '`$VerbosePreference Continue and -Debug' { `$VerbosePreference = 'Continue'; ConvertFrom-TlsRptReport -Path '$rfcReport' -Debug }
Probe '`$DebugPreference Inquire' { `$DebugPreference = 'Inquire'; ConvertFrom-TlsRptReport -Path '$rfcReport'; Test-DaneDomain '*.contoso.test' -Server 127.0.0.1 -TimeoutSeconds 1 }
Probe '`$WarningPreference Inquire' { `$WarningPreference = 'Inquire'; Test-DaneDomain '*.contoso.test' -Server 127.0.0.1 -TimeoutSeconds 1 }
"@).Result
    }

    It 'writes a warning as a warning under -Debug, without a prompt' {
        $r = Case $offline 'wildcard'
        @($r.Warning).Count | Should -Be 1
        @($r.Warning)[0] | Should -Match '\*\.contoso\.test'
    }

    It 'honours -WarningVariable and -WarningAction beside -Debug' {
        @((Case $offline 'wildcard -WarningVariable').WarningVariable).Count | Should -Be 1
        @((Case $offline 'wildcard -WarningVariable').Warning).Count | Should -Be 0
        @((Case $offline 'wildcard -WarningAction Ignore').Warning).Count | Should -Be 0
    }

    It 'shows the trace as debug lines under -Debug (<_>)' -ForEach 'New-TlsaRecord', 'ConvertFrom-TlsRptReport', '$VerbosePreference Continue and -Debug' {
        $r = Case $offline $_
        @($r.Debug).Count | Should -BeGreaterThan 0
        @($r.Verbose).Count | Should -Be 0 -Because 'under -Debug alone a verbose line would prompt'
        $r.Objects | Should -BeGreaterThan 0
    }

    It 'keeps the trace verbose under -Debug -Verbose' {
        $r = Case $offline 'ConvertFrom-TlsRptReport -Debug -Verbose'
        @($r.Verbose).Count | Should -BeGreaterThan 0
    }

    It 'writes every line and goes on when $<Stream>Preference is Inquire (Windows PowerShell''s -Debug), as the host cannot ask' -TestCases @(
        @{ Stream = 'Debug'; Case = '$DebugPreference Inquire' }
        @{ Stream = 'Warning'; Case = '$WarningPreference Inquire' }
    ) {
        $r = Case $offline $Case
        @($r.$Stream).Count | Should -BeGreaterThan 0
    }
}

Describe '-Debug in a non-interactive host, on the lab' -Tag Lab {
    BeforeAll {
        $script:lab = Start-DaneLab
        $out = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-debug-$([guid]::NewGuid())"
        $L = "-Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3"
        $script:onLab = Invoke-InLab @"
$probe
New-Item -ItemType Directory -Path '$out' | Out-Null
`$r = Test-DaneDomain mismatch.test $L -HeloName probe.danetools.test
Probe 'Test-DaneDomain' { Test-DaneDomain '*.x.test', ee311.test $L -HeloName probe.danetools.test -Debug }
Probe 'Test-DaneDomain -DnsOnly' { Test-DaneDomain tlsa-servfail-backup.test $L -DnsOnly -Debug }
Probe 'Get-TlsaRecord' { Get-TlsaRecord mx.ee311.test $L -Debug }
Probe 'Test-DnssecChain' { Test-DnssecChain ee311.test $L -ValidationTime ([datetime]::UtcNow.AddYears(-20)) -Debug }
Probe 'Get-MtaStsPolicy' { Get-MtaStsPolicy '*.x.test', ee311.test $L -Debug }
Probe 'Test-DaneInboundReadiness' { Test-DaneInboundReadiness '*.x.test', ee311.test $L -Debug }
Probe 'New-TlsaRecord' { New-TlsaRecord -HostName mx.ee311.test -CertificatePath '$($lab.Run)/certs/mx_ee311_test.pem' -Debug }
Probe 'New-TlsRptReport' { `$r | New-TlsRptReport -OrganizationName 'Contoso' -ContactInfo tlsrpt@contoso.test -Date '2020-01-01' -Debug }
Probe 'Export-DaneReport' { `$r | Export-DaneReport -Path '$out/report.html' -Debug }
Probe 'Send-DaneMail' { Send-DaneMail -From me@sender.test -To a@ee311.test -Subject debug -Body debug $L -HeloName probe.danetools.test -Debug }
Remove-Item -Recurse '$out'
"@
    }

    It '<_> -Debug neither prompts nor fails, and shows debug lines' -ForEach 'Test-DaneDomain', 'Test-DaneDomain -DnsOnly', 'Get-TlsaRecord',
        'Test-DnssecChain', 'Get-MtaStsPolicy', 'Test-DaneInboundReadiness', 'New-TlsaRecord', 'New-TlsRptReport', 'Export-DaneReport', 'Send-DaneMail' {
        $r = Case $onLab $_
        @($r.Debug).Count | Should -BeGreaterThan 0
        @($r.Verbose).Count | Should -Be 0
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'still warns under -Debug: <Name>' -TestCases @(
        @{ Name = 'Test-DaneDomain'; Pattern = '\*\.x\.test' }
        @{ Name = 'Get-MtaStsPolicy'; Pattern = '\*\.x\.test' }
        @{ Name = 'Test-DaneInboundReadiness'; Pattern = '\*\.x\.test' }
        @{ Name = 'Test-DnssecChain'; Pattern = '-ValidationTime' }
        @{ Name = 'New-TlsRptReport'; Pattern = 'skipped' }
    ) {
        $r = Case $onLab $Name
        ($r.Warning -join "`n") | Should -Match $Pattern
    }

    It 'still checks under -Debug: the results are the ones without it' {
        (Case $onLab 'Test-DaneDomain').Objects | Should -Be 1
        (Case $onLab 'Send-DaneMail').Debug -join "`n" | Should -Match '250'
    }
}
