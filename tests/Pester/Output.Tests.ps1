# What an administrator sees of the results (issue 15): statuses that compare by name after Export-Clixml/Import-Clixml
# and ConvertTo-Json, default views readable at 80 and 120 columns, evidence and the next step in the list views.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
}

Describe 'Result serialisation' -Tag Unit {
    It 'serialises every engine enum a result exposes as its name (type data SerializationMethod String)' {
        # The engine lives in its own load context: reach its assembly through a cmdlet's output type.
        $core = (Get-Command Test-DaneDomain).OutputType.Type | Where-Object { $_ } | Select-Object -First 1
        $core | Should -Not -BeNullOrEmpty
        $enums = $core.Assembly.GetExportedTypes() | Where-Object { $_.IsClass } | ForEach-Object { $_.GetProperties() } |
            ForEach-Object { $t = $_.PropertyType; $u = [Nullable]::GetUnderlyingType($t); if ($u) { $u } else { $t } } |
            Where-Object IsEnum | Sort-Object FullName -Unique
        $enums.Count | Should -BeGreaterThan 10
        $missing = $enums | Where-Object { (Get-TypeData $_.FullName).SerializationMethod -ne 'String' } | ForEach-Object FullName
        $missing | Should -BeNullOrEmpty
    }

    It 'keeps a TLSA record''s usage, selector and matching type as names through Clixml (New-TlsaRecord, offline)' {
        $pem = New-TestCertificate -Directory $TestDrive -Name mx.example.com
        $r = New-TlsaRecord -CertificatePath $pem
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r, 4))
        $back.Record.Usage | Should -BeOfType [string]
        @($back.Record | Where-Object Usage -EQ 'DaneEe').Count | Should -Be 1
        @($back.Record | Where-Object Selector -EQ 'SubjectPublicKeyInfo').Count | Should -Be 1
        @($back.Record | Where-Object MatchingType -EQ 'Sha256').Count | Should -Be 1
        # Live objects keep the enum type.
        $r.Record.Usage.GetType().IsEnum | Should -BeTrue
    }
}

Describe 'Results on the lab, as an administrator sees them' -Tag Lab {
    BeforeAll {
        $script:lab = Start-DaneLab
        $script:dir = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-output-$([guid]::NewGuid())"
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:json = Invoke-InLab @"
`$d = Test-DaneDomain mismatch.test, ta-expired.test, ta-badname.test, two-mx.test, ee311.test, no-starttls.test, mx-servfail.test, pkix-only.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -ErrorAction Continue
`$d | Export-Clixml -Path '$dir/domains.xml'
Test-DnssecChain mismatch.test, ds-nokey.test -Type MX -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 | Export-Clixml -Path '$dir/chains.xml'
Get-TlsaRecord mx.mismatch.test, mx.ee311.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 | Export-Clixml -Path '$dir/tlsa.xml'
[pscustomobject]@{ Plain = (`$d | ConvertTo-Json -Depth 8); Names = (`$d | ConvertTo-Json -Depth 8 -EnumsAsStrings)
    List = (`$d | Where-Object DomainName -EQ 'mismatch.test' | Format-List | Out-String -Width 400)
    PkixList = (`$d | Where-Object DomainName -EQ 'pkix-only.test' | Format-List | Out-String -Width 400) }
"@
        $script:domains = Import-Clixml (Join-Path $dir 'domains.xml')
        $script:chains = Import-Clixml (Join-Path $dir 'chains.xml')
        $script:tlsa = Import-Clixml (Join-Path $dir 'tlsa.xml')
        function script:Domain($name) { $domains | Where-Object DomainName -EQ $name }
    }
    AfterAll { Remove-Item $dir -Recurse -ErrorAction Ignore }

    Context 'after Import-Clixml' {
        It 'finds the failing domains with Where-Object Status -eq ''Fail''' {
            ($domains | Where-Object Status -EQ 'Fail').DomainName | Sort-Object |
                Should -Be @('mismatch.test', 'no-starttls.test', 'ta-badname.test', 'ta-expired.test')
        }

        It 'runs the help''s filtering examples on deserialised objects' {
            # Test-DaneDomain help: Where-Object Status -in 'Fail', 'Deferred'
            ($domains | Where-Object Status -In 'Fail', 'Deferred').Count | Should -Be 5
            # Test-DnssecChain help: Where-Object Status -ne 'Secure'
            ($chains | Where-Object Status -NE 'Secure').Name | Should -Match '^ds-nokey\.test'
            ($domains | Where-Object ExchangeOnlineStatus -EQ 'Degraded').DomainName | Should -Be 'two-mx.test'
            ($domains | Where-Object FailureKind -EQ 'TlsaInvalid' | ForEach-Object DomainName) | Should -Contain 'mismatch.test'
            ((Domain two-mx.test).MxHosts | Where-Object Outcome -EQ 'AuthFailure').HostName | Should -Be 'mx1.two-mx.test'
            ((Domain ee311.test).MxHosts[0].Addresses | Where-Object Outcome -EQ 'Authenticated').Count | Should -BeGreaterThan 0
            ($tlsa | Where-Object Status -EQ 'Secure').Count | Should -Be 2
        }
    }

    Context 'ConvertTo-Json' {
        It 'writes names with -EnumsAsStrings (as the about topic says), so Where-Object compares by name' {
            $j = $json.Names | ConvertFrom-Json
            ($j | Where-Object Status -EQ 'Fail').DomainName | Sort-Object |
                Should -Be @('mismatch.test', 'no-starttls.test', 'ta-badname.test', 'ta-expired.test')
            (($j | Where-Object DomainName -EQ 'two-mx.test').MxHosts | Where-Object Outcome -EQ 'AuthFailure').HostName | Should -Be 'mx1.two-mx.test'
        }

        It 'carries every status as a name in its ...Text twin without -EnumsAsStrings' {
            $j = $json.Plain | ConvertFrom-Json
            ($j | Where-Object StatusText -EQ 'Fail').Count | Should -Be 4
            ($j | Where-Object DomainName -EQ 'two-mx.test').ExchangeOnlineStatusText | Should -Be 'Degraded'
        }
    }

    Context 'default views at 80 and 120 columns' {
        It 'shows domain, status, the short NDR code and a readable reason at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
            $table = $domains | Format-Table | Out-String -Width $Width
            $lines = $table -split [Environment]::NewLine
            ($lines | Measure-Object -Maximum -Property Length).Maximum | Should -BeLessOrEqual $Width
            $lines[1] | Should -Match '^DomainName\s+Status\s+NDR\s+MX\s+Reason'
            # Fixed widths (DomainName 24, Status 13, NDR 7, MX 2): the reason keeps the rest of the line, whatever came first.
            $lines[1].IndexOf('Reason') | Should -Be 50
            $reason = $Width - 50
            function Row($domain, $status, $ndr, $mx, $short) {
                # Status and the NDR code are never cut; a reason longer than its column ends in an ellipsis.
                $shown = if ($short.Length -gt $reason) { [regex]::Escape($short.Substring(0, $reason - 1)) + '\u2026' } else { [regex]::Escape($short) }
                $table | Should -Match ('(?m)^' + [regex]::Escape($domain) + '\s+' + $status + '\s+' + [regex]::Escape($ndr) + '\s+' + $mx + '\s+' + $shown + '\s*$')
            }
            Row 'mismatch.test' 'Fail' '5.7.323' 1 'no TLSA matches: mx.mismatch.test'
            Row 'ta-expired.test' 'Fail' '5.7.322' 1 'certificate expired: mx.ta-expired.test'
            Row 'no-starttls.test' 'Fail' '5.7.321' 1 'no STARTTLS: mx.no-starttls.test'
            Row 'two-mx.test' 'Degraded' '' 2 'no TLSA matches: mx1.two-mx.test'
            Row 'ee311.test' 'Pass' '' 1 'DANE-authenticated'
            Row 'pkix-only.test' 'Pass' '' 1 'TLS only: no usable TLSA record'
            # The MX lookup got no answer (the lab's name servers for mx-servfail.test are unreachable): not "bogus".
            $table | Should -Match '(?m)^mx-servfail\.test\s+Deferred\s+5\.4\.312\s+0\s+no MX answer \((timeout|server failure)\)\s*$'
        }

        It 'has room in the NDR column (7) for every Exchange Online code and in Status (13) for every status' {
            $core = (Get-Command Test-DaneDomain).OutputType.Type | Where-Object { $_ } | Select-Object -First 1
            $kinds = [enum]::GetValues($core.Assembly.GetType('DaneTools.Core.Reporting.DaneFailureKind'))
            $codes = $kinds | ForEach-Object { ($core.Assembly.GetType('DaneTools.Core.Reporting.DaneFailureCodes')::ExchangeOnlineFinal($_) -split ' ')[0] }
            ($codes + 'unknown' | Measure-Object -Maximum -Property Length).Maximum | Should -BeLessOrEqual 7
            ([enum]::GetNames($core.Assembly.GetType('DaneTools.Core.Dane.DaneStatus')) | Measure-Object -Maximum -Property Length).Maximum | Should -BeLessOrEqual 13
        }

        It 'keeps the sentences in the list view: the full reason and NDR text' {
            $list = Domain mismatch.test | Format-List | Out-String -Width 80
            $list | Should -Match 'ExchangeOnlineNdr\s+: 5\.7\.323 tlsa-invalid'
            $list | Should -Match 'Reason\s+: No MX host can take mail'
        }

        It 'shows Get-TlsaRecord''s record, shortened data and reason at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
            $table = $tlsa | Format-Table | Out-String -Width $Width
            ($table -split [Environment]::NewLine | Measure-Object -Maximum -Property Length).Maximum | Should -BeLessOrEqual $Width
            $expected = (Get-Content -Raw (Join-Path $lab.Run 'zones/mismatch.test.zone') | Select-String -Pattern 'TLSA\s+3\s+1\s+1\s+([0-9A-Fa-f]{8})').Matches[0].Groups[1].Value.ToUpperInvariant()
            $table | Should -Match ("(?m)^mx\.mismatch\.test\s+Secure\s+DANE-EE SPKI SHA2-256\s+" + $expected + "\u2026\s+usable for SMTP\s*$")
        }
    }

    Context 'evidence and the next step (Format-List)' {
        BeforeAll {
            # What hash-slinger's tlsa tool (a peer, not our code) makes of the certificate the lab's server presents.
            function script:PeerRecord($hostName, $certFile) {
                $leaf = Join-Path $dir "$hostName.leaf.pem"
                & openssl x509 -in (Join-Path $lab.Run "certs/$certFile") -out $leaf
                $line = & tlsa --create --usage 3 --selector 1 --mtype 1 --port 25 --certificate $leaf $hostName 2>$null | Where-Object { $_ -match ' IN TLSA ' }
                $line | Should -Not -BeNullOrEmpty
                $line.Trim()
            }
        }

        It 'shows the presented certificate beside the TLSA records it should match, and the record to publish (hash-slinger''s)' {
            $peer = PeerRecord 'mx.mismatch.test' 'mx_mismatch_test.pem'
            $spki = ($peer -split ' ')[-1].ToUpperInvariant()
            $expected = $peer -replace '[0-9a-f]{64}$', $spki
            $published = (Get-Content -Raw (Join-Path $lab.Run 'zones/mismatch.test.zone') | Select-String -Pattern 'TLSA\s+3\s+1\s+1\s+([0-9A-Fa-f]{56})').Matches[0].Groups[1].Value.ToUpperInvariant()
            foreach ($list in $json.List, (Domain mismatch.test | Format-List | Out-String -Width 400)) {
                $list | Should -Match "Presented\s+: CN=mx\.mismatch\.test, expires \d{4}-\d\d-\d\d UTC, SPKI SHA-256 $spki"
                $list | Should -Match "PublishedTlsa\s+: 3 1 1 $published"
                $list | Should -Match ('NextStep\s+: mx\.mismatch\.test \[127\.0\.18\.1\] presents a key no TLSA record at _25\._tcp\.mx\.mismatch\.test\. matches: publish ' + [regex]::Escape($expected))
                $list | Should -Match "Owner\s+: the recipient's DNS host \(TLSA\) or the recipient's mail server administrator \(certificate\)"
                # One failure, said once: the sentence of the address is not repeated by its host and its domain.
                ([regex]::Matches($list, 'No usable TLSA record matched the presented chain')).Count | Should -Be 1
            }
            (Domain mismatch.test).NextStep.SuggestedRecord | Should -Be ($peer -replace '[0-9a-f]{64}$', $spki)
        }

        It 'warns that SMTP ignores PKIX usages on a PKIX-only TLSA set and suggests 3 1 1 (RFC 7672 3.1.3)' {
            $peer = PeerRecord 'mx.pkix-only.test' 'mx_pkix-only_test.pem'
            $spki = ($peer -split ' ')[-1].ToUpperInvariant()
            $json.PkixList | Should -Match 'NextStep\s+: SMTP ignores the PKIX-TA/PKIX-EE records at _25\._tcp\.mx\.pkix-only\.test\. \(RFC 7672 section 3\.1\.3\)'
            (Domain pkix-only.test).NextStep.SuggestedRecord | Should -Be ($peer -replace '[0-9a-f]{64}$', $spki)
            (Domain ee311.test).NextStep | Should -BeNullOrEmpty
        }
    }
}
