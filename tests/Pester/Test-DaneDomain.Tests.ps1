BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    # Every domain asked becomes a DnsQueryFailed error whose target is the input: binding is visible without a network.
    function script:Targets { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end {
            $null = $all | Test-DaneDomain @dns -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue
            [pscustomobject]@{ Errors = @($errs); Warnings = @($warns); Targets = @($errs | Where-Object FullyQualifiedErrorId -Like 'DnsQueryFailed,*' | ForEach-Object TargetObject) } } }
}

AfterAll { $silent.Dispose() }

Describe 'Test-DaneDomain' -Tag Unit {
    Context 'pipeline input shaped like Exchange Online output' {
        It 'binds strings and e-mail addresses by value' {
            (@('contoso.test', 'chris@fabrikam.test') | Targets).Targets | Sort-Object | Should -Be @('chris@fabrikam.test', 'contoso.test')
        }

        It 'binds Get-AcceptedDomain output (DomainName) and skips wildcards with a warning' {
            $r = @([pscustomobject]@{ Name = 'Contoso'; DomainName = 'contoso.test'; DomainType = 'Authoritative' },
                [pscustomobject]@{ Name = 'Any'; DomainName = '*.contoso.test'; DomainType = 'InternalRelay' }) | Targets
            $r.Targets | Should -Be 'contoso.test'
            $r.Warnings.Count | Should -Be 1
            "$($r.Warnings[0])" | Should -Match '\*\.contoso\.test'
        }

        It 'skips Get-RemoteDomain''s Default entry (DomainName *) with a warning' {
            $r = [pscustomobject]@{ Identity = 'Default'; DomainName = '*' } | Targets
            $r.Targets | Should -BeNullOrEmpty
            $r.Warnings.Count | Should -Be 1
        }

        It 'binds Get-MessageTraceV2 output (RecipientAddress) and checks each domain once' {
            $r = @([pscustomobject]@{ SenderAddress = 'me@here.test'; RecipientAddress = 'a@fabrikam.test'; Status = 'Failed' },
                [pscustomobject]@{ SenderAddress = 'me@here.test'; RecipientAddress = 'b@FABRIKAM.test'; Status = 'Failed' }) | Targets
            $r.Targets | Should -Be 'a@fabrikam.test'
        }

        It 'binds Get-Mailbox output (PrimarySmtpAddress)' {
            ([pscustomobject]@{ Alias = 'chris'; PrimarySmtpAddress = 'chris@mailbox.test' } | Targets).Targets | Should -Be 'chris@mailbox.test'
        }

        It 'binds Get-MailContact output (ExternalEmailAddress with SMTP:)' {
            ([pscustomobject]@{ Name = 'Partner'; ExternalEmailAddress = 'SMTP:partner@contact.test' } | Targets).Targets | Should -Be 'SMTP:partner@contact.test'
        }

        It 'binds Get-OutboundConnector output (RecipientDomains, several per object)' {
            $r = [pscustomobject]@{ Name = 'To partners'; RecipientDomains = @('one.test', 'two.test') } | Targets
            $r.Targets | Sort-Object | Should -Be @('one.test', 'two.test')
        }

        It 'normalises IDN, case and a trailing dot before de-duplicating' {
            $r = @('bücher.test', 'XN--BCHER-KVA.test.') | Targets
            $r.Targets.Count | Should -Be 1
            $r.Errors[0].Exception.Message | Should -Match 'xn--bcher-kva\.test'
        }
    }

    Context 'bad input' {
        It 'writes InvalidDomainName for <Value> and goes on' -TestCases @(@{ Value = '' }, @{ Value = 'not a domain' }, @{ Value = 'localhost' }) {
            $r = @($Value, 'good.test') | Targets
            $bad = @($r.Errors | Where-Object FullyQualifiedErrorId -EQ 'InvalidDomainName,DaneTools.PowerShell.Commands.TestDaneDomainCommand')
            $bad.Count | Should -Be 1
            $bad[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $r.Targets | Should -Be 'good.test'
        }

        It 'writes InvalidRecipientAddress for an address without a domain' {
            $null = [pscustomobject]@{ RecipientAddress = 'nobody@' } | Test-DaneDomain @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidRecipientAddress,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        }

        It 'writes DnsQueryFailed naming the input when the resolver does not answer' {
            $r = 'quiet.test' | Targets
            $r.Errors[0].FullyQualifiedErrorId | Should -Be 'DnsQueryFailed,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
            $r.Errors[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $r.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'TimeoutSeconds'
        }
    }
}
