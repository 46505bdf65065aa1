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

    It 'reports the newest of several results for a domain and since when it fails (yesterday''s Import-Clixml beside today''s)' {
        $folder = Join-Path $TestDrive 'history'
        $days = foreach ($day in 4, 5, 6, 7) {
            $r = New-DeserializedResult -DomainName 'example.test' -Reason "check of day $day" -Subject 'CN=mx.example.test'
            $r.ValidationTimeUtc = [datetime]::new(2026, 12, $day, 10, 0, 0, [DateTimeKind]::Utc)
            if ($day -eq 4) { $r.StatusText = 'Pass' }
            $r
        }
        $xml = Join-Path $TestDrive 'history.xml'
        $days[0..2] | Export-Clixml -Path $xml
        $files = @(Import-Clixml $xml) + $days[3] | Export-DaneReport -Path $folder -PerDomain -PassThru
        $files.Name | Should -Be 'example.test.html'
        $page = Read-Xhtml $files[0].FullName
        $page.Doc.SelectSingleNode('//h:p[@class="reason"]', $page.Ns).InnerText | Should -Be 'check of day 7'
        $page.Doc.SelectSingleNode('//h:table[@class="summary"]/h:tr[h:th="Failing since"]/h:td', $page.Ns).InnerText |
            Should -Be '2026-12-05 10:00 UTC (3 failing checks in a row; the last that gave Pass was 2026-12-04 10:00 UTC).'
    }

    It 'refuses a folder as -Path without -PerDomain (ReportNotWritten)' {
        { New-DeserializedResult -DomainName 'example.test' -Reason 'x' -Subject 'CN=x' | Export-DaneReport -Path $TestDrive -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportNotWritten,DaneTools.PowerShell.Commands.ExportDaneReportCommand'
    }
}

Describe 'Export-DaneReport in headless Chromium' -Tag Unit {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'HeadlessChromium.psm1') -Force
        $script:pages = Join-Path $TestDrive 'browser'
        New-Item -ItemType Directory -Path $pages | Out-Null
        $spki = 'AB' * 32
        $script:expectedRecord = "_25._tcp.mx.example.test. IN TLSA 3 1 1 $spki"
        $failing = New-DeserializedResult -DomainName 'fail.example' -Reason 'No usable TLSA record matched the presented chain.' -Subject 'CN=mx.example.test'
        $passing = New-DeserializedResult -DomainName 'pass.example' -Reason 'Every MX host authenticated.' -Subject 'CN=mx.example.test'
        $passing.StatusText = 'Pass'; $passing.ExchangeOnlineStatusText = 'Pass'; $passing.ExchangeOnlineNdr = ''; $passing.TlsRptResultType = ''
        $passing.MxHosts[0].OutcomeText = 'Authenticated'; $passing.MxHosts[0].TlsaRecords = @("3 1 1 $spki"); $passing.MxHosts[0].UsableTlsaRecords = @("3 1 1 $spki")
        $passing.MxHosts[0].Addresses[0].OutcomeText = 'Authenticated'; $passing.MxHosts[0].Addresses[0].MatchOutcomeText = 'Matched'
        $passing.MxHosts[0].Addresses[0] | Add-Member MatchedRecord "3 1 1 $spki"; $passing.MxHosts[0].Addresses[0].MatchDepth = 0
        # Payloads that would set document.title if the page let them run as markup (a hostile certificate subject, TXT
        # strings and names from DNS).
        $script:hostile = New-DeserializedResult -DomainName 'xss.example' -Reason '<img src=x onerror="document.title=''pwned-img''">' `
            -Subject 'CN=<script>document.title="pwned-script"</script>'
        $hostile.Warnings = @('"><svg onload="document.title=''pwned-svg''"></svg>', "' onmouseover='document.title=`"pwned-attr`"")
        $hostile.MxHosts[0].HostName = 'mx.<iframe src=javascript:document.title=1>.example'
        $failing | Export-DaneReport -Path (Join-Path $pages 'fail.html')
        $passing | Export-DaneReport -Path (Join-Path $pages 'pass.html')
        $hostile | Export-DaneReport -Path (Join-Path $pages 'xss.html')
        @($failing, $passing, $hostile) | Export-DaneReport -Path (Join-Path $pages 'all.html')
        # The hostile page again without its Content-Security-Policy, so escaping alone must keep the payloads text.
        (Get-Content -Raw (Join-Path $pages 'xss.html')) -replace '<meta http-equiv="Content-Security-Policy"[^>]*/>', '' |
            Set-Content -NoNewline -Path (Join-Path $pages 'xss-nocsp.html')
        $script:loaded = @{}
        foreach ($name in 'fail', 'pass', 'xss', 'xss-nocsp', 'all') { $loaded[$name] = Invoke-HeadlessChromium -Path (Join-Path $pages "$name.html") }
    }

    It 'sees script, console messages and requests on a control page (the checks below can fail)' {
        $control = Join-Path $pages 'control.html'
        Set-Content -Path $control -Value '<!DOCTYPE html><html><head><title>control</title></head><body><p>x</p><script>console.error("control-error"); document.title = "ran"</script><img src="http://report.invalid/x.png"/></body></html>'
        $page = Invoke-HeadlessChromium -Path $control
        $page.Console -join "`n" | Should -Match 'control-error'
        $page.Requests | Should -Contain 'http://report.invalid/x.png'
        $page.Dom | Should -Match '<title>ran</title>'
    }

    It 'loads <_> with no console message and no request' -ForEach @('fail', 'pass', 'xss', 'xss-nocsp', 'all') {
        $page = $loaded[$_]
        $page.Console | Should -BeNullOrEmpty
        $page.Requests | Should -BeNullOrEmpty
        # Nothing in the DOM points outside the page: no src, no link other than the page's own anchors.
        [regex]::Matches($page.Dom, '\s(?:src|href|xlink:href|action|srcset|poster|data)="([^"#][^"]*)"').Value | Should -BeNullOrEmpty
        $page.Dom | Should -Not -Match 'url\((?!#)'
    }

    It 'parses <_> into the same element tree as the XHTML (an HTML parser reads the XML serialisation alike)' -ForEach @('fail', 'pass', 'xss', 'all') {
        # E.g. an empty <td/> or <p/> would open an element in HTML and swallow what follows.
        $xhtml = Read-Xhtml (Join-Path $pages "$_.html")
        $expected = @(Get-XmlShape -Node $xhtml.Doc)
        $expected.Count | Should -BeGreaterThan 100
        (Get-DomShape $loaded[$_].Dom) -join "`n" | Should -BeExactly ($expected -join "`n")
    }

    It 'tells a different element tree apart (control: an empty div written self-closed)' {
        $html = (Get-Content -Raw (Join-Path $pages 'fail.html')) -replace '<h3>What to fix</h3>', '<h3>What to fix</h3><div class="x"/>'
        $control = Join-Path $pages 'shape-control.html'
        Set-Content -NoNewline -Path $control -Value $html
        $expected = @(Get-XmlShape -Node (Read-Xhtml $control).Doc)
        (Get-DomShape (Invoke-HeadlessChromium -Path $control).Dom) -join "`n" | Should -Not -BeExactly ($expected -join "`n")
    }

    It 'shows the verdict, the NDR and the next step for the failing host' {
        $text = ConvertFrom-DomText $loaded['fail'].Dom
        $text | Should -Match 'Verdict \(RFC 7672\) Fail'
        $text | Should -Match 'NDR 5\.7\.323 tlsa-invalid'
        $text | Should -Match ([regex]::Escape($expectedRecord))
        $text | Should -Match 'Publish a TLSA record for the certificate mx\.example\.test presents now\.'
        # The side-by-side comparison: the presented SPKI digest and the digest the TLSA record expects.
        $text | Should -Match ('SPKI SHA-256 ' + ('AB' * 32))
        $text | Should -Match ('3 1 1 ' + ('00' * 32) + ' matches nothing presented')
        ConvertFrom-DomText $loaded['pass'].Dom | Should -Match 'Verdict \(RFC 7672\) Pass'
    }

    It 'runs a payload written into the page unescaped (control: the title check below can fail)' {
        $page = Get-Content -Raw (Join-Path $pages 'xss-nocsp.html')
        $page | Should -Not -Match 'Content-Security-Policy'
        $escaped = '&lt;script&gt;document.title="pwned-script"&lt;/script&gt;'
        $page | Should -Match ([regex]::Escape($escaped))
        $control = Join-Path $pages 'xss-control.html'
        Set-Content -NoNewline -Path $control -Value ($page.Replace($escaped, '<script>document.title="pwned-script"</script>'))
        (Invoke-HeadlessChromium -Path $control).Dom | Should -Match '<title>pwned-script</title>'
    }

    It 'keeps the hostile values as text and runs none of them (with and without the CSP)' -ForEach @('xss', 'xss-nocsp') {
        $dom = $loaded[$_].Dom
        $dom | Should -Match '<title>DANE report: xss\.example</title>'
        $names = Get-DomShape $dom | ForEach-Object { ($_ -split ' ')[1] }
        foreach ($tag in 'script', 'img', 'iframe', 'foreignobject') { $names | Should -Not -Contain $tag -Because "no $tag element may come from the payloads" }
        # No element carries an event handler (text and attribute values have '<' escaped, so '<' starts a real tag).
        $dom | Should -Not -Match '<[a-zA-Z][^<>]*\son[a-z]+\s*='

        $text = ConvertFrom-DomText $dom
        $text | Should -Match ([regex]::Escape('CN=<script>document.title="pwned-script"</script>'))
        $text | Should -Match ([regex]::Escape('"><svg onload="document.title=''pwned-svg''"></svg>'))
    }

    It 'fails clearly, not hangs, when chromium is missing, hangs or exits with an error' {
        $bin = Join-Path $TestDrive 'fakebin'
        New-Item -ItemType Directory -Path $bin -Force | Out-Null
        $path = $env:PATH
        try {
            $env:PATH = $bin
            { Invoke-HeadlessChromium -Path (Join-Path $pages 'fail.html') } | Should -Throw '*chromium is not installed*tests/install-deps.sh*'
            $env:PATH = "$bin$([System.IO.Path]::PathSeparator)$path"
            $pidFile = Join-Path $TestDrive 'fake-chromium.pid'
            Set-Content -Path (Join-Path $bin 'chromium') -Value "#!/bin/sh`necho `$`$ > '$pidFile'`nexec sleep 300"
            & chmod +x (Join-Path $bin 'chromium')
            { Invoke-HeadlessChromium -Path (Join-Path $pages 'fail.html') -TimeoutSeconds 2 } | Should -Throw '*did not finish within 2 s*killed*'
            Test-Path "/proc/$((Get-Content $pidFile).Trim())" | Should -BeFalse -Because 'the hung browser is killed'
            Set-Content -Path (Join-Path $bin 'chromium') -Value "#!/bin/sh`necho 'cannot open display' >&2`nexit 1"
            { Invoke-HeadlessChromium -Path (Join-Path $pages 'fail.html') } | Should -Throw '*chromium exited 1*cannot open display*'
        }
        finally { $env:PATH = $path }
    }

    It 'makes a screenshot of the failing report' {
        $png = Join-Path $pages 'fail.png'
        $shot = Invoke-HeadlessChromium -Path (Join-Path $pages 'fail.html') -Screenshot $png
        $shot.Console | Should -BeNullOrEmpty
        $bytes = [System.IO.File]::ReadAllBytes($png)
        [System.BitConverter]::ToString($bytes, 0, 8) | Should -Be '89-50-4E-47-0D-0A-1A-0A'
        # IHDR width, big-endian: the window size asked for.
        ([int]$bytes[16] -shl 24) + ([int]$bytes[17] -shl 16) + ([int]$bytes[18] -shl 8) + [int]$bytes[19] | Should -Be 1200
    }
}

Describe 'Export-DaneReport on the lab' -Tag Lab {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'HeadlessChromium.psm1') -Force
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
        # The trust anchor Test-DaneDomain validated from (the lab's anchor file), without a Test-DnssecChain result.
        $tag = (-split (Get-Content $lab.Anchor | Where-Object { $_ -match '\sDS\s' } | Select-Object -First 1))[3]
        $page.Doc.SelectSingleNode('//h:footer', $page.Ns).InnerText | Should -Match ([regex]::Escape("Trust anchor: . DS $tag"))
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

    It 'opens <Page> in headless Chromium with no console message and no request, with its verdict, NDR and fix' -ForEach @(
        @{ Page = 'mismatch.test'; Shows = @('Publish a TLSA record for the certificate mx.mismatch.test presents now.', 'IN TLSA 3 1 1', 'matches nothing presented: the leaf''s SPKI SHA-256 is') }
        @{ Page = 'ds-nokey.test'; Shows = @('NoDnskeyForDs', 'Replace the DS records for ds-nokey.test. at the parent (test.)', 'IN DS') }
        @{ Page = 'no-starttls.test'; Shows = @('Offer STARTTLS on mx.no-starttls.test.', 'STARTTLS NOT offered') }
        @{ Page = 'tlsa-rrsig-expired.test'; Shows = @('RrsigExpired') }
        @{ Page = 'ee311.test'; Shows = @('Nothing to fix today.', 'matched: equals the SPKI SHA-256 of the certificate at depth 0') }
    ) {
        # The verdict and NDR the lab catalogue expects for the domain.
        $expected = ($lab.Catalogue.scenarios | Where-Object domain -EQ $Page).expected
        $Shows += "Verdict (RFC 7672) $($expected.status)"
        $Shows += if ($expected.exchangeOnlineNdr) { "NDR $($expected.exchangeOnlineNdr)" } else { '(no NDR)' }
        $path = Join-Path $out "live/$Page.html"
        $page = Invoke-HeadlessChromium -Path $path
        $page.Console | Should -BeNullOrEmpty
        $page.Requests | Should -BeNullOrEmpty
        (Get-DomShape $page.Dom) -join "`n" | Should -BeExactly ((Get-XmlShape -Node (Read-Xhtml $path).Doc) -join "`n")
        $text = ConvertFrom-DomText $page.Dom
        foreach ($s in $Shows) { $text | Should -Match ([regex]::Escape($s)) }
    }

    It 'writes the letter with every failing domain''s fix' {
        $text = Get-Content -Raw (Join-Path $out 'live.txt')
        $text | Should -Match 'To: the administrators of mismatch\.test'
        $text | Should -Match 'IN TLSA 3 1 1'
        $text | Should -Match 'ds-nokey\.test\. IN DS'
    }
}

BeforeDiscovery {
    # One lab scenario per distinct expected verdict kind (domain Status and Exchange Online NDR) of the catalogue, the
    # first in catalogue order, so a new kind added to scenarios.json is reported and opened in the browser too.
    $catalogue = Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json
    $kinds = @($catalogue.scenarios | Group-Object { "$($_.expected.status)|$($_.expected.exchangeOnlineNdr)" } | ForEach-Object {
            $s = $_.Group[0]
            @{ Domain = $s.domain; Status = $s.expected.status; Ndr = $s.expected.exchangeOnlineNdr; Scenario = $s }
        })
}

Describe 'Export-DaneReport on the lab catalogue in headless Chromium' -Tag Lab -ForEach @(@{ Kinds = $kinds }) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'HeadlessChromium.psm1') -Force
        $script:lab = Start-DaneLab
        $script:out = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-report-kinds-$([guid]::NewGuid())"
        New-Item -ItemType Directory -Path $out | Out-Null
        $domains = ($Kinds.Domain | ForEach-Object { "'$_'" }) -join ','
        $null = Invoke-InLab @"
`$a = '$($lab.Anchor)'
Test-DaneDomain $domains -Server 127.0.0.1 -TrustAnchor `$a -TimeoutSeconds 3 -HeloName probe.danetools.test -ErrorAction SilentlyContinue | Export-DaneReport -Path '$out/kinds.html'
Test-DaneDomain xss-subject.test -Server 127.0.0.1 -TrustAnchor `$a -TimeoutSeconds 3 -HeloName probe.danetools.test | Export-DaneReport -Path '$out/xss-subject.html'
"@
        # One browser run per page: every kind's section is read from the one DOM.
        $script:kindsPage = Invoke-HeadlessChromium -Path (Join-Path $out 'kinds.html')
        $script:xssPage = Invoke-HeadlessChromium -Path (Join-Path $out 'xss-subject.html')

        function Get-DomainSection([string] $Dom, [string] $Domain) {
            # The serialised DOM of one domain's <section class="domain"> (host sections carry class "host").
            $parts = $Dom -split '<section class="domain"'
            $hits = @($parts | Select-Object -Skip 1 | Where-Object { $_ -match "<h2>$([regex]::Escape($Domain))</h2>" })
            $hits.Count | Should -Be 1 -Because "the page has one section for $Domain"
            $hits[0]
        }
    }

    AfterAll { Remove-Item -Recurse -Force $out -ErrorAction Ignore }

    It 'reports one scenario per expected verdict kind, ten kinds or more (the catalogue''s Pass, Fail, Deferred, Degraded, NotApplicable, NoMail)' {
        $Kinds.Count | Should -BeGreaterOrEqual 10
        foreach ($status in 'Pass', 'Fail', 'Deferred', 'Degraded', 'NotApplicable', 'NoMail') { $Kinds.Status | Should -Contain $status }
    }

    It 'loads the page of every kind with no console message and no request, parsed into the XHTML''s element tree' {
        $kindsPage.Console | Should -BeNullOrEmpty
        $kindsPage.Requests | Should -BeNullOrEmpty
        $path = Join-Path $out 'kinds.html'
        $doc = [System.Xml.XmlDocument]::new(); $doc.XmlResolver = $null; $doc.LoadXml((Get-Content -Raw $path))
        (Get-DomShape $kindsPage.Dom) -join "`n" | Should -BeExactly ((Get-XmlShape -Node $doc) -join "`n")
    }

    It 'shows <Domain>''s verdict <Status> and its NDR, with the broken link or the suggested record where it fails' -ForEach $Kinds {
        $section = Get-DomainSection $kindsPage.Dom $Domain
        $text = ConvertFrom-DomText $section
        # The verdict and NDR the catalogue expects (RFC 7672 and Exchange Online's codes, DESIGN.md 6).
        $text | Should -Match ([regex]::Escape("Verdict (RFC 7672) $Status"))
        $text | Should -Match ([regex]::Escape($(if ($Ndr) { "NDR $Ndr" } else { '(no NDR)' })))

        # A lookup the catalogue expects Bogus or Indeterminate (RFC 4035 5.5) is the chain's broken link, labelled with its
        # reason.
        $lookups = @($Scenario.expected.dnssec.mx) + @($Scenario.expected.hosts | ForEach-Object { $_.dnssec.address; $_.dnssec.tlsa })
        if ($lookups -match '^(Bogus|Indeterminate)$') {
            $labels = [regex]::Matches($section, '(?s)<text[^>]*class="broken-label"[^>]*>(.*?)</text>') | ForEach-Object { ConvertFrom-DomText $_.Groups[1].Value }
            ($labels -join ' ') | Should -Match '\S' -Because 'the broken link carries its reason'
        }
        # A host whose TLSA records match nothing it presents (tlsa-invalid), or whose DANE-TA chain names another host
        # (certificate-host-mismatch, RFC 7672 3.2.2), is told to publish the DANE-EE 3 1 1 record of the key it presents:
        # openssl's SPKI SHA-256 of the lab certificate.
        foreach ($h in @($Scenario.expected.hosts | Where-Object { $_.exchangeOnlineNdr -match 'tlsa-invalid|certificate-host-mismatch' })) {
            $pem = Join-Path $lab.Run "certs/$($h.name.Replace('.', '_')).pem"
            $spki = Get-OpenSslAssociationData -PemPath $pem -Selector SPKI -MatchingType SHA2-256
            $text | Should -Match ([regex]::Escape("_25._tcp.$($h.name). IN TLSA 3 1 1 $spki"))
        }
        if ($Status -eq 'Pass') { $text | Should -Match 'Nothing to fix today\.' }
    }

    It 'keeps xss-subject.test''s hostile certificate subject as text and runs none of it' {
        $xssPage.Console | Should -BeNullOrEmpty
        $xssPage.Requests | Should -BeNullOrEmpty
        $dom = $xssPage.Dom
        # The payload would set document.title (CN: a script; O: an img whose onerror runs).
        $dom | Should -Match '<title>DANE report: xss-subject\.test</title>'
        $names = Get-DomShape $dom | ForEach-Object { ($_ -split ' ')[1] }
        foreach ($tag in 'script', 'img') { $names | Should -Not -Contain $tag -Because "no $tag element may come from the certificate subject" }
        $dom | Should -Not -Match '<[a-zA-Z][^<>]*\son[a-z]+\s*='
        # Each RDN of the subject as openssl reads it from the lab certificate (unescaped), shown as text; the page writes
        # the subject in RFC 4514 form, so its escaping backslashes are left out of the comparison.
        $rdns = @(& openssl x509 -in (Join-Path $lab.Run 'certs/mx_xss-subject_test.pem') -noout -subject -nameopt 'sep_multiline,utf8' |
                Select-Object -Skip 1 | ForEach-Object Trim)
        $rdns | Should -Contain "CN=<script>document.title='xss-script'</script>"
        $rdns.Count | Should -Be 2
        $text = (ConvertFrom-DomText $dom).Replace('\', '')
        foreach ($rdn in $rdns) { $text | Should -Match ([regex]::Escape($rdn)) }
        $text | Should -Match 'Verdict \(RFC 7672\) Pass'
        # The TLS-RPT TXT record at the TLSA base domain (the catalogue's hosts[].tlsRptTxt) holds a script setting
        # document.title too: the title above is unchanged and the record is shown as published, as text, with its problem.
        $s = $lab.Catalogue.scenarios | Where-Object id -EQ 'xss-subject'
        $txt = @($s.hosts[0].tlsRptTxt)
        $txt.Count | Should -Be 1
        $txt[0] | Should -Match '<script>'
        $text = ConvertFrom-DomText $dom
        $text | Should -Match ([regex]::Escape("TLS-RPT _smtp._tls.$($s.expected.hosts[0].tlsRpt.policyDomain) (TLSA base domain) $($txt[0])"))
        $text | Should -Match ([regex]::Escape($s.expected.hosts[0].tlsRpt.problem))
    }
}
