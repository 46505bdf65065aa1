#Requires -Version 7
# The DANE lab (DESIGN.md section 9): brought up from nothing, every scenario's peer verdicts (delv, posttls-finger,
# the DANE-enforcing Postfix sender) compared with tests/lab/scenarios.json, a wrong trust anchor shown to break them,
# then taken down leaving no process, namespace or mount. Needs root on Linux (network namespaces, apt-get).

BeforeDiscovery {
    $catalogue = Get-Content -Raw -Path (Join-Path $PSScriptRoot '..' 'lab' 'scenarios.json') | ConvertFrom-Json
    $script:ScenarioCases = @($catalogue.scenarios | ForEach-Object { @{ Id = $_.id; Domain = $_.domain } })
}

Describe 'DANE lab' -Tag Lab {
    BeforeAll {
        $script:LabDir = (Resolve-Path (Join-Path $PSScriptRoot '..' 'lab')).Path
        $script:LabSh = Join-Path $LabDir 'lab.sh'
        $script:RunDir = Join-Path $LabDir 'run'
        # DANELAB_NS lets two checkouts on one machine run a lab each (lab.sh); CI uses the default
        $script:Ns = $env:DANELAB_NS ? $env:DANELAB_NS : 'danelab'

        function Invoke-Lab {
            param([Parameter(ValueFromRemainingArguments)][string[]] $Arguments)
            $output = & bash $script:LabSh @Arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
        }

        function Get-LabMounts {
            # This lab's mounts; the shared /run/netns mount counts only while no other namespace exists
            # (other checkouts may run labs of their own, DANELAB_NS).
            $others = @(& ip netns list | Where-Object { $_ -notmatch "^$([regex]::Escape($script:Ns))( |$)" })
            @(Get-Content /proc/mounts | Where-Object {
                    $_ -match "netns/$([regex]::Escape($script:Ns))( |$)" -or ($others.Count -eq 0 -and $_ -match ' /run/netns ')
                })
        }

        function Get-LabProcessIds {
            # processes whose command line names the lab's run directory or its proxy
            foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
                $cmdline = Get-Content -Raw -Path (Join-Path $dir.FullName 'cmdline') -ErrorAction SilentlyContinue
                if ($cmdline -and ($cmdline.Contains($script:RunDir) -or $cmdline.Contains((Join-Path $script:LabDir 'starttls_strip.py')))) {
                    [int]$dir.Name
                }
            }
        }

        function Test-ProcessAlive([int] $ProcessId) {
            $stat = Get-Content -Raw -Path "/proc/$ProcessId/stat" -ErrorAction SilentlyContinue
            # a zombie (state Z) has ended; only its exit status waits to be collected
            return [bool]$stat -and ($stat -replace '^\d+ \(.*\) ', '')[0] -ne 'Z'
        }

        $script:HostResolvConf = Get-Content -Raw -Path /etc/resolv.conf -ErrorAction SilentlyContinue
        # from nothing: no lab running and no generated zones, keys or certificates
        $null = Invoke-Lab clean
        $script:MountsBefore = Get-LabMounts
        $script:UpWatch = [Diagnostics.Stopwatch]::StartNew()
        $script:Up = Invoke-Lab up
        $script:UpWatch.Stop()
        Write-Host "lab.sh up: $([math]::Round($script:UpWatch.Elapsed.TotalSeconds, 1)) s"
    }

    AfterAll {
        $null = Invoke-Lab down
    }

    Context 'catalogue' {
        BeforeAll {
            $script:Catalogue = Get-Content -Raw -Path (Join-Path $LabDir 'scenarios.json') | ConvertFrom-Json
            $script:Verdicts = 'Authenticated', 'TlsOnly', 'NoDane', 'DnsFailure', 'TlsFailure', 'AuthFailure'
            $script:Statuses = 'Pass', 'Degraded', 'Fail', 'NotApplicable', 'Deferred', 'NoMail'
            $script:DnssecStatuses = 'Secure', 'Insecure', 'Bogus', 'Indeterminate'
            # RFC 8460 4.3 result types
            $script:ResultTypes = 'starttls-not-supported', 'certificate-host-mismatch', 'certificate-expired',
                'certificate-not-trusted', 'validation-failure', 'tlsa-invalid', 'dnssec-invalid', 'dane-required'

            # DESIGN.md section 6: the domain verdict from the host (or, where listed, per-address) verdicts
            function Get-DomainStatus($Scenario, [switch] $ExchangeOnline) {
                $e = $Scenario.expected
                if ($e.status -eq 'NoMail' -and $e.hosts.Count -eq 0) { return 'NoMail' }
                if ($e.dnssec.mx -in 'Bogus', 'Indeterminate') { return 'Deferred' }
                $v = foreach ($h in $e.hosts) {
                    if ($ExchangeOnline -and $h.exchangeOnlineVerdict) { $h.exchangeOnlineVerdict }
                    elseif ($h.addresses) { $h.addresses.verdict }
                    else { $h.verdict }
                }
                $ok = @($v | Where-Object { $_ -in 'Authenticated', 'TlsOnly', 'NoDane' })
                $failed = @($v | Where-Object { $_ -notin 'Authenticated', 'TlsOnly', 'NoDane' })
                if ($ok.Count -eq 0) { if ($failed | Where-Object { $_ -in 'TlsFailure', 'AuthFailure' }) { return 'Fail' } else { return 'Deferred' } }
                if ($failed.Count -gt 0) { return 'Degraded' }
                if (-not ($ok | Where-Object { $_ -ne 'NoDane' })) { return 'NotApplicable' }
                return 'Pass'
            }
        }

        It 'holds every scenario the issue asks for' {
            $ids = $Catalogue.scenarios.id
            foreach ($id in 'ee311', 'ee301', 'ee-expired', 'ta201', 'ta-badname', 'ta-expired', 'ta-domainname', 'mismatch',
                'agility-good', 'agility-bad', 'pkix-only', 'no-starttls', 'downgrade', 'tlsa-rrsig-expired', 'ds-nokey',
                'tlsa-servfail', 'tlsa-servfail-backup', 'bogus-denial', 'nsec3-nodata', 'unsigned-tlsa', 'insecure-mx',
                'cname-target', 'cname-original', 'two-mx', 'dual-stack', 'implicit-mx', 'null-mx', 'mx-servfail',
                # MTA-STS (issue 13)
                'sts-enforce', 'sts-mx-mismatch', 'sts-badcert', 'sts-testing', 'sts-invalid', 'sts-redirect', 'sts-dane',
                'sts-none', 'sts-404', 'sts-500', 'sts-oversize', 'sts-two-txt', 'sts-wildcard-deep', 'sts-expired', 'sts-untrusted', 'dane-tlsrpt') {
                $ids | Should -Contain $id
            }
            ($ids | Sort-Object -Unique).Count | Should -Be $ids.Count
        }

        It '<Id>: records a complete expected outcome in the documented vocabulary' -ForEach $ScenarioCases {
            $s = $Catalogue.scenarios | Where-Object id -EQ $Id
            $e = $s.expected
            $s.special | Should -Not -BeNullOrEmpty
            $e.status | Should -BeIn $Statuses
            $e.exchangeOnlineStatus | Should -BeIn $Statuses
            $e.exchangeOnlineNdr | Should -Match '^$|^5\.\d\.\d+( .+)?$'
            $e.tlsRpt.policyType | Should -BeIn 'tlsa', 'no-policy-found'
            if ($null -ne $e.tlsRpt.resultType) { $e.tlsRpt.resultType | Should -BeIn $ResultTypes }
            $e.dnssec.mx | Should -BeIn $DnssecStatuses
            foreach ($h in $e.hosts) {
                $h.verdict | Should -BeIn $Verdicts
                $h.dnssec.address | Should -BeIn $DnssecStatuses
                $h.dnssec.tlsa | Should -BeIn $DnssecStatuses
            }
            $s.peers.postfixSender.outcome | Should -BeIn 'delivered', 'deferred', 'bounced'
            # the lab's second Postfix sender, with postfix-mta-sts-resolver's daemon as its TLS policy map (issue 13)
            if ($s.mtaSts) { $s.peers.postfixStsSender.outcome | Should -BeIn 'delivered', 'deferred', 'bounced' }
            # a difference by design from a peer: DaneTools' own outcome, other than the one recorded for the peer, and why
            if ($s.byDesign) {
                foreach ($p in $s.byDesign.PSObject.Properties) {
                    $p.Value | Should -BeIn 'delivered', 'deferred', 'bounced'
                    $p.Value | Should -Not -Be $s.peers.($p.Name).outcome
                    $s.why.($p.Name) | Should -Match 'DaneTools'
                }
            }
            if ($e.status -ne $e.exchangeOnlineStatus) { $s.why.exchangeOnlineStatus | Should -Not -BeNullOrEmpty }
        }

        It '<Id>: domain verdicts follow the host verdicts as DESIGN.md section 6 decides' -ForEach $ScenarioCases {
            $s = $Catalogue.scenarios | Where-Object id -EQ $Id
            Get-DomainStatus $s | Should -Be $s.expected.status
            Get-DomainStatus $s -ExchangeOnline | Should -Be $s.expected.exchangeOnlineStatus
            if ($s.expected.status -in 'Pass', 'Degraded', 'NotApplicable') { $s.expected.exchangeOnlineNdr | Should -BeNullOrEmpty }
        }
    }

    It 'comes up from nothing' {
        $Up.ExitCode | Should -Be 0 -Because $Up.Output
        (Invoke-Lab status).ExitCode | Should -Be 0
    }

    It 'gives the namespace a resolv.conf that names the lab Unbound inside it' {
        $labResolv = Get-Content -Raw -Path /etc/netns/$Ns/resolv.conf
        $labResolv | Should -Match '(?m)^nameserver 127\.0\.0\.1$'
        $labResolv | Should -Not -Match '(?m)^nameserver (?!127\.0\.0\.1$)'
        $seen = Invoke-Lab exec cat /etc/resolv.conf
        $seen.Output.Trim() | Should -Be $labResolv.Trim()
        # the host's resolver configuration is untouched
        Get-Content -Raw -Path /etc/resolv.conf -ErrorAction SilentlyContinue | Should -Be $HostResolvConf
    }

    It 'runs every process it started inside the namespace (nothing listens or sends outside it)' {
        $nsInode = (& stat -L -c %i "/run/netns/$Ns")
        $procs = @(Get-LabProcessIds)
        $procs.Count | Should -BeGreaterThan 3
        foreach ($p in $procs) {
            (& stat -L -c %i "/proc/$p/ns/net" 2>$null) | Should -Be $nsInode -Because "process $p ($(Get-Content -Raw /proc/$p/cmdline -ErrorAction SilentlyContinue))"
        }
    }

    Context 'peer verdicts with the lab trust anchor' {
        BeforeAll {
            $script:Peers = Invoke-Lab peers
            $script:Report = Get-Content -Raw -Path (Join-Path $RunDir 'peer-verdicts.json') | ConvertFrom-Json
            Write-Host ($Peers.Output -split "`n" | Select-Object -Last 1)
        }

        It 'runs every peer for every scenario' {
            $Report.anchor | Should -Be 'good'
            $Report.scenarios.Count | Should -Be $ScenarioCases.Count
            $Report.checks | Should -BeGreaterThan (2 * $ScenarioCases.Count)
        }

        It '<Id>: delv, posttls-finger, the Postfix senders and mta-sts-query agree with the catalogue' -ForEach $ScenarioCases {
            $s = $Report.scenarios | Where-Object id -EQ $Id
            $s | Should -Not -BeNullOrEmpty
            $why = @($s.delv + $s.postTlsFinger + $s.mtaStsQuery | Where-Object { -not $_.match } |
                ForEach-Object { "$($_.name)$($_.args) expected '$($_.expect)' observed '$($_.observed)'" })
            if (-not $s.postfixSender.match) { $why += "postfix sender: $($s.postfixSender.observed | ConvertTo-Json -Compress)" }
            if ($s.postfixStsSender -and -not $s.postfixStsSender.match) { $why += "postfix MTA-STS sender: $($s.postfixStsSender.observed | ConvertTo-Json -Compress)" }
            $s.match | Should -BeTrue -Because ($why -join '; ')
            $Peers.ExitCode | Should -Be 0
        }
    }

    Context 'peer verdicts with a wrong trust anchor' {
        BeforeAll {
            $script:Wrong = Invoke-Lab peers --wrong-anchor
            $script:WrongReport = Get-Content -Raw -Path (Join-Path $RunDir 'peer-verdicts-wrong-anchor.json') | ConvertFrom-Json
        }

        It 'no longer matches the catalogue' {
            $Wrong.ExitCode | Should -Be 3
            $WrongReport.anchor | Should -Be 'wrong'
            $WrongReport.allMatch | Should -BeFalse
        }

        It 'breaks every scenario whose catalogue expects a validated answer' {
            $validated = $WrongReport.scenarios | Where-Object { $_.delv | Where-Object expect -Match 'fully validated' }
            $validated.Count | Should -BeGreaterThan 0
            $validated | Where-Object match | ForEach-Object id | Should -BeNullOrEmpty
        }

        It 'restores the lab trust anchor afterwards' {
            (Invoke-Lab status).ExitCode | Should -Be 0
        }
    }

    Context 'taken down' {
        BeforeAll {
            $script:Started = @(Get-LabProcessIds) + @(& ip netns pids $Ns 2>$null | ForEach-Object { [int]$_ })
            $script:DownWatch = [Diagnostics.Stopwatch]::StartNew()
            $script:Down = Invoke-Lab down
            $script:DownWatch.Stop()
            Write-Host "lab.sh down: $([math]::Round($script:DownWatch.Elapsed.TotalSeconds, 1)) s"
        }

        It 'stops' {
            $Down.ExitCode | Should -Be 0 -Because $Down.Output
            $Started.Count | Should -BeGreaterThan 5
        }

        It 'leaves no process it started' {
            $deadline = (Get-Date).AddSeconds(10)
            do {
                $alive = @($Started | Where-Object { Test-ProcessAlive $_ }) + @(Get-LabProcessIds | Where-Object { Test-ProcessAlive $_ })
                if ($alive.Count -eq 0) { break }
                Start-Sleep -Milliseconds 200
            } while ((Get-Date) -lt $deadline)
            $alive | Should -BeNullOrEmpty
        }

        It 'leaves no namespace' {
            @(& ip netns list) -match "^$Ns( |$)" | Should -BeNullOrEmpty
            Test-Path /run/netns/$Ns | Should -BeFalse
            Test-Path /etc/netns/$Ns | Should -BeFalse
            Test-Path /run/$Ns.owner | Should -BeFalse
        }

        It 'leaves no mount' {
            (Get-LabMounts) -join "`n" | Should -Be ($MountsBefore -join "`n")
        }

        It 'is idempotent' {
            (Invoke-Lab down).ExitCode | Should -Be 0
            (Invoke-Lab status).ExitCode | Should -Not -Be 0
        }
    }
}
