BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
}

# Issue 12: a local problem (a resolver that strips DNSSEC, one that does not answer, a trust anchor of another root)
# is said once, never blamed on every recipient domain. The lab serves a resolver that strips DNSSEC at 127.0.0.3
# (tests/lab/dns_strip.py in front of Unbound), the lab's root at 127.0.53.1 and a black hole at 127.0.66.1.
Describe 'Resolution path on the lab' -Tag Lab {
    BeforeAll {
        $script:lab = Start-DaneLab
        $script:domains = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ','
        # One line per domain: status, NDR, TLS-RPT type and every host and address outcome.
        $script:verdictScript = {
            param($Arguments)
            @"
`$w = @()
`$rows = Test-DaneDomain -DomainName $domains -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test $Arguments -ErrorAction SilentlyContinue -WarningVariable +w -WarningAction SilentlyContinue |
    ForEach-Object { [pscustomobject]@{ Kind = 'Result'; DomainName = `$_.DomainName; Verdict = "`$(`$_.StatusText) `$(`$_.ExchangeOnlineNdr) `$(`$_.TlsRptResultType) " + ((`$_.MxHosts | ForEach-Object { "`$(`$_.HostName)=`$(`$_.OutcomeText)[" + ((`$_.Addresses | ForEach-Object { "`$(`$_.Address):`$(`$_.OutcomeText)" }) -join ',') + ']' }) -join ' ') } }
@(`$rows) + @(`$w | ForEach-Object { [pscustomobject]@{ Kind = 'Warning'; DomainName = ''; Verdict = "`$_" } })
"@
        }
        $script:validating = Invoke-InLab (& $verdictScript '-Server 127.0.0.1')
    }

    It 'gives through a resolver that strips DNSSEC the verdicts it gives through the validating one, with one warning' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $stripped = Invoke-InLab (& $verdictScript '-Server 127.0.0.3 -RootHint 127.0.53.1')
        $clock.Stop()
        $expected = @($validating | Where-Object Kind -EQ 'Result')
        $expected.Count | Should -Be @($lab.Catalogue.scenarios).Count
        $warnings = @($stripped | Where-Object Kind -EQ 'Warning')
        $warnings.Count | Should -Be 1
        $warnings[0].Verdict | Should -Match '127\.0\.0\.3:53 returns no RRSIG'
        $warnings[0].Verdict | Should -Match 'resolves from the root servers 127\.0\.53\.1:53'
        foreach ($e in $expected) {
            ($stripped | Where-Object { $_.Kind -eq 'Result' -and $_.DomainName -eq $e.DomainName }).Verdict | Should -Be $e.Verdict -Because $e.DomainName
        }
        Write-Host "    iterative (stripping resolver) run of $($expected.Count) domains: $([int]$clock.Elapsed.TotalSeconds) s"
    }

    It 'gives the same verdicts resolving iteratively from the lab root without any resolver' {
        $iterative = Invoke-InLab (& $verdictScript '-Resolution Iterative -RootHint 127.0.53.1')
        @($iterative | Where-Object Kind -EQ 'Warning') | Should -BeNullOrEmpty
        foreach ($e in @($validating | Where-Object Kind -EQ 'Result')) {
            ($iterative | Where-Object { $_.Kind -eq 'Result' -and $_.DomainName -eq $e.DomainName }).Verdict | Should -Be $e.Verdict -Because $e.DomainName
        }
    }

    It 'validates a chain through the stripping resolver as Secure, resolving it from the root' {
        $r = Invoke-InLab "Test-DnssecChain ee311.test -Type MX -Server 127.0.0.3 -RootHint 127.0.53.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -WarningAction SilentlyContinue"
        $r.Status | Should -Be 'Secure'
        $r.Server | Should -Be '127.0.53.1:53' -Because 'the answer came from the lab root''s authoritative server, not the stripping resolver'
    }

    It 'stops with ResolverNotDnssecAware under -Resolution Recursive through the stripping resolver' {
        $r = Invoke-InLab @"
try { Test-DaneDomain ee311.test -Server 127.0.0.3 -Resolution Recursive -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -ErrorAction Stop; 'no error' }
catch { `$_.FullyQualifiedErrorId + '|' + `$_.Exception.Message }
"@
        $id, $message = "$r" -split '\|', 2
        $id | Should -Be 'ResolverNotDnssecAware,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        $message | Should -Match '127\.0\.0\.3:53 returns no RRSIG'
    }

    It 'names the trust anchor once when it does not match the root''s keys, instead of failing every domain' {
        # A DS for a key the lab root does not have: a local configuration error, not 5.7.324 for each recipient.
        $wrong = '. IN DS 4711 13 2 ' + ('AB' * 32)
        $r = Invoke-InLab @"
`$n = 0
try { Test-DaneDomain -DomainName $domains -Server 127.0.0.1 -TrustAnchor '$wrong' -TimeoutSeconds 3 -ErrorAction Stop | ForEach-Object { `$n++ }; 'no error' }
catch { `$_.FullyQualifiedErrorId + '|' + `$_.TargetObject + '|' + `$_.Exception.Message + '|' + `$n }
"@
        $id, $target, $message, $results = "$r" -split '\|', 4
        $id | Should -Be 'TrustAnchorMismatch,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        $target | Should -Be $wrong
        $message | Should -Match "The trust anchor does not match the root's keys served by 127\.0\.0\.1:53"
        $results | Should -Be '0' -Because 'no domain is blamed for the local anchor'
    }

    It 'stops a 1,000-name run within seconds with one ResolverUnreachable error when the resolver address is dead' {
        $r = Invoke-InLab @"
`$clock = [System.Diagnostics.Stopwatch]::StartNew()
`$errors = 0
try { 1..1000 | ForEach-Object { "n`$_.ee311.test" } | Test-DnssecChain -Server 127.0.66.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 1 -ErrorAction SilentlyContinue -ErrorVariable +e; 'no error' }
catch { `$_.FullyQualifiedErrorId + '|' + [int]`$clock.Elapsed.TotalSeconds + '|' + @(`$e).Count }
"@
        $id, $seconds, $others = "$r" -split '\|', 3
        $id | Should -Be 'ResolverUnreachable,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        [int]$seconds | Should -BeLessThan 10
        [int]$others | Should -BeLessOrEqual 1 -Because 'one error, not one per name'
    }
}
