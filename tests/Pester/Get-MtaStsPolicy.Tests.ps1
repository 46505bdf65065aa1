BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    function script:Targets { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end {
            $t = Invoke-DaneInputTrace { param() $all | Get-MtaStsPolicy @dns @args }
            [pscustomobject]@{ Errors = $t.Errors; Warnings = $t.Warnings; Targets = $t.Inputs; Stop = $t.Stop } } }
}

AfterAll { $silent.Dispose() }

Describe 'Get-MtaStsPolicy' -Tag Unit {
    Context 'pipeline input shaped like Exchange Online output' {
        It 'binds strings and e-mail addresses by value, each domain once' {
            (@('contoso.test', 'chris@fabrikam.test', 'CONTOSO.test') | Targets).Targets | Sort-Object | Should -Be @('chris@fabrikam.test', 'contoso.test')
        }

        It 'binds <Kind> output by property name' -TestCases @(
            @{ Kind = 'AcceptedDomain'; Expected = @('accepted.test') }
            @{ Kind = 'OutboundConnector'; Expected = @('one.test', 'two.test') }
        ) {
            (New-ExchangeShapedObject -Kind $Kind | Targets).Targets | Sort-Object | Should -Be $Expected
        }

        It 'skips a wildcard with a warning and names a bad domain with InvalidDomainName' {
            $r = @('*.contoso.test', 'bad..name', 'ok.test') | Targets
            $r.Targets | Should -Be 'ok.test'
            $r.Warnings.Count | Should -Be 1
            ($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidDomainName,*' }).Count | Should -Be 1
        }
    }

    Context 'parameters' {
        It 'stops with CertificateFileNotFound for a -TrustedRootCertificate file that does not exist' {
            { Get-MtaStsPolicy contoso.test @dns -TrustedRootCertificate (Join-Path $TestDrive 'missing.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateFileNotFound,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
        }

        It 'stops with InvalidCertificateFile for a file that holds no certificate' {
            $bad = Join-Path $TestDrive 'bad.pem'
            Set-Content $bad 'not a certificate'
            { Get-MtaStsPolicy contoso.test @dns -TrustedRootCertificate $bad -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidCertificateFile,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
        }

        It 'bounds -HttpsTimeoutSeconds (1-600) and -MaxPolicyBytes (1024-10485760)' {
            { Get-MtaStsPolicy contoso.test -HttpsTimeoutSeconds 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
            { Get-MtaStsPolicy contoso.test -MaxPolicyBytes 10 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
        }

        It 'stops with ResolverUnreachable when the resolver does not answer' {
            (Targets -InputObject 'contoso.test').Stop.FullyQualifiedErrorId | Should -BeLike 'ResolverUnreachable,*'
        }
    }

    Context 'Test-DaneDomain MTA-STS parameters' {
        It 'has -SkipMtaSts, -TrustedRootCertificate and -HttpsTimeoutSeconds' {
            $p = (Get-Command Test-DaneDomain).Parameters
            $p['SkipMtaSts'].ParameterType | Should -Be ([System.Management.Automation.SwitchParameter])
            $p['TrustedRootCertificate'].ParameterType | Should -Be ([string[]])
            $p['HttpsTimeoutSeconds'].ParameterType | Should -Be ([int])
        }

        It 'stops with CertificateFileNotFound for a missing -TrustedRootCertificate file' {
            { Test-DaneDomain contoso.test @dns -TrustedRootCertificate (Join-Path $TestDrive 'missing.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateFileNotFound,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        }
    }
}
