BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    # Every domain accepted shows as a verbose "Input" line before the silent resolver stops the run: binding is
    # visible without a network (Invoke-DaneInputTrace).
    function script:Targets { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end {
            $t = Invoke-DaneInputTrace { param() $all | Test-DaneDomain @dns @args }
            [pscustomobject]@{ Errors = $t.Errors; Warnings = $t.Warnings; Targets = $t.Inputs; Lookups = $t.Lookups; Stop = $t.Stop } } }
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

        It 'binds the property <Kind> output''s mail follows (<Expected>), from an object carrying every candidate property' -TestCases @(
            @{ Kind = 'AcceptedDomain'; Expected = @('accepted.test') }
            @{ Kind = 'OutboundConnector'; Expected = @('one.test', 'two.test') }
            @{ Kind = 'Mailbox'; Expected = @('chris@mailbox.test') }
            # Where a contact's mail is routed, not its PrimarySmtpAddress (a proxy in this organisation).
            @{ Kind = 'MailContact'; Expected = @('SMTP:partner@external.test') }
            @{ Kind = 'MailUser'; Expected = @('SMTP:guest@external.test') }
            @{ Kind = 'MessageTraceV2'; Expected = @('a@trace.test') }
        ) {
            $r = New-ExchangeShapedObject $Kind | Targets
            @($r.Targets) | Should -Be $Expected
            $r.Errors | Should -BeNullOrEmpty
        }

        It 'normalises IDN, case and a trailing dot before de-duplicating' {
            $r = @('bücher.test', 'XN--BCHER-KVA.test.') | Targets
            $r.Targets.Count | Should -Be 1
            $r.Lookups[0] | Should -Be 'domain xn--bcher-kva.test'
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

        It 'writes InvalidDomainName for $null (and a null property) instead of failing, and goes on' {
            $r = @($null, [pscustomobject]@{ DomainName = $null }, 'after.test') | Targets
            @($r.Errors | Where-Object FullyQualifiedErrorId -EQ 'InvalidDomainName,DaneTools.PowerShell.Commands.TestDaneDomainCommand').Count | Should -Be 2
            $r.Targets | Should -Be 'after.test'
        }

        It 'refuses an EHLO name that would put a second command on the wire' {
            { Test-DaneDomain ok.test @dns -HeloName "probe.test`r`nRSET" } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        }

        It 'writes InvalidRecipientAddress for an address without a domain' {
            $null = [pscustomobject]@{ RecipientAddress = 'nobody@' } | Test-DaneDomain @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidRecipientAddress,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        }

        It 'stops a bulk run at once with one ResolverUnreachable error naming the resolver when it does not answer' {
            # Issue 12: 1,000 domains against a dead resolver are one error within seconds, not one per domain.
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $r = 1..1000 | ForEach-Object { "quiet$_.test" } | Targets
            $clock.Stop()
            $r.Stop | Should -Not -BeNullOrEmpty
            $r.Stop.FullyQualifiedErrorId | Should -Be 'ResolverUnreachable,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
            $r.Stop.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $r.Stop.TargetObject | Should -Be $dns.Server
            $r.Stop.Exception.Message | Should -Match ([regex]::Escape($dns.Server))
            $r.Errors | Should -BeNullOrEmpty
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
    }
}

Describe 'Test-DaneDomain on the lab' -Tag Lab {
    BeforeDiscovery {
        $script:scenarios = (Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json).scenarios |
            ForEach-Object { @{ Id = $_.id; Domain = $_.domain; Expected = $_.expected; Ptf = @($_.peers.postTlsFinger) } }
        # The scenarios the lab's MTA-STS Postfix sender (mta-sts-daemon as its TLS policy map) was recorded on (issue 13).
        $script:stsPeerScenarios = @((Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json).scenarios |
            Where-Object { $_.peers.postfixStsSender } | ForEach-Object {
                @{ Id = $_.id; Domain = $_.domain; Peer = $_.peers.postfixStsSender; ByDesign = $_.byDesign.postfixStsSender; Why = $_.why.postfixStsSender } })
    }

    BeforeAll {
        $script:lab = Start-DaneLab
        $domains = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ','
        $ca = Join-Path $lab.Run 'certs/ca/root.crt'
        $stsDomains = (@($lab.Catalogue.scenarios | Where-Object { $_.peers.postfixStsSender }).domain | ForEach-Object { "'$_'" }) -join ','
        $ptfRuns = ($lab.Catalogue.scenarios | ForEach-Object { $s = $_; @($s.peers.postTlsFinger) | ForEach-Object { "@{ id = '$($s.id)'; d = '$($s.domain)'; a = @($((@($_.args) | ForEach-Object { "'$_'" }) -join ',')) }" } }) -join ','
        $script:seen = Invoke-InLab @"
`$env:MAIL_CONFIG = '$($lab.Run)/postfix-send'
`$results = Test-DaneDomain -DomainName $domains -ThrottleLimit 16 -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -ErrorAction Continue
`$ours = foreach (`$r in `$results) {
    [pscustomobject]@{
        Kind = 'Result'; DomainName = `$r.DomainName; Status = `$r.StatusText; ExchangeOnlineStatus = `$r.ExchangeOnlineStatusText
        ExchangeOnlineNdr = `$r.ExchangeOnlineNdr; TlsRptResultType = `$r.TlsRptResultType; TlsRptPolicyType = `$r.TlsRptPolicyType; MxStatus = `$r.MxStatusText
        Reason = `$r.Reason; ShortReason = `$r.ShortReason; NextStep = [string]`$r.NextStep
        Hosts = @(`$r.MxHosts | ForEach-Object { [pscustomobject]@{ Name = `$_.HostName; Preference = `$_.Preference; Outcome = `$_.OutcomeText; ExchangeOnlineOutcome = `$_.ExchangeOnlineOutcomeText; Reason = `$_.Reason
            Addresses = @(`$_.Addresses | ForEach-Object { [pscustomobject]@{ Address = `$_.Address; Family = `$_.AddressFamily; Outcome = `$_.OutcomeText; TlsRpt = `$_.TlsRptResultType } }) } })
    }
}
# The combined verdict (DANE and MTA-STS) needs the policies: the lab CA trusted for WebPKI, as the MTA-STS Postfix sender does.
`$sts = foreach (`$r in Test-DaneDomain -DomainName $stsDomains -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -TrustedRootCertificate '$ca' -ErrorAction Continue) {
    [pscustomobject]@{ Kind = 'Sts'; DomainName = `$r.DomainName; OutboundStatus = [string]`$r.ExchangeOnlineOutboundStatus; OutboundNdr = `$r.ExchangeOnlineOutboundNdr }
}
# posttls-finger, Postfix's DANE client, on the same domains (it always exits 0: its words are the verdict).
`$peer = foreach (`$p in @($ptfRuns)) {
    `$out = (& posttls-finger -t 5 -T 10 -l dane -F '$ca' @(`$p.a) `$p.d 2>&1) -join "``n"
    # The same reading of its words as tests/lab/peers.py.
    `$word = if (`$out -match '(Verified|Trusted|Untrusted|Anonymous) TLS connection established') { `$Matches[1] }
        elseif (`$out -match 'null MX|nullmx|does not accept mail') { 'NullMx' }
        elseif (`$out -match 'STARTTLS not supported|not offered|TLS is required, but|no STARTTLS') { 'NoStartTls' }
        elseif (`$out -cmatch '(?m)^posttls-finger: > EHLO' -and `$out -cnotmatch '(?m)^posttls-finger: > STARTTLS' -and `$out -cnotmatch '(?m)^posttls-finger: < 250[- ]STARTTLS') { 'NoStartTls' }
        elseif (`$out -match 'TLSA lookup error|MX lookup error|DNS lookup error|Name service error|Host or domain name not found|No MX host|lookup error|validation error|unusable') { 'DnsFailure' }
        else { 'Unknown' }
    [pscustomobject]@{ Kind = 'PostTlsFinger'; Id = `$p.id; Args = (@(`$p.a) -join ' '); Word = `$word }
}
@(`$ours) + @(`$sts) + @(`$peer)
"@
        function script:Ours($domain) { $seen | Where-Object { $_.Kind -eq 'Result' -and $_.DomainName -eq $domain } }
    }

    It '<Id>: <Domain> gives the catalogue''s verdicts' -ForEach $scenarios {
        $r = Ours $Domain
        $r | Should -Not -BeNullOrEmpty -Because "$Domain must give a result"
        $r.Status | Should -Be $Expected.status -Because $r.Reason
        $r.ExchangeOnlineStatus | Should -Be $Expected.exchangeOnlineStatus
        $r.ExchangeOnlineNdr | Should -Be $Expected.exchangeOnlineNdr
        $r.TlsRptResultType | Should -Be ([string]$Expected.tlsRpt.resultType)
        $r.TlsRptPolicyType | Should -Be $Expected.tlsRpt.policyType
        $r.MxStatus | Should -Be $Expected.dnssec.mx
        foreach ($h in @($Expected.hosts)) {
            $mine = $r.Hosts | Where-Object Name -EQ $h.name
            $mine | Should -Not -BeNullOrEmpty -Because "MX host $($h.name) is in the catalogue"
            $mine.Outcome | Should -Be $h.verdict -Because "$($h.name): $($mine.Reason)"
            if ($h.exchangeOnlineVerdict) { $mine.ExchangeOnlineOutcome | Should -Be $h.exchangeOnlineVerdict }
            foreach ($a in @($h.addresses)) {
                if (-not $a) { continue }
                $addr = $mine.Addresses | Where-Object Address -EQ $a.address
                $addr.Outcome | Should -Be $a.verdict -Because "$($h.name) [$($a.address)]"
                if ($a.tlsRptResultType) { $addr.TlsRpt | Should -Be $a.tlsRptResultType }
            }
        }
    }

    It '<Id>: ExchangeOnlineOutboundStatus delivers where the lab''s MTA-STS Postfix sender delivered and fails where it deferred, or differs as the catalogue documents (byDesign)' -ForEach $stsPeerScenarios {
        $r = $seen | Where-Object { $_.Kind -eq 'Sts' -and $_.DomainName -eq $Domain }
        $r | Should -Not -BeNullOrEmpty -Because "$Domain must give a result"
        # Fail: Exchange Online retries (4.x.x) before its NDR, as Postfix defers; Pass, Degraded and NotApplicable deliver.
        $ours = switch ($r.OutboundStatus) { { $_ -in 'Pass', 'Degraded', 'NotApplicable' } { 'delivered' } 'Fail' { 'deferred' } default { "no delivery verdict ($_)" } }
        if ($ByDesign) {
            # sts-wildcard-deep (RFC 8461 section 4.1: one label, the daemon any depth), sts-dane (a DANE pass excuses MTA-STS, DESIGN 6a)
            $ByDesign | Should -Not -Be $Peer.outcome -Because 'byDesign names a difference from the peer'
            $Why | Should -Match 'DaneTools' -Because 'the catalogue says why DaneTools differs'
            $ours | Should -Be $ByDesign -Because $Why
        }
        else {
            $ours | Should -Be $Peer.outcome -Because "$($r.OutboundStatus) $($r.OutboundNdr)"
        }
    }

    It '<Id>: <Domain> names its DNS failure by what the lookup gave (Bogus: bogus; Indeterminate: no answer), host and lookup' -ForEach @(
        $scenarios | Where-Object { $_.Expected.dnssec.mx -in 'Bogus', 'Indeterminate' -or @($_.Expected.hosts | Where-Object verdict -NE 'Authenticated')[0].verdict -eq 'DnsFailure' }) {
        # RFC 4033 section 5: Bogus is a chain from a trust anchor that fails; Indeterminate (a timeout or SERVFAIL, EDE 22/23)
        # is no answer at all (RFC 7672 section 2.1.1), though Exchange Online gives a failed TLSA lookup 5.7.324 as well.
        # The catalogue's statuses are delv's (tests/lab/peers.py): "resolution failed" vs "validation failed".
        $r = Ours $Domain
        $noAnswer = '\((timeout|server failure)\)'
        if ($Expected.dnssec.mx -eq 'Bogus') { $r.ShortReason | Should -Be 'DNSSEC bogus MX' }
        elseif ($Expected.dnssec.mx -eq 'Indeterminate') { $r.ShortReason | Should -Match "^no MX answer $noAnswer$" }
        else {
            $h = @($Expected.hosts | Where-Object verdict -NE 'Authenticated')[0]
            $type = if ($h.dnssec.address -in 'Bogus', 'Indeterminate') { 'A{1,4}' } else { 'TLSA' }
            $status = if ($h.dnssec.address -in 'Bogus', 'Indeterminate') { $h.dnssec.address } else { $h.dnssec.tlsa }
            # bogus-denial's one damaged NSEC denies the AAAA as well as the TLSA name, and the checker judges addresses first
            # (the catalogue's address status is delv's A lookup): bogus names whichever of them decided.
            $words = if ($status -eq 'Bogus') { 'DNSSEC bogus (A|AAAA|TLSA)' } else { "no $type answer $noAnswer" }
            $r.ShortReason | Should -Match ("^$words" + ': ' + [regex]::Escape($h.name) + '$')
            if ($status -ne 'Bogus') { $r.NextStep | Should -Match "^The $type lookup of \S+ got no answer" }
        }
        if ($Expected.dnssec.mx -ne 'Bogus' -and $r.ShortReason -notmatch 'bogus') { $r.NextStep | Should -Not -Match 'signatures' }
    }

    It 'gives the same verdicts with a task per domain (ThrottleLimit above the domain count) as on the bulk worker threads' {
        # The catalogue run above has more domains than its -ThrottleLimit 16: worker threads with blocking reads.
        # Here every domain gets its own task and its lookups and probes overlap: the verdicts must not change.
        $domains = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ','
        $pooled = Invoke-InLab @"
Test-DaneDomain -DomainName $domains -ThrottleLimit $(@($lab.Catalogue.scenarios).Count + 1) -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -ErrorAction SilentlyContinue |
    ForEach-Object { [pscustomobject]@{ DomainName = `$_.DomainName; Verdict = "`$(`$_.StatusText) `$(`$_.ExchangeOnlineNdr) `$(`$_.TlsRptResultType) " + ((`$_.MxHosts | ForEach-Object { "`$(`$_.HostName)=`$(`$_.OutcomeText)[" + ((`$_.Addresses | ForEach-Object { "`$(`$_.Address):`$(`$_.OutcomeText)" }) -join ',') + ']' }) -join ' ') } }
"@
        $bulk = $seen | Where-Object Kind -EQ 'Result' | ForEach-Object {
            [pscustomobject]@{ DomainName = $_.DomainName; Verdict = "$($_.Status) $($_.ExchangeOnlineNdr) $($_.TlsRptResultType) " + (($_.Hosts | ForEach-Object { "$($_.Name)=$($_.Outcome)[" + (($_.Addresses | ForEach-Object { "$($_.Address):$($_.Outcome)" }) -join ',') + ']' }) -join ' ') }
        }
        @($pooled).Count | Should -Be @($bulk).Count
        foreach ($b in $bulk) {
            ($pooled | Where-Object DomainName -EQ $b.DomainName).Verdict | Should -Be $b.Verdict -Because $b.DomainName
        }
    }

    It 'stops connecting once the pipeline needs no more results (Select-Object -First 1)' {
        # null-mx.test goes first and answers long before any probe could finish. Four domains run at once, so when its
        # result stops the pipeline at most the three beside it have started: they are cancelled and no other domain
        # starts. Without stopping, the run would go on to connect to every listener. (With every domain started at once
        # the count depended on how fast the engine reached the probes: ReadyToRun code got there before the stop.)
        $log = Join-Path $lab.Run 'logs/postfix-recv.log'
        # Postfix logs through postlogd, a little later: count once the log has been quiet for a while.
        function Get-Connects {
            $n = -1
            for ($i = 0; $i -lt 20; $i++) {
                $m = @(Select-String -Path $log -Pattern ' connect from ').Count
                if ($m -eq $n) { return $m }
                $n = $m
                Start-Sleep -Milliseconds 1500
            }
            $n
        }
        $domains = (@('null-mx.test') + @($lab.Catalogue.scenarios.domain | Where-Object { $_ -ne 'null-mx.test' }) | ForEach-Object { "'$_'" }) -join ','
        # -SkipMtaSts: the two TXT lookups per domain of MTA-STS/TLS-RPT would only delay the first answer; this is about stopping.
        $run = "Test-DaneDomain -DomainName $domains -ThrottleLimit 64 -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -SkipMtaSts -ErrorAction SilentlyContinue"
        $c0 = Get-Connects
        $null = Invoke-InLab $run
        $full = (Get-Connects) - $c0
        $c1 = Get-Connects
        $first = Invoke-InLab "$($run -replace '-ThrottleLimit 64', '-ThrottleLimit 4') | Select-Object -First 1 | ForEach-Object DomainName; Start-Sleep -Seconds 3"
        $stopped = (Get-Connects) - $c1
        $first | Should -Be 'null-mx.test'
        $full | Should -BeGreaterThan 30
        # Three domains of at most two hosts with two addresses each: 12 connections at most.
        $stopped | Should -BeLessThan 13 -Because "a full run connected $full times"
    }

    Context '-DnsOnly on the whole catalogue' {
        BeforeAll {
            $domains = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ','
            $script:dnsOnly = Invoke-InLab @"
Test-DaneDomain $domains -DnsOnly -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -ErrorAction SilentlyContinue | ForEach-Object { [pscustomobject]@{ DomainName = `$_.DomainName; Status = `$_.StatusText; Eo = `$_.ExchangeOnlineStatusText; Ndr = `$_.ExchangeOnlineNdr; Reason = `$_.Reason } }
"@
        }

        It 'never says Pass (<Id>: <Domain>)' -ForEach $scenarios {
            $r = $dnsOnly | Where-Object DomainName -EQ $Domain
            $r | Should -Not -BeNullOrEmpty
            $r.Status | Should -Not -Be 'Pass' -Because $r.Reason
            $r.Eo | Should -Not -Be 'Pass'
            # Verdicts DNS alone decides are those of the full check.
            if ($Expected.status -in 'Deferred', 'NotApplicable', 'NoMail') {
                $r.Status | Should -Be $Expected.status
                $r.Ndr | Should -Be $Expected.exchangeOnlineNdr
            }
        }

        It 'is DnsPass where certificates or STARTTLS decide (<Id>: <Domain>)' -ForEach @($scenarios | Where-Object { $_.Expected.status -in 'Pass', 'Fail' }) {
            # DESIGN section 6: without a probe no certificate is checked; the catalogue's Pass and Fail domains all have a
            # sound DNS side and secure TLSA, so DNS alone gives DnsPass; Exchange Online's NotApplicable stays (insecure MX).
            $r = $dnsOnly | Where-Object DomainName -EQ $Domain
            $r.Status | Should -Be 'DnsPass' -Because $r.Reason
            $r.Eo | Should -Be $(if ($Expected.exchangeOnlineStatus -eq 'NotApplicable') { 'NotApplicable' } else { 'DnsPass' })
        }
    }

    It '-DnsOnly gives the catalogue''s failing domains (mismatch, ta-expired, ta-badname) DnsPass with an unknown NDR, and -Quiet $false' {
        $r = Invoke-InLab @"
Test-DaneDomain 'mismatch.test', 'ta-expired.test', 'ta-badname.test' -DnsOnly -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 |
    Sort-Object DomainName | ForEach-Object { [pscustomobject]@{ Kind = 'Result'; Domain = `$_.DomainName; Status = `$_.StatusText; Ndr = `$_.ExchangeOnlineNdr; Pass = (`$_.Status -eq 'Pass') } }
[pscustomobject]@{ Kind = 'Quiet'; Values = @(Test-DaneDomain 'mismatch.test', 'ta-expired.test', 'ta-badname.test' -DnsOnly -Quiet -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3) }
"@
        $results = @($r | Where-Object Kind -EQ 'Result')
        $results.Domain | Should -Be @('mismatch.test', 'ta-badname.test', 'ta-expired.test')
        foreach ($x in $results) {
            $x.Status | Should -Be 'DnsPass' -Because $x.Domain
            $x.Pass | Should -BeFalse
            $x.Ndr | Should -Be 'unknown: certificates not checked (-DnsOnly)' -Because $x.Domain
        }
        @(($r | Where-Object Kind -EQ 'Quiet').Values) | Should -Be @($false, $false, $false)
    }

    It 'returns -Quiet booleans in input order' {
        $quiet = Invoke-InLab @"
Test-DaneDomain 'mismatch.test', 'ee311.test', 'null-mx.test', 'ee301.test' -Quiet -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test
"@
        @($quiet) | Should -Be @($false, $true, $false, $true)
    }

    It 'returns one -Quiet boolean per input, in input order, duplicates and inputs naming no domain included' {
        # Catalogue: ee311 and ee301 Pass, mismatch Fail, null-mx NoMail; 'not a domain' and '*' name no domain ($false).
        $quiet = Invoke-InLab @"
@(Test-DaneDomain 'mismatch.test', 'ee311.test', 'EE311.test.', 'null-mx.test', 'not a domain', 'ee301.test', 'mismatch.test', '*', 'ee311.test' -Quiet -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
"@
        @($quiet) | Should -Be @($false, $true, $true, $false, $false, $true, $false, $false, $true)
    }

    It 'returns one -Quiet boolean per message trace row (RecipientAddress), however many rows share a domain' {
        $quiet = Invoke-InLab @"
`$rows = foreach (`$a in 'a@ee311.test', 'b@mismatch.test', 'c@EE311.test', 'd@ee311.test', 'e@mismatch.test') { [pscustomobject]@{ SenderAddress = 'me@sender.test'; RecipientAddress = `$a; Status = 'Failed' } }
@(`$rows | Test-DaneDomain -Quiet -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test)
"@
        @($quiet) | Should -Be @($true, $false, $true, $true, $false)
    }

    It 'shows progress as done/total, ending with every domain done and a completed record' {
        # Progress cannot be redirected: a nested PowerShell collects the records the cmdlet writes.
        $domains = @($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ', '
        $records = Invoke-InLab @"
`$ps = [powershell]::Create().AddScript("Import-Module '`$(Join-Path (Get-Module DaneTools).ModuleBase 'DaneTools.psd1')'; Test-DaneDomain $domains -DnsOnly -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3")
`$out = `$ps.Invoke()
`$ps.Streams.Progress | ForEach-Object { [pscustomobject]@{ Status = `$_.StatusDescription; Percent = `$_.PercentComplete; Completed = [string]`$_.RecordType -eq 'Completed' } }
[pscustomobject]@{ Status = 'results'; Percent = `$out.Count; Completed = `$false }
"@
        $total = @($lab.Catalogue.scenarios).Count
        ($records | Where-Object Status -EQ 'results').Percent | Should -Be $total
        $progress = @($records | Where-Object Status -NE 'results')
        $progress[-1].Completed | Should -BeTrue
        $progress | Where-Object Status -EQ "$total of $total done" | ForEach-Object Percent | Should -Be 100
        # Throttled: never more records than domains (a bulk run of thousands gets a few per second).
        @($progress | Where-Object { -not $_.Completed }).Count | Should -BeLessOrEqual $total
        @($progress | Where-Object { -not $_.Completed } | Where-Object Status -NotMatch "^\d+ of $total done$").Count | Should -Be 0
    }

    It 'authenticates every address on its own handshake, however often the host is probed in one session' {
        # .NET resumes TLS sessions by SNI: a resumed session would carry the other address's certificate.
        $runs = Invoke-InLab @"
1..4 | ForEach-Object {
    `$r = Test-DaneDomain dual-stack.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test
    [pscustomobject]@{ Status = `$r.StatusText; V6 = (`$r.MxHosts.Addresses | Where-Object AddressFamily -EQ 'IPv6').OutcomeText; Tls = (`$r.MxHosts.Addresses | Where-Object AddressFamily -EQ 'IPv4').TlsVersion }
}
"@
        $runs.Count | Should -Be 4
        $runs.Status | Select-Object -Unique | Should -Be 'Degraded'
        $runs.V6 | Select-Object -Unique | Should -Be 'AuthFailure'
        $runs.Tls | Select-Object -Unique | Should -Match '^Tls1[23]$'
    }

    It 'keeps its meaning through Export-Clixml/Import-Clixml and ConvertTo-Json' {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-$([guid]::NewGuid()).xml"
        $plain = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-$([guid]::NewGuid()).xml"
        $csv = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-$([guid]::NewGuid()).csv"
        try {
            $json = Invoke-InLab @"
`$r = Test-DaneDomain two-mx.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test
`$r | Export-Clixml -Depth 8 -Path '$file'
`$r | Export-Clixml -Path '$plain'
`$r | Export-Csv -Path '$csv' -NoTypeInformation
`$r | ConvertTo-Json -Depth 8
"@
            # JSON without -EnumsAsStrings: the statuses are still readable as names through the ...Text properties.
            $j = ($json | Select-Object -First 1) | ConvertFrom-Json
            $j.DomainName | Should -Be 'two-mx.test'
            $j.StatusText | Should -Be 'Degraded'
            $j.ExchangeOnlineNdr | Should -Be ''
            $j.TlsRptResultType | Should -Be 'tlsa-invalid'
            $j.Reason | Should -Match 'mx1\.two-mx\.test'
            ($j.MxHosts | Where-Object HostName -EQ 'mx1.two-mx.test').OutcomeText | Should -Be 'AuthFailure'
            ($j.MxHosts | Where-Object HostName -EQ 'mx2.two-mx.test').Addresses[0].OutcomeText | Should -Be 'Authenticated'
            ($j.MxHosts | Where-Object HostName -EQ 'mx2.two-mx.test').Addresses[0].MatchedRecord.Mnemonic | Should -Be 'DANE-EE SPKI SHA2-256'

            $back = Import-Clixml $file
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.DaneTools.Core.Dane.DaneDomainResult'
            $back.StatusText | Should -Be 'Degraded'
            $back.MxHosts.Count | Should -Be 2
            $table = $back | Format-Table | Out-String -Width 300
            $table | Should -Match 'DomainName\s+Status\s+NDR\s+MX\s+Reason'
            $table | Should -Match 'two-mx\.test\s+Degraded'
            $list = $back | Format-List | Out-String -Width 300
            $list | Should -Match 'mx1\.two-mx\.test \[AuthFailure\]'
            $list | Should -Match '127\.0\.'

            # Without -Depth (PowerShell's default is 1): DaneTools.Types.ps1xml keeps addresses and chains as objects.
            $p = Import-Clixml $plain
            $address = ($p.MxHosts | Where-Object HostName -EQ 'mx2.two-mx.test').Addresses[0]
            $address.OutcomeText | Should -Be 'Authenticated'
            $address.MatchedRecord.Mnemonic | Should -Be 'DANE-EE SPKI SHA2-256'
            $address.PresentedChain[0].Subject | Should -Be 'CN=mx2.two-mx.test'

            # Export-Csv writes the hosts and warnings themselves, not the collection's type name.
            $row = Import-Csv $csv
            $row.Status | Should -Be 'Degraded'
            $row.MxHosts | Should -Match '^10 mx1\.two-mx\.test: AuthFailure: .*; 20 mx2\.two-mx\.test: Authenticated'
            $row.Warnings | Should -Not -Match 'next key'   # one record per host is normal between rollovers (RFC 7671 8.1)
            $row.PSObject.Properties.Value | Should -Not -Match 'System\.Collections'
        }
        finally { Remove-Item $file, $plain, $csv -ErrorAction Ignore }
    }

    It 'writes results in input order with -PreserveOrder, still concurrently (completion order without it)' {
        # tlsa-servfail.test's TLSA lookup goes to the black hole and waits for the timeout, so it finishes last.
        $out = Invoke-InLab @"
`$names = 'tlsa-servfail.test', 'ee311.test', 'null-mx.test', 'ee301.test'
`$common = @{ Server = '127.0.0.1'; TrustAnchor = '$($lab.Anchor)'; TimeoutSeconds = 2; DnsOnly = `$true; SkipMtaSts = `$true }
`$plain = @(Test-DaneDomain `$names @common | ForEach-Object DomainName)
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$ordered = @(Test-DaneDomain `$names @common -PreserveOrder | ForEach-Object DomainName)
`$seconds = `$clock.Elapsed.TotalSeconds
[pscustomobject]@{ Plain = `$plain -join ','; Ordered = `$ordered -join ','; Seconds = `$seconds }
"@
        $out.Plain | Should -Not -Be 'tlsa-servfail.test,ee311.test,null-mx.test,ee301.test'
        ($out.Plain -split ',')[-1] | Should -Be 'tlsa-servfail.test'
        $out.Ordered | Should -Be 'tlsa-servfail.test,ee311.test,null-mx.test,ee301.test'
    }

    It 'says a single TLSA record is normal between rollovers only in -Verbose, not in Warnings (RFC 7671 sections 8.1, 8.4)' {
        $out = Invoke-InLab @"
Test-DaneDomain ee311.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -Verbose 4>&1 -WarningVariable w |
    ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'verbose: ' + `$_.Message } else { `$_.Warnings | ForEach-Object { 'warning: ' + `$_ } } }
`$w | ForEach-Object { 'stream: ' + `$_ }
"@
        @($out -match '^(warning|stream): ') | Should -BeNullOrEmpty
        @($out -match '^verbose: ee311\.test: TLSA: mx\.ee311\.test: _25\._tcp\.mx\.ee311\.test has a single usable record').Count | Should -Be 1
    }

    It '<Id>: agrees with posttls-finger where both apply DANE' -ForEach $scenarios {
        $r = Ours $Domain
        foreach ($p in @($seen | Where-Object { $_.Kind -eq 'PostTlsFinger' -and $_.Id -eq $Id })) {
            # posttls-finger probes the first MX host whose DNS lookups succeed, and falls back to PKIX
            # where no usable TLSA exists: there its word says nothing about DANE (RFC 7672 2.2, 3.1.3).
            if ($r.Status -eq 'NoMail') { $p.Word | Should -Be 'NullMx'; continue }
            $target = $r.Hosts | Sort-Object Preference | Where-Object Outcome -NE 'DnsFailure' | Select-Object -First 1
            if (-not $target) { $p.Word | Should -Be 'DnsFailure'; continue }
            $outcome = $target.Outcome
            if ($p.Args -match '-a (ipv4|ipv6)') {
                $family = if ($Matches[1] -eq 'ipv4') { 'IPv4' } else { 'IPv6' }
                $outcome = ($target.Addresses | Where-Object Family -EQ $family | Select-Object -First 1).Outcome
            }
            $expectedWord = switch ($outcome) {
                'Authenticated' { if ($r.MxStatus -eq 'Secure') { 'Verified' } else { 'Trusted' } }
                'AuthFailure' { 'Untrusted' }
                'TlsFailure' { 'NoStartTls' }
                default { $null }
            }
            if ($expectedWord) { $p.Word | Should -Be $expectedWord -Because "posttls-finger $($p.Args) $Domain" }
        }
    }
}
