BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:silentServer = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
}

AfterAll { $silent.Dispose() }

Describe 'Get-TlsaRecord' -Tag Unit {
    It 'writes InvalidDomainName for an input that is not a host name and goes on' {
        $t = Invoke-DaneInputTrace { param() Get-TlsaRecord -HostName '*.contoso.com', 'mx.ok.test' -Server $silentServer -TimeoutSeconds 1 @args }
        $invalid = @($t.Errors | Where-Object FullyQualifiedErrorId -EQ 'InvalidDomainName,DaneTools.PowerShell.Commands.GetTlsaRecordCommand')
        $invalid.Count | Should -Be 1
        $invalid[0].TargetObject | Should -Be '*.contoso.com'
        $t.Inputs | Should -Be 'mx.ok.test'
    }

    It 'writes InvalidDomainName for a host name too long for _25._tcp.<host> (255 octets) and goes on with the others' {
        $long = ((1..4 | ForEach-Object { 'a' * 60 }) -join '.') + '.test'   # 248 octets: valid, but no TLSA name fits
        $t = Invoke-DaneInputTrace { param() Get-TlsaRecord -HostName $long, 'mx.ok.test' -Server $silentServer -TimeoutSeconds 1 @args }
        $invalid = @($t.Errors | Where-Object FullyQualifiedErrorId -EQ 'InvalidDomainName,DaneTools.PowerShell.Commands.GetTlsaRecordCommand')
        $invalid.Count | Should -Be 1
        $invalid[0].TargetObject | Should -Be $long
        $invalid[0].Exception.Message | Should -Match '255 octets'
        $t.Inputs | Should -Be 'mx.ok.test'
    }

    It 'refuses an e-mail address as a host name instead of looking up its domain' {
        $null = Get-TlsaRecord -HostName 'chris@ee311.test' -Server $silentServer -TimeoutSeconds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,DaneTools.PowerShell.Commands.GetTlsaRecordCommand'
        $errs[0].Exception.Message | Should -Match 'e-mail address'
    }

    It 'binds NameExchange from Resolve-DnsName MX output' {
        $mx = [pscustomobject]@{ Name = 'contoso.test'; Type = 'MX'; NameExchange = 'mx1.contoso.test'; Preference = 10 }
        $t = Invoke-DaneInputTrace { param() $mx | Get-TlsaRecord -Server $silentServer -TimeoutSeconds 1 @args }
        $t.Inputs | Should -Be 'mx1.contoso.test'
        $t.Lookups | Should -Be 'TLSA at _25._tcp.mx1.contoso.test'
    }

    It 'asks each host once even when many inputs name it' {
        $t = Invoke-DaneInputTrace { param() Get-TlsaRecord -HostName 'MX.dup.test', 'mx.dup.test.' -Server $silentServer -TimeoutSeconds 1 @args }
        $t.Inputs.Count | Should -Be 1
        $t.Lookups | Should -Be 'TLSA at _25._tcp.mx.dup.test'
    }

    It 'binds Get-AcceptedDomain output (DomainName) to the by-domain set' {
        $t = Invoke-DaneInputTrace { param() [pscustomobject]@{ Name = 'Contoso'; DomainName = 'accepted.test' } |
            Get-TlsaRecord -Server $silentServer -TimeoutSeconds 1 @args }
        $t.Inputs | Should -Be 'accepted.test'
        $t.Lookups | Should -Be 'the TLSA records of the MX hosts of accepted.test'
    }

    It 'binds DomainName, not the display Name, from a full Get-AcceptedDomain object, and RecipientDomains from Get-OutboundConnector' {
        $t = Invoke-DaneInputTrace { param() @((New-ExchangeShapedObject AcceptedDomain), (New-ExchangeShapedObject OutboundConnector)) | Get-TlsaRecord -Server $silentServer -TimeoutSeconds 1 @args }
        $t.Inputs | Should -Be @('accepted.test', 'one.test', 'two.test')
    }

    It 'lets HostName win when an input carries both HostName and DomainName' {
        $t = Invoke-DaneInputTrace { param() [pscustomobject]@{ DomainName = 'domain.test'; HostName = 'mx.host.test' } |
            Get-TlsaRecord -Server $silentServer -TimeoutSeconds 1 @args }
        $t.Inputs | Should -Be 'mx.host.test'
    }

    It 'uses the port and protocol given in the owner name' {
        $t = Invoke-DaneInputTrace { param() Get-TlsaRecord -HostName 'imap.port.test' -Port 993 -Server $silentServer -TimeoutSeconds 1 @args }
        $t.Lookups | Should -Be 'TLSA at _993._tcp.imap.port.test'
    }
}

Describe 'Get-TlsaRecord on the lab' -Tag Lab {
    BeforeDiscovery {
        $catalogue = Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json
        # Hosts whose TLSA RRset sits at _25._tcp.<host> and whose TLSA lookup status the catalogue gives.
        $script:cases = foreach ($s in $catalogue.scenarios) {
            foreach ($h in $s.hosts) {
                $e = $s.expected.hosts | Where-Object name -EQ $h.name
                if ($e -and $e.dnssec.tlsa -and -not $h.tlsaOwner) {
                    @{ Scenario = $s.id; HostName = $h.name; Status = $e.dnssec.tlsa; Templates = @($h.tlsa | Where-Object { $_ }) }
                }
            }
        }
    }

    BeforeAll {
        $script:lab = Start-DaneLab
        $names = ($cases.HostName | Select-Object -Unique | ForEach-Object { "'$_'" }) -join ','
        $script:seen = Invoke-InLab @"
`$records = Get-TlsaRecord -HostName $names -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -ErrorAction SilentlyContinue -ErrorVariable errs
@(`$records | ForEach-Object { [pscustomobject]@{ Kind = 'Record'; HostName = `$_.HostName; Status = [string]`$_.Status; Usage = `$_.Usage; Selector = `$_.Selector; MatchingType = `$_.MatchingType; Data = `$_.CertificateAssociationData; Usable = `$_.IsUsableForSmtp; Reason = `$_.Reason } }) +
@(`$errs | ForEach-Object { [pscustomobject]@{ Kind = 'Error'; HostName = [string]`$_.TargetObject; Status = ([string]`$_.FullyQualifiedErrorId).Split(',')[0]; Reason = `$_.Exception.Message } })
"@
    }

    It 'gives <HostName> (<Scenario>) the TLSA status <Status> with the records the zone holds' -ForEach $cases {
        $mine = @($seen | Where-Object HostName -EQ $HostName)
        $mine | Should -Not -BeNullOrEmpty
        switch ($Status) {
            'Secure' {
                if ($Templates.Count -eq 0) {
                    # A proven absence (secure NODATA/NXDOMAIN): no record, and an error saying DANE does not apply.
                    $mine.Kind | Should -Be 'Error'
                    $mine.Status | Should -Be 'TlsaRecordNotFound'
                    $mine.Reason | Should -Match 'proven absent'
                    return
                }
                $records = @($mine | Where-Object Kind -EQ 'Record')
                $records.Status | Select-Object -Unique | Should -Be 'Secure'
                $records.Count | Should -Be $Templates.Count
            }
            'Insecure' {
                # Present but unsigned: DANE does not apply, so records come back Insecure, or none are usable.
                @($mine | Where-Object { $_.Kind -eq 'Record' -and $_.Usable }).Count | Should -Be 0
                ($mine | Where-Object Kind -EQ 'Record').Status | Select-Object -Unique | Should -Be 'Insecure'
            }
            'Bogus' { ($mine | Where-Object Kind -EQ 'Record').Status | Select-Object -Unique | Should -Be 'Bogus' }
            'Indeterminate' {
                # The resolver fails (SERVFAIL) and the zone's servers do not answer: an error or an Indeterminate result.
                foreach ($m in $mine) { $m.Status | Should -BeIn 'DnsQueryFailed', 'Indeterminate' }
            }
        }
    }

    It 'reports 3 1 1 records with the digest openssl computes from the host''s certificate' {
        $r = @($seen | Where-Object { $_.HostName -eq 'mx.ee311.test' -and $_.Kind -eq 'Record' })[0]
        $r.Usage, $r.Selector, $r.MatchingType | Should -Be 'DANE-EE', 'SPKI', 'SHA2-256'
        $r.Usable | Should -BeTrue
        $pem = Join-Path $lab.Run 'certs/mx_ee311_test.pem'
        $r.Data | Should -Be (Get-OpenSslAssociationData -PemPath $pem -Selector SPKI -MatchingType SHA2-256)
    }

    It 'returns the records of every MX host of a domain at the TLSA base domain (-DomainName)' {
        $byDomain = Invoke-InLab @"
Get-TlsaRecord -DomainName 'cname-target.test', 'two-mx.test' -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 |
    ForEach-Object { [pscustomobject]@{ DomainName = `$_.DomainName; HostName = `$_.HostName; Name = `$_.Name; Status = [string]`$_.Status } }
"@
        # RFC 7672 2.2.3: the CNAME-expanded host name is the TLSA base domain where its TLSA records are found.
        $cname = @($byDomain | Where-Object DomainName -EQ 'cname-target.test')
        $cname.Count | Should -Be 1
        $cname[0].Name | Should -Be '_25._tcp.host.cname-target-dst.test.'
        $cname[0].Status | Should -Be 'Secure'
        ($byDomain | Where-Object DomainName -EQ 'two-mx.test').HostName | Sort-Object | Should -Be @('mx1.two-mx.test', 'mx2.two-mx.test')
    }

    It 'returns a failed TLSA validation of a domain''s MX host as a result with its status, as -HostName does (-DomainName)' {
        $r = Invoke-InLab @"
Get-TlsaRecord -DomainName 'tlsa-servfail.test' -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -ErrorVariable e -ErrorAction SilentlyContinue |
    ForEach-Object { [pscustomobject]@{ Kind = 'Result'; HostName = `$_.HostName; Status = [string]`$_.Status; Reason = [string]`$_.Reason } }
`$e | ForEach-Object { [pscustomobject]@{ Kind = 'Error'; HostName = `$_.FullyQualifiedErrorId; Status = ''; Reason = '' } }
"@
        @($r | Where-Object Kind -EQ 'Error').HostName | Should -BeNullOrEmpty
        $result = @($r | Where-Object Kind -EQ 'Result')
        $result.Count | Should -Be 1
        $result[0].HostName | Should -Be 'mx.tlsa-servfail.test'
        $result[0].Status | Should -Be 'Indeterminate'
        $result[0].Reason | Should -Match 'Timeout'
    }

    It 'shows the reason in its table: the data column is cut to 8 digits (Format-List has it whole)' {
        $table = Invoke-InLab @"
Get-TlsaRecord -HostName 'mx.agility-good.test', 'mx.tlsa-rrsig-expired.test' -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 | Format-Table | Out-String -Width 160
"@
        $text = $table -join "`n"
        $text | Should -Match 'SHA2-512\s+[0-9A-F]{8}\u2026\s+usable for SMTP'
        $text | Should -Not -Match '[0-9A-F]{9}'
        $text | Should -Match 'mx\.tlsa-rrsig-exp\u2026 Bogus\s+DANE-EE SPKI SHA2-256 [0-9A-F]{8}\u2026 RrsigExpired \(EDE 7\): The RRSIG'
    }

    It 'sizes its table by fixed widths within 80 columns, whichever rows come first' {
        # Widths sized on the first rows seen made the layout depend on timing (the long host name and the reason were cut).
        $tables = Invoke-InLab @"
`$rows = Get-TlsaRecord -HostName 'mx.tlsa-rrsig-expired.test', 'mx.agility-good.test' -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3
(`$rows | Format-Table | Out-String -Width 80), (`$rows[-1..-(`$rows.Count)] | Format-Table | Out-String -Width 80)
"@
        $tables.Count | Should -Be 2
        foreach ($table in $tables) {
            $lines = @($table -split "\r?\n" | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^HostName {11}Status {8}TLSA {18}Data {6}Reason$'
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            ($lines -match 'usable for SMTP$').Count | Should -BeGreaterThan 0
            ($lines -match '^mx\.tlsa-rrsig-exp\u2026 Bogus {9}DANE-EE SPKI SHA2-256 [0-9A-F]{8}\u2026 RrsigExpired \(\u2026$').Count | Should -Be 1
        }
    }

    It 'marks PKIX-EE records unusable for SMTP (RFC 7672 3.1.3)' {
        $records = @($seen | Where-Object { $_.HostName -eq 'mx.pkix-only.test' -and $_.Kind -eq 'Record' })
        $records | Should -Not -BeNullOrEmpty
        $records.Usage | Select-Object -Unique | Should -Be 'PKIX-EE'
        $records.Usable | Select-Object -Unique | Should -BeFalse
    }
}
