BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    # A resolver that never answers: UDP bound on loopback, nothing read.
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:silentServer = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
    $script:anchor = '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D'
}

AfterAll { $silent.Dispose() }

Describe 'Test-DnssecChain' -Tag Unit {
    Context 'bad input' {
        It 'writes InvalidDomainName for a name that is not one and goes on' {
            $null = Test-DnssecChain -Name 'bad..name', 'ok.test' -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $invalid = @($errs | Where-Object FullyQualifiedErrorId -Like 'InvalidDomainName,*')
            $invalid.Count | Should -Be 1
            $invalid[0].TargetObject | Should -Be 'bad..name'
            $invalid[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            @($errs | Where-Object { $_.TargetObject -eq 'ok.test' }).Count | Should -Be 1 -Because 'the other name is still tried'
        }

        It 'writes DnsQueryFailed per name when the resolver swallows queries, within the timeout' {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $out = Test-DnssecChain -Name 'a.test', 'b.test' -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $clock.Stop()
            $out | Should -BeNullOrEmpty
            $errs.Count | Should -Be 2
            foreach ($e in $errs) {
                $e.FullyQualifiedErrorId | Should -Be 'DnsQueryFailed,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
                $e.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            }
            ($errs.TargetObject | Sort-Object) | Should -Be @('a.test', 'b.test')
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        }

        It 'stops with TrustAnchorInvalid on a malformed trust anchor' {
            { Test-DnssecChain -Name example.test -Server $silentServer -TrustAnchor '. IN DS 20326 8 2 NOTHEX' } |
                Should -Throw -ErrorId 'TrustAnchorInvalid,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'stops with TrustAnchorInvalid naming a missing anchor file' {
            $err = { Test-DnssecChain -Name example.test -Server $silentServer -TrustAnchor (Join-Path $TestDrive 'none.key') } |
                Should -Throw -ErrorId 'TrustAnchorInvalid,DaneTools.PowerShell.Commands.TestDnssecChainCommand' -PassThru
            $err.Exception.Message | Should -Match 'none\.key'
        }

        It 'stops with InvalidServer on a server that is not an address' {
            { Test-DnssecChain -Name example.test -Server 'dns.example' } |
                Should -Throw -ErrorId 'InvalidServer,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'refuses a resolver outside the machine while tests run (resolver guard)' {
            $env:DANETOOLS_LOCAL_DNS_ONLY | Should -Be '1'
            { Test-DnssecChain -Name example.test -Server '192.0.2.53' } |
                Should -Throw -ErrorId 'InvalidServer,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'stops with InvalidRecordType for an unknown type' {
            { Test-DnssecChain -Name example.test -Type 'NOPE' -Server $silentServer } |
                Should -Throw -ErrorId 'InvalidRecordType,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }
    }

    Context 'pipeline' {
        It 'binds <Property> by property name' -TestCases @(
            @{ Property = 'DomainName' }, @{ Property = 'HostName' }, @{ Property = 'Name' }
        ) {
            $null = [pscustomobject]@{ $Property = 'bound.test' } |
                Test-DnssecChain -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].TargetObject | Should -Be 'bound.test'
        }
    }

    Context 'Ctrl+C' {
        It 'stops promptly while queries are in flight' {
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-Module DaneTools).Path).AddStatement()
            $null = $ps.AddCommand('Test-DnssecChain').AddParameter('Name', @(1..50 | ForEach-Object { "n$_.test" })).
                AddParameter('Server', $silentServer).AddParameter('TimeoutSeconds', 30).AddParameter('ErrorAction', 'SilentlyContinue')
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
        }
    }
}
