BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:silentServer = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
}

AfterAll { $silent.Dispose() }

Describe 'Get-TlsaRecord' -Tag Unit {
    It 'writes InvalidDomainName for an input that is not a host name and goes on' {
        $null = Get-TlsaRecord -HostName '*.contoso.com', 'mx.ok.test' -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $invalid = @($errs | Where-Object FullyQualifiedErrorId -EQ 'InvalidDomainName,DaneTools.PowerShell.Commands.GetTlsaRecordCommand')
        $invalid.Count | Should -Be 1
        $invalid[0].TargetObject | Should -Be '*.contoso.com'
        @($errs | Where-Object FullyQualifiedErrorId -Like 'DnsQueryFailed,*').TargetObject | Should -Be 'mx.ok.test'
    }

    It 'binds NameExchange from Resolve-DnsName MX output' {
        $mx = [pscustomobject]@{ Name = 'contoso.test'; Type = 'MX'; NameExchange = 'mx1.contoso.test'; Preference = 10 }
        $null = $mx | Get-TlsaRecord -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].TargetObject | Should -Be 'mx1.contoso.test'
        $errs[0].Exception.Message | Should -Match '_25\._tcp\.mx1\.contoso\.test'
    }

    It 'asks each host once even when many inputs name it' {
        $null = Get-TlsaRecord -HostName 'MX.dup.test', 'mx.dup.test.' -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
    }

    It 'uses the port and protocol given in the owner name' {
        $null = Get-TlsaRecord -HostName 'imap.port.test' -Port 993 -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].Exception.Message | Should -Match '_993\._tcp\.imap\.port\.test'
    }
}
