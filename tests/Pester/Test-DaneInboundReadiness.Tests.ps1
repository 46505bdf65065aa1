BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    function script:Trace { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end {
            Invoke-DaneInputTrace { param() $all | Test-DaneInboundReadiness @dns @args } } }
}

AfterAll { $silent.Dispose() }

Describe 'Test-DaneInboundReadiness' -Tag Unit {
    Context 'pipeline input shaped like Exchange Online output' {
        It 'binds Get-AcceptedDomain output by DomainName (never Name)' {
            (New-ExchangeShapedObject -Kind AcceptedDomain | Trace).Inputs | Should -Be @('accepted.test')
        }

        It 'binds strings by value, each domain once' {
            (@('contoso.test', 'CONTOSO.test', 'fabrikam.test') | Trace).Inputs | Sort-Object | Should -Be @('contoso.test', 'fabrikam.test')
        }

        It 'skips *.onmicrosoft.com and wildcard accepted domains with a warning each' {
            $tenant = New-ExchangeShapedObject -Kind AcceptedDomain
            $tenant.DomainName = 'contoso.onmicrosoft.com'
            $wildcard = New-ExchangeShapedObject -Kind AcceptedDomain
            $wildcard.DomainName = '*.contoso.test'
            $t = @($tenant, $wildcard, (New-ExchangeShapedObject -Kind AcceptedDomain)) | Trace
            $t.Inputs | Should -Be @('accepted.test')
            $t.Warnings.Count | Should -Be 2
            ($t.Warnings | ForEach-Object Message) -join ' ' | Should -Match 'onmicrosoft\.com'
        }

        It 'reads the expected MX from <Property> by property name' -TestCases @(
            @{ Property = 'DnssecMxValue'; Value = 'accepted-test.e-v1.mx.microsoft' }
            @{ Property = 'ExpectedMxRecord'; Value = '@ 60 IN MX 10 accepted-test.e-v1.mx.microsoft' }
            @{ Property = 'ExpectedMxRecord'; Value = [pscustomobject]@{ Record = '@ 60 IN MX 10 accepted-test.e-v1.mx.microsoft' } }
        ) {
            $o = New-ExchangeShapedObject -Kind AcceptedDomain
            $o | Add-Member -NotePropertyName $Property -NotePropertyValue $Value
            ($o | Trace).Lookups | Should -Be @('domain accepted.test, expected MX accepted-test.e-v1.mx.microsoft')
        }

        It 'names an expected MX that ends in no host with InvalidExpectedMx and goes on' {
            $bad = [pscustomobject]@{ DomainName = 'bad.test'; ExpectedMxRecord = '@ 60 IN MX 10' }
            $t = @($bad, (New-ExchangeShapedObject -Kind AcceptedDomain)) | Trace
            $t.Inputs | Should -Be @('accepted.test')
            ($t.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidExpectedMx,*' }).Count | Should -Be 1
        }

        It 'names a bad domain with InvalidDomainName' {
            ((@('bad..name') | Trace).Errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidDomainName,*' }).Count | Should -Be 1
        }

        It 'stops with ResolverUnreachable when the resolver does not answer' {
            ('contoso.test' | Trace).Stop.FullyQualifiedErrorId | Should -BeLike 'ResolverUnreachable,*'
        }
    }

    Context 'views' {
        BeforeAll {
            # A result as Import-Clixml gives it back (the Deserialized type name), to see the views as a user does.
            $script:row = [pscustomobject]@{ DomainName = 'accepted-domain.contoso.test'; StageText = 'MigrationInProgress'; SenderStatusText = 'NotApplicable'
                NextStep = "Once mail arrives through contoso-test.e-v1.mx.microsoft, publish '@ MX 0 contoso-test.e-v1.mx.microsoft.' alone"
                MxHosts = @('0 contoso-test.mail.protection.outlook.com', '20 contoso-test.e-v1.mx.microsoft'); MxTtlSeconds = 300
                ExpectedMxHost = ''; NewMxHost = 'contoso-test.e-v1.mx.microsoft'; ExchangeOnlineNdr = ''
                Checks = @([pscustomobject]@{ KindText = 'MxRecordSet'; StatusText = 'Fail'; Reason = 'The new host beside the legacy host.' }) }
            $row.PSObject.TypeNames.Insert(0, 'Deserialized.DaneTools.Core.Inbound.InboundReadinessResult')
        }

        It 'fits the table in 80 columns with the stage and next step' {
            $lines = @(($row | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^DomainName\s+Stage\s+Sender\s+NextStep'
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $lines[2] | Should -Match 'MigrationInProgress'
        }

        It 'lists every check in the list view' {
            $text = $row | Format-List | Out-String -Width 200
            $text | Should -Match 'Checks\s+:\s+MxRecordSet: Fail: The new host beside the legacy host\.'
            $text | Should -Match 'NewMxHost\s+:\s+contoso-test\.e-v1\.mx\.microsoft'
        }
    }
}
