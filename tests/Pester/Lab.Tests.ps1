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

        function Invoke-Lab {
            param([Parameter(ValueFromRemainingArguments)][string[]] $Arguments)
            $output = & bash $script:LabSh @Arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
        }

        function Get-LabMounts {
            @(Get-Content /proc/mounts | Where-Object { $_ -match 'netns|danelab' })
        }

        function Get-LabProcessIds {
            # processes whose command line names the lab's run directory or its proxy
            foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
                $cmdline = Get-Content -Raw -Path (Join-Path $dir.FullName 'cmdline') -ErrorAction SilentlyContinue
                if ($cmdline -and ($cmdline.Contains($script:RunDir) -or $cmdline.Contains('starttls_strip.py'))) {
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
        $null = Invoke-Lab down
        $script:MountsBefore = Get-LabMounts
        $script:UpWatch = [Diagnostics.Stopwatch]::StartNew()
        $script:Up = Invoke-Lab up
        $script:UpWatch.Stop()
        Write-Host "lab.sh up: $([math]::Round($script:UpWatch.Elapsed.TotalSeconds, 1)) s"
    }

    AfterAll {
        $null = Invoke-Lab down
    }

    It 'comes up from nothing' {
        $Up.ExitCode | Should -Be 0 -Because $Up.Output
        (Invoke-Lab status).ExitCode | Should -Be 0
    }

    It 'gives the namespace a resolv.conf that names the lab Unbound inside it' {
        $labResolv = Get-Content -Raw -Path /etc/netns/danelab/resolv.conf
        $labResolv | Should -Match '(?m)^nameserver 127\.0\.0\.1$'
        $labResolv | Should -Not -Match '(?m)^nameserver (?!127\.0\.0\.1$)'
        $seen = Invoke-Lab exec cat /etc/resolv.conf
        $seen.Output.Trim() | Should -Be $labResolv.Trim()
        # the host's resolver configuration is untouched
        Get-Content -Raw -Path /etc/resolv.conf -ErrorAction SilentlyContinue | Should -Be $HostResolvConf
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

        It '<Id>: delv, posttls-finger and the Postfix DANE sender agree with the catalogue' -ForEach $ScenarioCases {
            $s = $Report.scenarios | Where-Object id -EQ $Id
            $s | Should -Not -BeNullOrEmpty
            $why = @($s.delv + $s.postTlsFinger | Where-Object { -not $_.match } |
                ForEach-Object { "$($_.name)$($_.args) expected '$($_.expect)' observed '$($_.observed)'" })
            if (-not $s.postfixSender.match) { $why += "postfix sender: $($s.postfixSender.observed | ConvertTo-Json -Compress)" }
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
            $script:Started = @(Get-LabProcessIds) + @(& ip netns pids danelab 2>$null | ForEach-Object { [int]$_ })
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
            (& ip netns list) -match 'danelab' | Should -BeNullOrEmpty
            Test-Path /run/netns/danelab | Should -BeFalse
            Test-Path /etc/netns/danelab | Should -BeFalse
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
