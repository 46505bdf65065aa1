BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null

    function Read-Xhtml([string] $Path) {
        # The page is well-formed XHTML: parse it as XML so the tests can look at elements.
        $text = Get-Content -Raw -Path $Path
        $text | Should -Match '^<!DOCTYPE html'
        $doc = [System.Xml.XmlDocument]::new()
        $doc.XmlResolver = $null
        $doc.LoadXml($text)
        $ns = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
        $ns.AddNamespace('h', 'http://www.w3.org/1999/xhtml')
        $ns.AddNamespace('s', 'http://www.w3.org/2000/svg')
        [pscustomobject]@{ Doc = $doc; Ns = $ns; Text = $text }
    }

    function New-DeserializedResult([string] $DomainName, [string] $Reason, [string] $Subject) {
        # What Import-Clixml gives for a Test-DaneDomain result: property bags carrying the Deserialized type names.
        $cert = [pscustomobject]@{ Position = 0; Subject = $Subject; Issuer = $Subject; NotBeforeUtc = [datetime]'2026-01-01Z'
            NotAfterUtc = [datetime]'2027-01-01Z'; SpkiSha256 = 'AB' * 32; CertificateSha256 = 'CD' * 32; DnsNames = @('mx.example.test') }
        $address = [pscustomobject]@{ Address = '192.0.2.1'; AddressFamily = 'IPv4'; Probed = $true; StartTlsOffered = $true; TlsVersion = 'Tls13'
            OutcomeText = 'AuthFailure'; Reason = $Reason; MatchOutcomeText = 'NoMatch'; MatchDepth = -1; PresentedChain = @($cert) }
        $hostResult = [pscustomobject]@{ HostName = 'mx.example.test'; Preference = 10; OutcomeText = 'AuthFailure'; Reason = $Reason; TlsaBaseDomain = 'mx.example.test'
            TlsaRecords = @('3 1 1 ' + ('00' * 32)); UsableTlsaRecords = @('3 1 1 ' + ('00' * 32)); Addresses = @($address) }
        $r = [pscustomobject]@{ DomainName = $DomainName; StatusText = 'Fail'; Reason = $Reason; ExchangeOnlineStatusText = 'Fail'
            ExchangeOnlineNdr = '5.7.323 tlsa-invalid'; TlsRptResultType = 'tlsa-invalid'; TlsRptPolicyType = 'tlsa'; ValidationTimeUtc = [datetime]'2026-12-07T10:00:00Z'
            MxHosts = @($hostResult); Warnings = @("<b>warning</b>") }
        $r.PSObject.TypeNames.Insert(0, 'Deserialized.DaneTools.Core.Dane.DaneDomainResult')
        $r
    }
}

Describe 'Export-DaneReport' -Tag Unit {
    It 'writes one self-contained XHTML page in which hostile values stay text' {
        $path = Join-Path $TestDrive 'hostile.html'
        New-DeserializedResult -DomainName 'example.test' -Reason '<script>alert(1)</script><img src=x onerror=alert(2)>' -Subject 'CN=<script>alert(3)</script>' |
            Export-DaneReport -Path $path
        $page = Read-Xhtml $path
        $page.Doc.SelectNodes('//h:script | //s:script | //h:img | //h:iframe | //h:link | //s:foreignObject', $page.Ns).Count | Should -Be 0
        $page.Doc.SelectNodes('//@*[starts-with(local-name(), "on")]', $page.Ns).Count | Should -Be 0
        $page.Doc.SelectSingleNode('//h:td[. = "CN=<script>alert(3)</script>"]', $page.Ns) | Should -Not -BeNullOrEmpty
        $page.Doc.SelectSingleNode('//h:ul[@class="warnings"]/h:li', $page.Ns).InnerText | Should -Be '<b>warning</b>'
        $page.Text | Should -Match ([regex]::Escape('&lt;script&gt;alert(1)&lt;/script&gt;'))
        $page.Doc.SelectSingleNode('//h:meta[@http-equiv="Content-Security-Policy"]/@content', $page.Ns).Value | Should -BeLike "default-src 'none'*"
    }

    It 'suggests the 3 1 1 record for the presented key in the HTML and the letter' {
        $r = New-DeserializedResult -DomainName 'example.test' -Reason 'No usable TLSA record matched.' -Subject 'CN=mx.example.test'
        $html = Join-Path $TestDrive 'fix.html'; $txt = Join-Path $TestDrive 'fix.txt'
        $r | Export-DaneReport -Path $html
        $r | Export-DaneReport -Path $txt -Format Text
        $expected = '_25._tcp.mx.example.test. IN TLSA 3 1 1 ' + ('AB' * 32)
        (Read-Xhtml $html).Doc.SelectNodes('//h:pre[@class="record"]', (Read-Xhtml $html).Ns).InnerText | Should -Contain $expected
        Get-Content $txt | ForEach-Object Trim | Should -Contain $expected
        (Get-Content -Raw $txt) | Should -Match 'To: the administrators of example\.test'
    }

    It 'writes nothing under -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.html'
        New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'refuses to overwrite with -NoClobber (ReportFileExists) and returns FileInfo with -PassThru' {
        $path = Join-Path $TestDrive 'clobber.html'
        Set-Content -Path $path -Value 'keep'
        { New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $path -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportFileExists,DaneTools.PowerShell.Commands.ExportDaneReportCommand'
        Get-Content $path | Should -Be 'keep'
        $file = New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $path -PassThru
        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $path
    }

    It 'overwrites a read-only file only with -Force' {
        $path = Join-Path $TestDrive 'readonly.html'
        Set-Content -Path $path -Value 'old'
        (Get-Item $path).IsReadOnly = $true
        if ([Environment]::UserName -ne 'root') {
            { New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $path -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReportNotWritten,DaneTools.PowerShell.Commands.ExportDaneReportCommand'
        }
        New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $path -Force
        Get-Content -Raw $path | Should -Match '^<!DOCTYPE html'
    }

    It 'writes one file per domain with -PerDomain, named with safe characters only' {
        $folder = Join-Path $TestDrive 'per'
        $files = @(
            New-DeserializedResult -DomainName 'Example.TEST' -Reason 'x' -Subject 'CN=x'
            New-DeserializedResult -DomainName '../../evil<x>' -Reason 'x' -Subject 'CN=x'
        ) | Export-DaneReport -Path $folder -PerDomain -PassThru
        $files.Name | Should -Be @('example.test.html', '_._evil_x_.html')
        $files | ForEach-Object { $_.DirectoryName | Should -Be $folder }
        @(Get-ChildItem $TestDrive -Recurse -Filter '*evil*').Count | Should -Be 1
    }

    It 'refuses other objects with InvalidReportInput and still writes the rest' {
        $path = Join-Path $TestDrive 'mixed.html'
        $errors = $null
        @('not a result', (New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x')) |
            Export-DaneReport -Path $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.FullyQualifiedErrorId | Should -Be 'InvalidReportInput,DaneTools.PowerShell.Commands.ExportDaneReportCommand'
        Test-Path $path | Should -BeTrue
    }

    It 'refuses a folder as -Path without -PerDomain (ReportNotWritten)' {
        { New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $TestDrive -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportNotWritten,DaneTools.PowerShell.Commands.ExportDaneReportCommand'
    }
}

Describe 'Export-DaneReport on the lab' -Tag Lab {
    BeforeAll {
        $script:lab = Start-DaneLab
        $script:out = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-report-$([guid]::NewGuid())"
        New-Item -ItemType Directory -Path $out | Out-Null
        $script:written = Invoke-InLab @"
`$a = '$($lab.Anchor)'
`$r = Test-DaneDomain mismatch.test, ds-nokey.test, no-starttls.test, tlsa-rrsig-expired.test, ee311.test -Server 127.0.0.1 -TrustAnchor `$a -TimeoutSeconds 3 -HeloName probe.danetools.test
`$c = Test-DnssecChain ds-nokey.test -Type MX -Server 127.0.0.1 -TrustAnchor `$a
`$r | Export-Clixml -Path '$out/domains.xml'
`$c | Export-Clixml -Depth 8 -Path '$out/chain.xml'
@(`$r) + @(`$c) | Export-DaneReport -Path '$out/live' -PerDomain -PassThru | ForEach-Object Name
@(`$r) + @(`$c) | Export-DaneReport -Path '$out/live.txt' -Format Text
"@
        # The round trip: yesterday's results read back in another session give the same report.
        Import-Clixml (Join-Path $out 'domains.xml'), (Join-Path $out 'chain.xml') | Export-DaneReport -Path (Join-Path $out 'clixml') -PerDomain
    }

    AfterAll { Remove-Item -Recurse -Force $out -ErrorAction Ignore }

    It 'writes one page per lab domain' {
        $written | Sort-Object | Should -Be @('ds-nokey.test.html', 'ee311.test.html', 'mismatch.test.html', 'no-starttls.test.html', 'tlsa-rrsig-expired.test.html')
    }

    It 'suggests for mismatch.test the 3 1 1 record openssl computes from the certificate the lab server presents' {
        $page = Read-Xhtml (Join-Path $out 'live/mismatch.test.html')
        $spki = Get-OpenSslAssociationData -PemPath (Join-Path $lab.Run 'certs/mx_mismatch_test.pem') -Selector SPKI -MatchingType SHA2-256
        $page.Doc.SelectNodes('//h:pre[@class="record"]', $page.Ns).InnerText | Should -Contain "_25._tcp.mx.mismatch.test. IN TLSA 3 1 1 $spki"
        $page.Doc.SelectSingleNode('//h:table[@class="summary"]', $page.Ns).InnerText | Should -Match '5\.7\.323 tlsa-invalid'
        # Side by side: the presented key and the digest the TLSA record expects.
        $compare = $page.Doc.SelectSingleNode('//h:div[@class="compare"]', $page.Ns).InnerText
        $compare | Should -Match $spki
        $compare | Should -Match 'matches nothing presented'
    }

    It 'draws ds-nokey.test''s broken DS link with its reason and suggests the DS dnssec-dsfromkey computes' {
        $page = Read-Xhtml (Join-Path $out 'live/ds-nokey.test.html')
        $labels = $page.Doc.SelectNodes('//s:svg//s:text[@class="broken-label"]', $page.Ns).InnerText -join ' '
        $labels | Should -Match 'NoDnskeyForDs'
        $page.Doc.SelectNodes('//s:svg//s:line[contains(@class, "bad")]', $page.Ns).Count | Should -BeGreaterThan 0
        $page.Doc.SelectNodes('//s:svg//s:rect[starts-with(@class, "zone")]', $page.Ns).Count | Should -Be 3
        $expected = & dnssec-dsfromkey -2 -f (Join-Path $lab.Run 'zones/ds-nokey.test.zone') ds-nokey.test
        $expected | Should -Not -BeNullOrEmpty
        $page.Doc.SelectNodes('//h:pre[@class="record"]', $page.Ns).InnerText | Should -Contain ($expected | Select-Object -First 1).Trim()
    }

    It 'tells no-starttls.test to offer STARTTLS and tlsa-rrsig-expired.test to re-sign' {
        (Read-Xhtml (Join-Path $out 'live/no-starttls.test.html')).Doc.SelectSingleNode('//h:ol[@class="fixes"]', (Read-Xhtml (Join-Path $out 'live/no-starttls.test.html')).Ns).InnerText |
            Should -Match 'Offer STARTTLS on mx\.no-starttls\.test'
        $page = Read-Xhtml (Join-Path $out 'live/tlsa-rrsig-expired.test.html')
        $page.Doc.SelectSingleNode('//h:ol[@class="fixes"]', $page.Ns).InnerText | Should -Match 'RrsigExpired'
    }

    It 'says there is nothing to fix for ee311.test' {
        $page = Read-Xhtml (Join-Path $out 'live/ee311.test.html')
        $page.Doc.SelectSingleNode('//h:ol[@class="fixes"]', $page.Ns).InnerText | Should -Match 'Nothing to fix today'
    }

    It 'gives the same report from Import-Clixml as from the live results (<_>)' -ForEach @('ds-nokey.test', 'mismatch.test', 'no-starttls.test', 'tlsa-rrsig-expired.test', 'ee311.test') {
        # Only the line with the time the report was written may differ.
        $strip = { param($p) (Get-Content -Raw $p) -replace '(?i)written \d{4}-\d\d-\d\d \d\d:\d\d UTC', 'written' }
        & $strip (Join-Path $out "clixml/$_.html") | Should -BeExactly (& $strip (Join-Path $out "live/$_.html"))
    }

    It 'writes the letter with every failing domain''s fix' {
        $text = Get-Content -Raw (Join-Path $out 'live.txt')
        $text | Should -Match 'To: the administrators of mismatch\.test'
        $text | Should -Match 'IN TLSA 3 1 1'
        $text | Should -Match 'ds-nokey\.test\. IN DS'
    }
}
