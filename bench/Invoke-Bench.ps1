#requires -Version 7.4
<#
.SYNOPSIS
    The DaneTools benchmark (build.ps1 -Task Bench): Test-DaneDomain on generated lab domains beside dnsperf and
    posttls-finger, in one run. Not a test: it prints figures and exits 0 when a target is missed (MISSED); it
    fails only when it cannot run.
.DESCRIPTION
    1. Brings up the lab (tests/lab/lab.sh up) with DANELAB_BENCH_DOMAINS=N and DANELAB_BENCH_FULL=M: N signed
       zones d00000.bench .. under the TLD bench. (MX, A, TLSA each) and, for the first M, a Postfix smtpd listener
       whose certificate matches its TLSA record. The lab's run directory is out/bench/lab (the normal lab's
       tests/lab/run is left alone); the namespace is DANELAB_NS (default danelab).
    2. Calibration: Unbound logs the queries of Test-DaneDomain -DnsOnly for one domain (cold cache); they become
       the per-domain query template fed to dnsperf, so both ask the same questions per domain.
    3. Test-DaneDomain -DnsOnly over N/4, N/2 and N domains, each in a fresh pwsh process with a cold Unbound
       (unbound-control reload): domains per second, queries per domain (Unbound total.num.queries), peak
       memory (VmHWM).
    4. dnsperf over the same N domains' queries, cold Unbound: domains per second.
    5. Test-DaneDomain (full, SMTP) over M domains vs posttls-finger, 16 in parallel, cold Unbound each.
    6. The full check once more with -SkipMtaSts (what MTA-STS/TLS-RPT discovery costs).
    7. Cold start (Measure-ColdStart.ps1): Import-Module and the first Test-DaneDomain in 10 fresh pwsh processes,
       beside posttls-finger's time for the same domain (medians).
    8. Wide area (skipped below 50 full-check domains unless -Wide or DANETOOLS_BENCH_WIDE=1): the full check at its
       defaults (-ThrottleLimit 64) and at -ThrottleLimit 128, and posttls-finger x16, over the same M domains with every authoritative
       answer delayed 40 +- 10 ms (tests/lab/dns_delay.py in front of NSD), ~5% slow banners (tests/lab/smtp_slow.py)
       and ~3% MX hosts whose SYNs are dropped (a policy route to an empty bridge); undone afterwards.
    9. Prints the table and the ratios; writes out/bench/results.json.
    With -MemoryDomains K (more than N; DANETOOLS_BENCH_MEMORY_DOMAINS) the lab also holds K-N bulk names
    (tests/lab/bench_gen.py, DANELAB_BENCH_BULK) and step 3b measures Test-DaneDomain -DnsOnly's peak memory over
    K/4, K/2 and K domains (the N zones first, then bulk names); -MemoryOnly stops after 3b (no steps 4-8).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Domains = 10000,
    [int] $FullDomains = 200,
    # Test-DaneDomain's -ThrottleLimit in every row but the wide-area one at $WideThrottleLimit; 0: the cmdlet's default (64).
    [int] $ThrottleLimit = 0,
    [int] $PosttlsParallel = 16,
    [int] $DnsperfOutstanding = 100,
    [string] $Namespace = $(if ($env:DANELAB_NS) { $env:DANELAB_NS } else { 'danelab' }),
    [string] $OutDir = (Join-Path $Root 'out/bench'),
    [switch] $KeepLab,
    # Rounds of each comparison pair (ours, reference); the medians are reported. The machine may be shared.
    [int] $Repeat = $(if ($env:DANETOOLS_BENCH_REPEAT) { [int]$env:DANETOOLS_BENCH_REPEAT } else { 1 }),
    # Fresh processes for the cold-start figure (medians reported).
    [int] $ColdStartRuns = 10,
    # The wide-area mode (delayed authoritative answers, slow banners, dropped SYNs) even below $WideMinFull full-check
    # domains, where it is skipped; DANETOOLS_BENCH_WIDE=1 does the same, =0 skips it.
    [switch] $Wide,
    # Wide-area mode: -ThrottleLimit of the second Test-DaneDomain run (the first uses the cmdlet's default).
    [int] $WideThrottleLimit = 128,
    # Memory at scale (issue 20: < 300 MB at 100,000 domains): DNS-only runs over K/4, K/2, K distinct domains, the N
    # bench zones then K-N bulk names (cheap to generate: 10,000 names per signed zone). 0 = off.
    [int] $MemoryDomains = $(if ($env:DANETOOLS_BENCH_MEMORY_DOMAINS) { [int]$env:DANETOOLS_BENCH_MEMORY_DOMAINS } else { 0 }),
    # Only the DNS-only rows (step 3) and the memory runs (3b): no warm row, dnsperf, full check, cold start or wide area.
    [switch] $MemoryOnly = $($env:DANETOOLS_BENCH_MEMORY_ONLY -eq '1')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

$Targets = @{ DnsOnlyVsDnsperf = 0.8; FullVsPosttls = 2.0; PeakMemoryMb10k = 200; PeakMemoryMb100k = 300; FlatGrowthMb = 30; ColdStartMs = 150; WideVsPosttls = 4.0 }
# Below this many full-check domains (CI's tiny run) the wide-area mode is skipped unless forced: one dead host's 10 s
# timeout per tool would be the whole figure.
$WideMinFull = 50
$ThrottleText = if ($ThrottleLimit -gt 0) { "ThrottleLimit $ThrottleLimit" } else { "ThrottleLimit at the cmdlet's default" }

if ($Domains -lt 1) { throw "BenchDomains must be at least 1 (got $Domains)." }
if ($FullDomains -lt 1 -or $FullDomains -gt $Domains) { throw "BenchFullDomains must be 1..$Domains (got $FullDomains)." }
if ((id -u) -ne '0') { throw 'The benchmark runs the lab: run it as root.' }
$manifestPsd = Join-Path $ModulePath 'DaneTools.psd1'
if (-not (Test-Path $manifestPsd)) { throw "Built module not found at ${ModulePath}: run build.ps1 -Task Build first." }

$LabSh = Join-Path $Root 'tests/lab/lab.sh'
$Run = Join-Path $OutDir 'lab'
$Work = Join-Path $OutDir 'work'
New-Item -ItemType Directory -Force -Path $OutDir, $Work | Out-Null

# The run with the median DomainsPerSecond (the lower middle one for an even count).
function Get-Median([object[]] $Runs) {
    $sorted = @($Runs | Sort-Object DomainsPerSecond)
    $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)]
}

function Write-Step([string] $Text) { Write-Host ("[bench {0:HH:mm:ss}] {1}" -f (Get-Date), $Text) }

function Invoke-Checked {
    param([string] $File, [string[]] $Arguments, [switch] $Quiet)
    $out = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed ($LASTEXITCODE): $($out -join "`n")" }
    if (-not $Quiet) { $out }
}

function Invoke-InLab {
    param([string[]] $Command, [switch] $Quiet)
    Invoke-Checked ip (@('netns', 'exec', $Namespace) + $Command) -Quiet:$Quiet
}

# ------------------------------------------------------------------ lab
$env:DANELAB_NS = $Namespace
$env:DANELAB_RUN = $Run
$env:DANELAB_BENCH_DOMAINS = "$Domains"
$env:DANELAB_BENCH_FULL = "$FullDomains"
$env:DANELAB_BENCH_BULK = "$([Math]::Max(0, $MemoryDomains - $Domains))"
Write-Step "lab up: namespace $Namespace, $Domains bench domains ($FullDomains with SMTP), run directory $Run"
$labWatch = [Diagnostics.Stopwatch]::StartNew()
& bash $LabSh up
if ($LASTEXITCODE -ne 0) { throw "lab.sh up failed ($LASTEXITCODE)." }
$labSeconds = $labWatch.Elapsed.TotalSeconds
Write-Step ("lab ready in {0:n1} s" -f $labSeconds)

$results = $null
$loadStart = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
try {
    $manifest = Get-Content -Raw (Join-Path $Run 'lab-manifest.json') | ConvertFrom-Json
    if (-not ($manifest.PSObject.Properties.Name -contains 'bench') -or $manifest.bench.domains -ne $Domains) {
        throw "The lab in $Run has no bench zones for N=$Domains (lab.sh did not regenerate?)."
    }
    $unboundConf = $manifest.bench.unboundConf
    $anchor = Join-Path $Run 'unbound/active.anchor'
    $unboundLog = Join-Path $Run 'logs/unbound.log'
    $pwsh = (Get-Process -Id $PID).Path   # the dotnet host running pwsh: children run the same PowerShell
    $pwshArgs = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @('pwsh') } else { @() }

    function Invoke-UnboundControl([string[]] $Arguments) {
        Invoke-InLab (@('unbound-control', '-c', $unboundConf) + $Arguments)
    }

    function Get-UnboundStats {
        $stats = @{}
        foreach ($line in (Invoke-UnboundControl @('stats_noreset'))) {
            if ("$line" -match '^([^=]+)=(.*)$') { $stats[$Matches[1]] = $Matches[2] }
        }
        $stats
    }

    # CPU seconds Unbound has used (utime + stime from /proc/<pid>/stat): the resolver shares the CPUs with the client.
    function Get-UnboundCpu {
        $unboundPid = (Get-Content (Join-Path $Run 'pids/unbound.pid') -Raw).Trim()
        $fields = ((Get-Content "/proc/$unboundPid/stat" -Raw) -replace '^.*\) ', '') -split ' '
        ([double]$fields[11] + [double]$fields[12]) / 100   # fields 14 and 15 of stat(5), in clock ticks (USER_HZ 100)
    }

    # Children's CPU from bash's `times` (second line: user and system time of the children).
    function ConvertFrom-Times([string[]] $Lines) {
        $line = @($Lines | Where-Object { "$_" -match '^\d+m[\d.]+s \d+m[\d.]+s$' })[-1]
        $total = 0.0
        foreach ($m in [regex]::Matches($line, '(\d+)m([\d.]+)s')) { $total += 60 * [double]$m.Groups[1].Value + [double]$m.Groups[2].Value }
        $total
    }

    function Reset-Unbound {
        # reload empties every cache (messages, RRsets, keys, infrastructure) and the statistics: a cold resolver
        Invoke-UnboundControl @('reload') | Out-Null
        $end = (Get-Date).AddSeconds(20)
        while ($true) {
            & ip netns exec $Namespace unbound-control -c $unboundConf status *> $null
            if ($LASTEXITCODE -eq 0) { break }
            if ((Get-Date) -gt $end) { throw 'Unbound did not come back after reload.' }
            Start-Sleep -Milliseconds 100
        }
    }

    function Invoke-Measure {
        param([int] $Count, [switch] $DnsOnly, [int] $Warmup = 0, [switch] $SkipMtaSts, [int] $Throttle = $ThrottleLimit, [int] $Real = -1)
        # 0: not passed, the cmdlet's default (Measure-DaneDomain.ps1 reports the limit in effect).
        # Each measured pwsh gets an empty cache folder: PowerShell replays the previous process's multicore-JIT
        # profile (~/.cache/powershell/StartupProfileData-NonInteractive) on a background thread, which after a long
        # run compiles thousands of methods during the next one and adds 20-40 MB to its peak, depending on which
        # process happened to exit last.
        $cache = Join-Path $Work ("cache-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $cache | Out-Null
        $a = @('netns', 'exec', $Namespace, 'env', "XDG_CACHE_HOME=$cache", $pwsh) + $pwshArgs + @('-NoProfile', '-NonInteractive', '-File',
            (Join-Path $PSScriptRoot 'Measure-DaneDomain.ps1'), '-ModulePath', $manifestPsd, '-Count', "$Count",
            '-TrustAnchor', $anchor, '-ThrottleLimit', "$Throttle", '-UnboundPidFile', (Join-Path $Run 'pids/unbound.pid'))
        if ($DnsOnly) { $a += '-DnsOnly' }
        if ($Real -ge 0) { $a += @('-RealDomains', "$Real") }
        if ($SkipMtaSts) { $a += '-SkipMtaSts' }
        if ($Warmup -gt 0) { $a += @('-Warmup', "$Warmup", '-UnboundConf', $unboundConf) }
        $before = Get-UnboundStats
        $watch = [Diagnostics.Stopwatch]::StartNew()
        try { $out = Invoke-Checked ip $a }
        finally { Remove-Item -Recurse -Force $cache -ErrorAction Ignore }
        $wall = $watch.Elapsed.TotalSeconds
        $after = Get-UnboundStats
        $json = @($out | Where-Object { "$_" -like '{*' })[-1]
        if (-not $json) { throw "Measure-DaneDomain.ps1 printed no result: $($out -join "`n")" }
        $m = $json | ConvertFrom-Json
        $queries = [long]$after['total.num.queries'] - [long]$before['total.num.queries']
        [pscustomobject]@{
            Count = $Count; ThrottleLimit = $m.throttleLimit; DnsOnly = [bool]$DnsOnly; SkipMtaSts = [bool]$SkipMtaSts; Warmup = $Warmup; Seconds = $m.seconds; ProcessSeconds = $wall
            DomainsPerSecond = $Count / $m.seconds; Queries = $queries; QueriesPerDomain = $queries / $Count
            PeakMb = $m.hwmKb / 1024; PeakAfterImportMb = $m.hwmAfterImportKb / 1024; RssMb = $m.rssKb / 1024
            ManagedHeapMb = $m.managedHeapBytes / 1MB; HeapAfterFullGcMb = $m.gcHeapAfterFullBytes / 1MB; RssAnonMb = $m.rssAnonKb / 1024; JitMethods = $m.jitMethods; AllocatedKbPerDomain = $m.allocatedBytes / 1KB / $Count; LockContentions = $m.lockContentions; Status = $m.status; Errors = $m.errors; Results = $m.results
            DomainMsMedian = $m.domainMsMedian; DomainMsP90 = $m.domainMsP90; DomainMsMax = $m.domainMsMax
            UnboundCpuMsPerDomain = 1000 * $m.unboundCpuSeconds / $Count; CpuSeconds = $m.cpuSeconds; CpuMsPerDomain = 1000 * $m.cpuSeconds / $Count; StartupCpuSeconds = $m.cpuStartupSeconds; GcCount = $m.gcCount
            UnboundCacheHits = [long]$after['total.num.cachehits'] - [long]$before['total.num.cachehits']
            UnboundCacheMiss = [long]$after['total.num.cachemiss'] - [long]$before['total.num.cachemiss']
            UnboundRecursionAvgMs = 1000 * [double]($after['total.recursion.time.avg'] ?? 0)
        }
    }

    # ------------------------------------------------------------------ 2. calibration
    Write-Step 'calibration: the queries of Test-DaneDomain -DnsOnly for one domain (Unbound log-queries)'
    Reset-Unbound
    $logStart = (Get-Item $unboundLog).Length
    Invoke-UnboundControl @('set_option', 'log-queries:', 'yes') | Out-Null
    $null = Invoke-Measure -Count 1 -DnsOnly
    Invoke-UnboundControl @('set_option', 'log-queries:', 'no') | Out-Null
    $fs = [IO.File]::Open($unboundLog, 'Open', 'Read', 'ReadWrite')
    try { $null = $fs.Seek($logStart, 'Begin'); $logText = [IO.StreamReader]::new($fs).ReadToEnd() } finally { $fs.Dispose() }
    $first = 'd00000.bench.'
    $shared = [Collections.Generic.List[string]]::new(); $perDomain = [Collections.Generic.List[string]]::new()
    foreach ($m in [regex]::Matches($logText, '(?m)info: 127\.0\.0\.1 (\S+) (\S+) IN$')) {
        $name = $m.Groups[1].Value; $type = $m.Groups[2].Value
        if ($name -eq $first -or $name.EndsWith(".$first")) { $perDomain.Add("$($name.Substring(0, $name.Length - $first.Length)){0} $type") }
        else { $shared.Add("$name $type") }
    }
    if ($perDomain.Count -eq 0) { throw "Calibration saw no query for $first in $unboundLog." }
    Write-Step "per domain: $($perDomain -replace '\{0\}', '<domain>.' -join ', '); shared once: $($shared -join ', ')"

    # ------------------------------------------------------------------ 3. DNS-only, N/4, N/2, N
    $sizes = @([Math]::Max(1, [int][Math]::Floor($Domains / 4)), [Math]::Max(1, [int][Math]::Floor($Domains / 2)), $Domains) | Select-Object -Unique
    $scale = foreach ($n in $sizes) {
        Reset-Unbound
        Write-Step "Test-DaneDomain -DnsOnly over $n domains (cold Unbound, $ThrottleText)"
        $r = Invoke-Measure -Count $n -DnsOnly
        Write-Step ("  {0:n1} domains/s, {1:n2} queries/domain, peak {2:n1} MB, statuses {3}" -f $r.DomainsPerSecond, $r.QueriesPerDomain, $r.PeakMb, ($r.Status | ConvertTo-Json -Compress))
        $r
    }
    $dnsOnly = $scale | Where-Object Count -EQ $Domains

    # ------------------------------------------------------------------ 3b. memory at scale (-MemoryDomains)
    $memScale = @()
    if ($MemoryDomains -gt $Domains) {
        if ($manifest.bench.bulk -ne $MemoryDomains - $Domains) { throw "The lab in $Run has $($manifest.bench.bulk) bulk names, not $($MemoryDomains - $Domains)." }
        $memSizes = @([int][Math]::Floor($MemoryDomains / 4), [int][Math]::Floor($MemoryDomains / 2), $MemoryDomains)
        if ($Domains -lt 10000 -and $MemoryDomains -gt 10000) { $memSizes = @(10000) + $memSizes }
        $memScale = @(foreach ($n in ($memSizes | Where-Object { $_ -gt $Domains } | Sort-Object -Unique)) {
            Reset-Unbound
            $real = [Math]::Min($n, $Domains)
            Write-Step "memory: Test-DaneDomain -DnsOnly over $n domains ($real bench zones, $($n - $real) bulk names; fresh process, cold Unbound)"
            $r = Invoke-Measure -Count $n -DnsOnly -Real $real
            $r | Add-Member -NotePropertyName RealZones -NotePropertyValue $real
            Write-Step ("  {0:n1} domains/s, {1:n2} queries/domain, peak {2:n1} MB, {3:n2} ms CPU/domain, statuses {4}" -f $r.DomainsPerSecond, $r.QueriesPerDomain, $r.PeakMb, $r.CpuMsPerDomain, ($r.Status | ConvertTo-Json -Compress))
            $r
        })
    }
    # Peak memory against issue 20's targets: at 10,000 and 100,000 domains (the runs of exactly that size), and flat growth
    # over the largest series (K/4 -> K with -MemoryDomains, else N/4 -> N).
    function Get-MemorySummary {
        $all = @($scale) + @($memScale)
        $at = { param($n) $all | Where-Object Count -EQ $n | Select-Object -First 1 }
        $r10 = & $at 10000; $r100 = & $at 100000
        $series = if ($memScale.Count -gt 0) { @($memScale | Where-Object { $_.Count -ge [Math]::Floor($MemoryDomains / 4) }) } else { @($scale) }
        $lo = $series[0]; $hi = $series[-1]
        [ordered]@{
            at10k = $(if ($r10) { [ordered]@{ domains = 10000; realZones = $(if ($r10.PSObject.Properties['RealZones']) { $r10.RealZones } else { 10000 }); peakMb = $r10.PeakMb; targetMb = $Targets.PeakMemoryMb10k; ratio = $r10.PeakMb / $Targets.PeakMemoryMb10k; met = $r10.PeakMb -lt $Targets.PeakMemoryMb10k } })
            at100k = $(if ($r100) { [ordered]@{ domains = 100000; realZones = $r100.RealZones; peakMb = $r100.PeakMb; targetMb = $Targets.PeakMemoryMb100k; ratio = $r100.PeakMb / $Targets.PeakMemoryMb100k; met = $r100.PeakMb -lt $Targets.PeakMemoryMb100k } })
            growth = [ordered]@{ fromDomains = $lo.Count; toDomains = $hi.Count; fromMb = $lo.PeakMb; toMb = $hi.PeakMb; growthMb = $hi.PeakMb - $lo.PeakMb; flatMb = $Targets.FlatGrowthMb; flat = ($hi.PeakMb - $lo.PeakMb) -le $Targets.FlatGrowthMb }
            runs = @($all | ForEach-Object { [ordered]@{ domains = $_.Count; realZones = $(if ($_.PSObject.Properties['RealZones']) { $_.RealZones } else { $_.Count }); peakMb = $_.PeakMb; afterImportMb = $_.PeakAfterImportMb; managedHeapMb = $_.ManagedHeapMb; cpuMsPerDomain = $_.CpuMsPerDomain; domainsPerSecond = $_.DomainsPerSecond; queriesPerDomain = $_.QueriesPerDomain; status = $_.Status } })
        }
    }
    function Write-MemorySummary($m) {
        function MarkM([bool] $ok) { if ($ok) { 'met' } else { 'MISSED' } }
        foreach ($k in 'at10k', 'at100k') {
            $v = $m[$k]
            $label = if ($k -eq 'at10k') { '10,000' } else { '100,000' }
            if ($v) { Write-Host ("Peak memory at {0} domains:  {1:n1} MB = {2:n2} of the target < {3} MB {4} (bench zones: {5})" -f $label, $v.peakMb, $v.ratio, $v.targetMb, (MarkM $v.met), $(if ($v.realZones -ge $v.domains) { 'all' } else { "$($v.realZones), the rest bulk names" })) }
            else { Write-Host "Peak memory at $label domains: not measured in this run (-BenchDomains 10000, -MemoryDomains 100000)" }
        }
        $g = $m.growth
        Write-Host ("Peak memory {0} -> {1} domains: {2:n1} -> {3:n1} MB (+{4:n1} MB; flat = at most +{5} MB) {6}" -f $g.fromDomains, $g.toDomains, $g.fromMb, $g.toMb, $g.growthMb, $g.flatMb, (MarkM $g.flat))
    }
    if ($MemoryOnly) {
        $mem = Get-MemorySummary
        Write-Host ''
        Write-Host "DaneTools benchmark (memory only): N=$Domains bench zones, K=$MemoryDomains domains, ThrottleLimit $ThrottleLimit, $([Environment]::ProcessorCount) CPUs, $(Get-Date -AsUTC -Format 'yyyy-MM-ddTHH:mm:ssZ')"
        Write-Host "Load average at start $($loadStart -join ' '), at end $(((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3) -join ' ')"
        @($scale) + @($memScale) | ForEach-Object { [pscustomobject]@{ Domains = $_.Count; 'Bench zones' = $(if ($_.PSObject.Properties['RealZones']) { $_.RealZones } else { $_.Count }); 'Peak MB' = '{0:n1}' -f $_.PeakMb
                'Heap MB' = '{0:n1}' -f $_.ManagedHeapMb; 'Heap after GC MB' = '{0:n1}' -f $_.HeapAfterFullGcMb; 'Anon RSS MB' = '{0:n1}' -f $_.RssAnonMb; 'Domains/s' = '{0:n1}' -f $_.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $_.QueriesPerDomain; 'CPU ms/domain' = '{0:n2}' -f $_.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $_.UnboundCpuMsPerDomain; 'Allocated KB/domain' = '{0:n0}' -f $_.AllocatedKbPerDomain } } |
            Format-Table -AutoSize | Out-String -Width 200 | Write-Host
        Write-MemorySummary $mem
        $results = [ordered]@{ timeUtc = (Get-Date).ToUniversalTime().ToString('o'); domains = $Domains; memoryDomains = $MemoryDomains; memoryOnly = $true
            throttleLimit = $ThrottleLimit; processors = [Environment]::ProcessorCount; labUpSeconds = $labSeconds
            loadAverageStart = $loadStart; loadAverageEnd = ((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)
            dnsOnly = $scale; memoryScale = $memScale; memory = $mem }
        $resultsFile = Join-Path $OutDir 'results.json'
        $results | ConvertTo-Json -Depth 8 | Set-Content -Path $resultsFile -Encoding utf8
        Write-Host "Results written to $resultsFile"
        return
    }
    # The same run in a process that has already checked some domains (JIT and type loading done), cold Unbound.
    $warmupDns = [Math]::Min($Domains, 250)
    Reset-Unbound
    Write-Step "Test-DaneDomain -DnsOnly over $Domains domains in a warm process (after $warmupDns domains; cold Unbound)"
    $dnsOnlyWarm = Invoke-Measure -Count $Domains -DnsOnly -Warmup $warmupDns
    Write-Step ("  {0:n1} domains/s, {1:n2} ms CPU/domain" -f $dnsOnlyWarm.DomainsPerSecond, $dnsOnlyWarm.CpuMsPerDomain)

    # ------------------------------------------------------------------ 4. dnsperf
    $queryFile = Join-Path $Work 'dnsperf-queries.txt'
    $sb = [Text.StringBuilder]::new()
    foreach ($q in $shared) { $null = $sb.AppendLine($q) }
    for ($i = 0; $i -lt $Domains; $i++) {
        $d = 'd{0:d5}.bench.' -f $i
        foreach ($t in $perDomain) { $null = $sb.AppendLine(($t -f $d)) }
    }
    [IO.File]::WriteAllText($queryFile, $sb.ToString())
    $dnsperfLines = $shared.Count + $perDomain.Count * $Domains
    function Invoke-Dnsperf {
    Reset-Unbound
    Write-Step "dnsperf over the same $Domains domains: $dnsperfLines queries (cold Unbound, DO bit, up to $DnsperfOutstanding outstanding)"
    $before = Get-UnboundStats
    $cpu0 = Get-UnboundCpu
    $perfOut = Invoke-InLab @('bash', '-c', "dnsperf -s 127.0.0.1 -d '$queryFile' -n 1 -D -q $DnsperfOutstanding -t 10 && times")
    $unboundCpu = (Get-UnboundCpu) - $cpu0
    $after = Get-UnboundStats
    $perfText = $perfOut -join "`n"
    function Get-PerfNumber([string] $Label) {
        if ($perfText -match "(?m)^\s*$([regex]::Escape($Label)):\s+([\d.]+)") { [double]$Matches[1] } else { throw "dnsperf printed no '$Label':`n$perfText" }
    }
    $perfCompleted = Get-PerfNumber 'Queries completed'
    $perfLost = Get-PerfNumber 'Queries lost'
    $perfSeconds = Get-PerfNumber 'Run time (s)'
    $perfQps = Get-PerfNumber 'Queries per second'
    $r = [pscustomobject]@{
        Queries = $dnsperfLines; Completed = $perfCompleted; Lost = $perfLost; Seconds = $perfSeconds; Qps = $perfQps
        QueriesPerDomain = $dnsperfLines / $Domains; DomainsPerSecond = $Domains / $perfSeconds
        ResponseCodes = ([regex]::Match($perfText, '(?m)^\s*Response codes:\s+(.*)$').Groups[1].Value)
        UnboundQueries = [long]$after['total.num.queries'] - [long]$before['total.num.queries']
        UnboundCpuMsPerDomain = 1000 * $unboundCpu / $Domains; ClientCpuMsPerDomain = 1000 * (ConvertFrom-Times $perfOut) / $Domains
        UnboundRecursionAvgMs = 1000 * [double]($after['total.recursion.time.avg'] ?? 0)
    }
    Write-Step ("  {0:n1} domains/s ({1:n0} q/s, {2} lost, {3})" -f $r.DomainsPerSecond, $r.Qps, $r.Lost, $r.ResponseCodes)
    $r
    }

    # Pairs (Test-DaneDomain -DnsOnly in a fresh process, dnsperf), -Repeat times; the medians are reported.
    $dnsPairs = @([pscustomobject]@{ Ours = $dnsOnly; Ref = (Invoke-Dnsperf) })
    for ($k = 2; $k -le $Repeat; $k++) {
        Reset-Unbound
        Write-Step "round $k of ${Repeat}: Test-DaneDomain -DnsOnly over $Domains domains"
        $o = Invoke-Measure -Count $Domains -DnsOnly
        Write-Step ("  {0:n1} domains/s" -f $o.DomainsPerSecond)
        $dnsPairs += [pscustomobject]@{ Ours = $o; Ref = (Invoke-Dnsperf) }
    }
    $dnsOnly = Get-Median @($dnsPairs.Ours)
    $dnsperf = Get-Median @($dnsPairs.Ref)

    # ------------------------------------------------------------------ 5. full check vs posttls-finger
    Write-Step "warming the $FullDomains SMTP listeners (one connection each, so neither side pays smtpd start-up)"
    Invoke-InLab @('python3', (Join-Path $Root 'tests/lab/peers.py'), '--check-listeners') -Quiet
    function Invoke-Full {
    Reset-Unbound
    Write-Step "Test-DaneDomain (full, SMTP) over $FullDomains domains (cold Unbound, $ThrottleText)"
    $r = Invoke-Measure -Count $FullDomains
    Write-Step ("  {0:n1} domains/s, statuses {1}" -f $r.DomainsPerSecond, ($r.Status | ConvertTo-Json -Compress))
    $r
    }
    Reset-Unbound
    Write-Step "Test-DaneDomain (full) over $FullDomains domains in a warm process (after one pass; cold Unbound)"
    $fullWarm = Invoke-Measure -Count $FullDomains -Warmup $FullDomains
    Write-Step ("  {0:n1} domains/s, {1:n2} ms CPU/domain" -f $fullWarm.DomainsPerSecond, $fullWarm.CpuMsPerDomain)

    $listFile = Join-Path $Work 'posttls-domains.txt'
    $ptfOutFile = Join-Path $Work 'posttls-finger.out'
    [IO.File]::WriteAllLines($listFile, [string[]]@(for ($i = 0; $i -lt $FullDomains; $i++) { 'd{0:d5}.bench' -f $i }))
    function Invoke-Posttls {
    Reset-Unbound
    Write-Step "posttls-finger -l dane over the same $FullDomains domains, $PosttlsParallel in parallel (cold Unbound)"
    $mailConfig = Join-Path $Run 'postfix-send'
    $script = "xargs -P $PosttlsParallel -n 1 posttls-finger -c -t 10 -T 10 -l dane < '$listFile' > '$ptfOutFile' 2>&1; times"
    $cpu0 = Get-UnboundCpu
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $ptfTimes = Invoke-InLab @('env', "MAIL_CONFIG=$mailConfig", 'bash', '-c', $script)
    $ptfSeconds = $watch.Elapsed.TotalSeconds
    $unboundCpu = (Get-UnboundCpu) - $cpu0
    $ptfText = Get-Content -Raw $ptfOutFile
    $r = [pscustomobject]@{
        Count = $FullDomains; Seconds = $ptfSeconds; DomainsPerSecond = $FullDomains / $ptfSeconds
        Verified = ([regex]::Matches($ptfText, 'Verified TLS connection established')).Count
        ClientCpuMsPerDomain = 1000 * (ConvertFrom-Times $ptfTimes) / $FullDomains; UnboundCpuMsPerDomain = 1000 * $unboundCpu / $FullDomains
    }
    Write-Step ("  {0:n1} domains/s, {1} of {2} Verified" -f $r.DomainsPerSecond, $r.Verified, $FullDomains)
    $r
    }

    $fullPairs = @()
    for ($k = 1; $k -le $Repeat; $k++) {
        if ($Repeat -gt 1) { Write-Step "round $k of ${Repeat}: full check and posttls-finger" }
        $fullPairs += [pscustomobject]@{ Ours = (Invoke-Full); Ref = (Invoke-Posttls) }
    }
    $full = Get-Median @($fullPairs.Ours)
    $posttls = Get-Median @($fullPairs.Ref)

    # The same full check without MTA-STS/TLS-RPT discovery (-SkipMtaSts): what those two TXT lookups per domain cost.
    Reset-Unbound
    Write-Step "Test-DaneDomain (full) -SkipMtaSts over $FullDomains domains (cold Unbound, $ThrottleText)"
    $fullSkip = Invoke-Measure -Count $FullDomains -SkipMtaSts
    Write-Step ("  {0:n1} domains/s, {1:n2} queries/domain" -f $fullSkip.DomainsPerSecond, $fullSkip.QueriesPerDomain)

    # ------------------------------------------------------------------ 5b. cold start
    # Fresh pwsh processes: Import-Module, then the first Test-DaneDomain (JIT or ReadyToRun code), beside posttls-finger
    # checking the same domain; Unbound is warm after the runs above, so the figures are the clients' own start-up.
    Write-Step "cold start: $ColdStartRuns fresh pwsh processes (Import-Module; Test-DaneDomain d00000.bench -SkipMtaSts), posttls-finger x$ColdStartRuns"
    $coldOut = Invoke-Checked $pwsh (@($pwshArgs) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Measure-ColdStart.ps1'),
        '-ModulePath', $manifestPsd, '-Domain', 'd00000.bench', '-TrustAnchor', $anchor, '-Namespace', $Namespace, '-Count', "$ColdStartRuns",
        '-MailConfig', (Join-Path $Run 'postfix-send'), '-WorkDir', $Work))
    $coldStart = @($coldOut | Where-Object { "$_" -like '{*' })[-1] | ConvertFrom-Json
    Write-Step ("  import {0:n0} ms + first domain {1:n0} ms = {2:n0} ms (medians; whole process {3:n0} ms); posttls-finger {4:n0} ms" -f
        $coldStart.importMsMedian, $coldStart.firstDomainMsMedian, $coldStart.importPlusFirstMsMedian, $coldStart.processMsMedian, $coldStart.posttlsFingerMsMedian)

    # ------------------------------------------------------------------ 5c. wide area
    # The same M domains through a slower world: every answer of the authoritative server delayed 40 +- 10 ms
    # (tests/lab/dns_delay.py on NSD's address, NSD moved behind it), ~5% of the MX hosts greeting after 3 s
    # (tests/lab/smtp_slow.py in place of their Postfix listener) and ~3% whose SYNs vanish (a policy route to an
    # interface without ports); Unbound cold for each run. Test-DaneDomain gives up on a probe after 10 s at its defaults
    # (-TimeoutSeconds 5, doubled for SMTP), posttls-finger after -t 10 (connect) / -T 10 (each command): equal timeouts.
    # Everything is undone afterwards (also on failure); lab.sh down would end it anyway (PID files in pids/, the namespace).
    $wideForce = $Wide -or $env:DANETOOLS_BENCH_WIDE -eq '1'
    $wideSkip = if ($env:DANETOOLS_BENCH_WIDE -eq '0' -and -not $Wide) { 'DANETOOLS_BENCH_WIDE=0' }
        elseif (-not $wideForce -and $FullDomains -lt $WideMinFull) { "M=$FullDomains < $WideMinFull full-check domains: the dead hosts' 10 s timeouts would be the whole figure (-Wide or DANETOOLS_BENCH_WIDE=1 runs it)" }
    $wideArea = $null
    if ($wideSkip) { Write-Step "wide-area mode skipped: $wideSkip" }
    else {
        $wideDir = Join-Path $Work 'wide'
        New-Item -ItemType Directory -Force -Path $wideDir | Out-Null
        $py = '/usr/bin/python3'   # Debian's, with python3-dnspython (as dns_strip.py)
        $nsIp = "$($manifest.nameServer)"
        $nsdHidden = '127.0.53.201'   # NSD's address while the delaying proxy holds its own
        $nsdConf = Join-Path $Run 'nsd/nsd.conf'
        $recvDir = Join-Path $Run 'postfix-recv'
        $masterCf = Join-Path $recvDir 'master.cf'
        $delayPid = Join-Path $Run 'pids/wide-dns-delay.pid'
        $slowPid = Join-Path $Run 'pids/wide-smtp-slow.pid'
        $wideTable = '4242'; $wideDev = 'benchwide0'
        # ~5% slow and ~3% dead hosts (at least one each), spread over the M domains, never the first (calibration, cold start).
        $slowCount = [Math]::Max(1, [int][Math]::Round($FullDomains * 0.05))
        $deadCount = [Math]::Max(1, [int][Math]::Round($FullDomains * 0.03))
        $slowIdx = @(for ($k = 0; $k -lt $slowCount; $k++) { 1 + [int][Math]::Floor(($k + 0.25) * ($FullDomains - 1) / $slowCount) }) | Select-Object -Unique
        $deadIdx = @(for ($k = 0; $k -lt $deadCount; $k++) {
                $c = 1 + [int][Math]::Floor(($k + 0.75) * ($FullDomains - 1) / $deadCount)
                while ($c -in $slowIdx -and $c -lt $FullDomains - 1) { $c++ }   # a host is slow or dead, not both
                $c
            }) | Where-Object { $_ -notin $slowIdx } | Select-Object -Unique
        function Get-MxAddress([int] $i) {
            $h = 'mx.d{0:d5}.bench' -f $i
            @($manifest.listeners | Where-Object host -EQ $h)[0].address
        }
        $slowPairs = @(foreach ($i in $slowIdx) { $a = Get-MxAddress $i; [pscustomobject]@{ Listen = $a; Backend = ($a -replace '^127\.1\.', '127.9.') } })
        $deadAddrs = @(foreach ($i in $deadIdx) { Get-MxAddress $i })

        function Wait-Until([scriptblock] $Condition, [int] $Seconds, [string] $What) {
            $end = (Get-Date).AddSeconds($Seconds)
            while (-not (& $Condition)) {
                if ((Get-Date) -gt $end) { throw "wide-area mode: $What" }
                Start-Sleep -Milliseconds 100
            }
        }
        function Test-Dig([string] $Server) {
            & ip netns exec $Namespace dig +time=1 +tries=1 +norec "@$Server" . SOA *> $null
            $LASTEXITCODE -eq 0
        }
        function Test-Tcp([string] $Address) {
            & ip netns exec $Namespace $py -c "import socket,sys; socket.create_connection((sys.argv[1], 25), timeout=1).close()" $Address *> $null
            $LASTEXITCODE -eq 0
        }
        function Stop-PidFile([string] $File) {
            if (-not (Test-Path $File)) { return }
            $p = (Get-Content $File -Raw).Trim()
            if ($p -match '^\d+$' -and (Test-Path "/proc/$p")) {
                & kill -TERM $p 2>$null
                $end = (Get-Date).AddSeconds(10)
                while ((Test-Path "/proc/$p") -and (Get-Date) -lt $end) { Start-Sleep -Milliseconds 50 }
            }
            Remove-Item -Force $File -ErrorAction Ignore
        }
        function Start-NsdWith([string] $Conf) {
            Stop-PidFile (Join-Path $Run 'pids/nsd.pid')
            Invoke-InLab @('nsd', '-c', $Conf) -Quiet
        }
        $undo = [Collections.Generic.List[scriptblock]]::new()
        try {
            Write-Step ("wide area: authoritative answers +40 +- 10 ms (proxy on {0}, NSD moved to {1}); slow banner 3 s: {2}; SYNs dropped: {3}" -f
                $nsIp, $nsdHidden, ($slowPairs.Listen -join ' '), ($deadAddrs -join ' '))
            # 1. NSD behind the delaying proxy
            $wideNsdConf = Join-Path $wideDir 'nsd.conf'
            (Get-Content -Raw $nsdConf) -replace "(?m)^([ \t]*ip-address:[ \t]*)$([regex]::Escape($nsIp))[ \t]*$", "`${1}$nsdHidden" | Set-Content -NoNewline $wideNsdConf
            if ((Get-Content -Raw $wideNsdConf) -notmatch [regex]::Escape($nsdHidden)) { throw "wide-area mode: no 'ip-address: $nsIp' in $nsdConf" }
            $undo.Add({ Start-NsdWith $nsdConf; Wait-Until { Test-Dig $nsIp } 30 'NSD did not come back on its address' })
            Start-NsdWith $wideNsdConf
            Wait-Until { Test-Dig $nsdHidden } 30 "NSD did not answer on $nsdHidden"
            $undo.Add({ Stop-PidFile $delayPid })
            Invoke-InLab @('bash', '-c', "setsid $py '$(Join-Path $Root 'tests/lab/dns_delay.py')' --pidfile '$delayPid' --listen $nsIp --upstream $nsdHidden --delay-ms 40 --jitter-ms 10 </dev/null >>'$(Join-Path $Run 'logs/wide-dns-delay.log')' 2>&1 &") -Quiet
            Wait-Until { (Test-Path $delayPid) -and (Test-Dig $nsIp) } 30 'the delaying DNS proxy did not answer'
            # 2. slow banners: the host's Postfix listener moves to 127.9.x.y, the slow listener takes its address
            $masterOrig = Get-Content -Raw $masterCf
            $masterWide = $masterOrig
            foreach ($p in $slowPairs) { $masterWide = $masterWide -replace "(?m)^$([regex]::Escape($p.Listen)):25 ", "$($p.Backend):25 " }
            $undo.Add({ Stop-PidFile $slowPid; Set-Content -NoNewline -Path $masterCf -Value $masterOrig; Invoke-InLab @('postfix', '-c', $recvDir, 'reload') -Quiet
                foreach ($p in $slowPairs) { Wait-Until { Test-Tcp $p.Listen } 30 "Postfix did not listen on $($p.Listen) again" } })
            Set-Content -NoNewline -Path $masterCf -Value $masterWide
            Invoke-InLab @('postfix', '-c', $recvDir, 'reload') -Quiet
            foreach ($p in $slowPairs) { Wait-Until { Test-Tcp $p.Backend } 30 "Postfix did not listen on $($p.Backend)" }
            $pairArgs = ($slowPairs | ForEach-Object { "$($_.Listen):25=$($_.Backend):25" }) -join ' '
            # the old listening sockets close when master(8) has re-read master.cf: retry the bind until then
            Wait-Until {
                if (-not (Test-Path $slowPid)) {
                    & ip netns exec $Namespace bash -c "setsid $py '$(Join-Path $Root 'tests/lab/smtp_slow.py')' --pidfile '$slowPid' --wait-seconds 3 $pairArgs </dev/null >>'$(Join-Path $Run 'logs/wide-smtp-slow.log')' 2>&1 &"
                    Start-Sleep -Milliseconds 500
                }
                Test-Path $slowPid
            } 30 'the slow-banner listener did not start'
            # 3. dropped SYNs: a route (looked up before the local table) to an interface that carries nothing
            $undo.Add({
                foreach ($c in @(@('ip', 'rule', 'del', 'pref', '10'), @('ip', 'rule', 'add', 'pref', '0', 'lookup', 'local'), @('ip', 'rule', 'del', 'pref', '100'),
                        @('ip', 'route', 'flush', 'table', $wideTable), @('ip', 'link', 'del', $wideDev))) {
                    & ip netns exec $Namespace @c 2>$null
                }
            })
            foreach ($c in @(@('ip', 'link', 'add', $wideDev, 'type', 'bridge'), @('ip', 'link', 'set', $wideDev, 'arp', 'off', 'up'),
                    @('ip', 'addr', 'add', '192.0.2.1/32', 'dev', $wideDev), @('ip', 'rule', 'add', 'pref', '100', 'lookup', 'local'),
                    @('ip', 'rule', 'del', 'pref', '0'), @('ip', 'rule', 'add', 'pref', '10', 'lookup', $wideTable))) {
                Invoke-InLab $c -Quiet
            }
            foreach ($a in $deadAddrs) { Invoke-InLab @('ip', 'route', 'add', "$a/32", 'dev', $wideDev, 'src', '192.0.2.1', 'table', $wideTable) -Quiet }

            $wideRuns = [ordered]@{}
            foreach ($tl in @($ThrottleLimit, $WideThrottleLimit)) {
                Reset-Unbound
                Write-Step "wide area: Test-DaneDomain (full) over $FullDomains domains (cold Unbound, $(if ($tl -gt 0) { "ThrottleLimit $tl" } else { "ThrottleLimit at the cmdlet's default" }))"
                $r = Invoke-Measure -Count $FullDomains -Throttle $tl
                Write-Step ("  {0:n1} domains/s, {1:n1} s (process {2:n1} s), slowest domain {3:n0} ms, statuses {4}" -f
                    $r.DomainsPerSecond, $r.Seconds, $r.ProcessSeconds, $r.DomainMsMax, ($r.Status | ConvertTo-Json -Compress))
                $wideRuns["throttle$tl"] = $r
            }
            $widePtf = Invoke-Posttls
            # All N domains, DNS only, at the defaults: the time a run of that size takes to finish through this world
            # (every domain is DNS work; only the first M have SMTP listeners), beside dnsperf over the same queries.
            Reset-Unbound
            Write-Step "wide area: Test-DaneDomain -DnsOnly over all $Domains domains (cold Unbound, $ThrottleText)"
            $wideDns = Invoke-Measure -Count $Domains -DnsOnly
            Write-Step ("  {0:n1} domains/s, finished in {1:n1} s (process {2:n1} s), peak {3:n1} MB" -f $wideDns.DomainsPerSecond, $wideDns.Seconds, $wideDns.ProcessSeconds, $wideDns.PeakMb)
            $wideDnsperf = Invoke-Dnsperf
            $wideOurs = $wideRuns["throttle$ThrottleLimit"]
            $wideWide = $wideRuns["throttle$WideThrottleLimit"]
            $wideArea = [ordered]@{
                delayMs = 40; jitterMs = 10; bannerWaitSeconds = 3; probeTimeoutSeconds = 10; posttlsFingerTimeouts = '-t 10 -T 10'
                slowHosts = @($slowPairs.Listen); deadHosts = $deadAddrs
                testDaneDomain = $wideOurs; testDaneDomainWide = $wideWide; posttlsFinger = $widePtf
                dnsOnlyAllDomains = $wideDns; dnsperf = $wideDnsperf; ratioDnsOnly = $wideDns.DomainsPerSecond / $wideDnsperf.DomainsPerSecond
                ratio = $wideOurs.DomainsPerSecond / $widePtf.DomainsPerSecond
                ratioWideThrottle = $wideWide.DomainsPerSecond / $widePtf.DomainsPerSecond
                target = $Targets.WideVsPosttls
            }
            $wideArea.met = $wideArea.ratio -ge $Targets.WideVsPosttls
        }
        finally {
            Write-Step 'wide area: restoring NSD, the Postfix listeners and the routes'
            $failed = @()
            for ($k = $undo.Count - 1; $k -ge 0; $k--) {
                try { & $undo[$k] } catch { $failed += "$_" }
            }
            if ($failed) { Write-Warning "wide-area mode: not everything was undone (lab.sh down ends the rest): $($failed -join '; ')" }
        }
    }

    # ------------------------------------------------------------------ 6. report
    $ratioDns = $dnsOnly.DomainsPerSecond / $dnsperf.DomainsPerSecond
    $ratioFull = $full.DomainsPerSecond / $posttls.DomainsPerSecond
    $ratioDnsWarm = $dnsOnlyWarm.DomainsPerSecond / $dnsperf.DomainsPerSecond
    $ratioFullWarm = $fullWarm.DomainsPerSecond / $posttls.DomainsPerSecond
    $loadEnd = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
    $smallest = $scale | Select-Object -First 1
    $largest = $scale | Select-Object -Last 1
    $growthMb = $largest.PeakMb - $smallest.PeakMb
    $flat = $growthMb -le $Targets.FlatGrowthMb
    $under = if ($Domains -ge 10000) { $largest.PeakMb -lt $Targets.PeakMemoryMb10k } else { $null }
    function Mark([bool] $ok) { if ($ok) { 'met' } else { 'MISSED' } }

    Write-Host ''
    Write-Host "DaneTools benchmark: N=$Domains DNS-only, M=$FullDomains full, ThrottleLimit $($dnsOnly.ThrottleLimit)$(if ($ThrottleLimit -le 0) { " (the cmdlet's default)" }), $([Environment]::ProcessorCount) CPUs, $(Get-Date -AsUTC -Format 'yyyy-MM-ddTHH:mm:ssZ')"
    Write-Host "Load average at start $($loadStart -join ' '), at end $($loadEnd -join ' ') (other work on the machine skews every figure)"
    Write-Host 'Each Test-DaneDomain row is a fresh pwsh process (JIT included) unless marked warm; every row starts with a cold Unbound.'
    Write-Host 'CPU ms/domain: the client (Test-DaneDomain after module import; dnsperf; all posttls-finger processes); Unbound: the resolver, same CPUs.' 
    $rows = @(
        foreach ($r in $scale) {
            [pscustomobject]@{ Workload = "Test-DaneDomain -DnsOnly"; Domains = $r.Count; Seconds = '{0:n2}' -f $r.Seconds
                'Domains/s' = '{0:n1}' -f $r.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $r.QueriesPerDomain; 'Peak MB' = '{0:n1}' -f $r.PeakMb; 'CPU ms/domain' = '{0:n2}' -f $r.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $r.UnboundCpuMsPerDomain }
        }
        if ($Repeat -gt 1) {
            [pscustomobject]@{ Workload = "Test-DaneDomain -DnsOnly, median of $Repeat"; Domains = $Domains; Seconds = '{0:n2}' -f $dnsOnly.Seconds
                'Domains/s' = '{0:n1}' -f $dnsOnly.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $dnsOnly.QueriesPerDomain; 'Peak MB' = '{0:n1}' -f $dnsOnly.PeakMb
                'CPU ms/domain' = '{0:n2}' -f $dnsOnly.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $dnsOnly.UnboundCpuMsPerDomain }
        }
        [pscustomobject]@{ Workload = "Test-DaneDomain -DnsOnly, warm"; Domains = $Domains; Seconds = '{0:n2}' -f $dnsOnlyWarm.Seconds
            'Domains/s' = '{0:n1}' -f $dnsOnlyWarm.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $dnsOnlyWarm.QueriesPerDomain; 'Peak MB' = '{0:n1}' -f $dnsOnlyWarm.PeakMb; 'CPU ms/domain' = '{0:n2}' -f $dnsOnlyWarm.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $dnsOnlyWarm.UnboundCpuMsPerDomain }
        [pscustomobject]@{ Workload = $(if ($Repeat -gt 1) { "dnsperf, median of $Repeat" } else { 'dnsperf (cold Unbound)' }); Domains = $Domains; Seconds = '{0:n2}' -f $dnsperf.Seconds
            'Domains/s' = '{0:n1}' -f $dnsperf.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $dnsperf.QueriesPerDomain; 'Peak MB' = ''; 'CPU ms/domain' = '{0:n2}' -f $dnsperf.ClientCpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $dnsperf.UnboundCpuMsPerDomain }
        [pscustomobject]@{ Workload = $(if ($Repeat -gt 1) { "Test-DaneDomain (full), median of $Repeat" } else { 'Test-DaneDomain (full, SMTP)' }); Domains = $FullDomains; Seconds = '{0:n2}' -f $full.Seconds
            'Domains/s' = '{0:n1}' -f $full.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $full.QueriesPerDomain; 'Peak MB' = '{0:n1}' -f $full.PeakMb; 'CPU ms/domain' = '{0:n2}' -f $full.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $full.UnboundCpuMsPerDomain }
        [pscustomobject]@{ Workload = "Test-DaneDomain (full) -SkipMtaSts"; Domains = $FullDomains; Seconds = '{0:n2}' -f $fullSkip.Seconds
            'Domains/s' = '{0:n1}' -f $fullSkip.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $fullSkip.QueriesPerDomain; 'Peak MB' = '{0:n1}' -f $fullSkip.PeakMb; 'CPU ms/domain' = '{0:n2}' -f $fullSkip.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $fullSkip.UnboundCpuMsPerDomain }
        [pscustomobject]@{ Workload = "Test-DaneDomain (full), warm"; Domains = $FullDomains; Seconds = '{0:n2}' -f $fullWarm.Seconds
            'Domains/s' = '{0:n1}' -f $fullWarm.DomainsPerSecond; 'Queries/domain' = '{0:n2}' -f $fullWarm.QueriesPerDomain; 'Peak MB' = '{0:n1}' -f $fullWarm.PeakMb; 'CPU ms/domain' = '{0:n2}' -f $fullWarm.CpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $fullWarm.UnboundCpuMsPerDomain }
        [pscustomobject]@{ Workload = "posttls-finger x$PosttlsParallel$(if ($Repeat -gt 1) { ", median of $Repeat" })"; Domains = $FullDomains; Seconds = '{0:n2}' -f $posttls.Seconds
            'Domains/s' = '{0:n1}' -f $posttls.DomainsPerSecond; 'Queries/domain' = ''; 'Peak MB' = ''; 'CPU ms/domain' = '{0:n2}' -f $posttls.ClientCpuMsPerDomain; 'Unbound CPU ms/domain' = '{0:n2}' -f $posttls.UnboundCpuMsPerDomain }
    )
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    if ($Repeat -gt 1) {
        Write-Host ("Rounds, DNS-only vs dnsperf: " + (($dnsPairs | ForEach-Object { '{0:n2}x' -f ($_.Ours.DomainsPerSecond / $_.Ref.DomainsPerSecond) }) -join ', '))
        Write-Host ("Rounds, full vs posttls-finger: " + (($fullPairs | ForEach-Object { '{0:n2}x' -f ($_.Ours.DomainsPerSecond / $_.Ref.DomainsPerSecond) }) -join ', '))
        Write-Host "Ratios below: median Test-DaneDomain run / median reference run of $Repeat rounds."
    }
    Write-Host ("DNS-only vs dnsperf:        {0:n2}x (target >= {1}x) {2}" -f $ratioDns, $Targets.DnsOnlyVsDnsperf, (Mark ($ratioDns -ge $Targets.DnsOnlyVsDnsperf)))
    Write-Host ("Full vs posttls-finger:     {0:n2}x (target >= {1}x) {2}" -f $ratioFull, $Targets.FullVsPosttls, (Mark ($ratioFull -ge $Targets.FullVsPosttls)))
    Write-Host ("  warm process:             DNS-only {0:n2}x, full {1:n2}x (for information; the targets above use the fresh process)" -f $ratioDnsWarm, $ratioFullWarm)
    Write-Host ("Peak memory N/4 -> N:       {0:n1} -> {1:n1} MB (+{2:n1} MB; flat = at most +{3} MB) {4}" -f $smallest.PeakMb, $largest.PeakMb, $growthMb, $Targets.FlatGrowthMb, (Mark $flat))
    $memSummary = Get-MemorySummary
    Write-MemorySummary $memSummary
    $coldMet = $coldStart.importPlusFirstMsMedian -le $Targets.ColdStartMs
    Write-Host ("Cold start (median of {0} fresh pwsh): Import-Module {1:n0} ms + first Test-DaneDomain {2:n0} ms = {3:n0} ms (target <= {4} ms) {5}; whole process {6:n0} ms; posttls-finger {7:n0} ms" -f
        $coldStart.count, $coldStart.importMsMedian, $coldStart.firstDomainMsMedian, $coldStart.importPlusFirstMsMedian, $Targets.ColdStartMs, (Mark $coldMet),
        $coldStart.processMsMedian, $coldStart.posttlsFingerMsMedian)
    # Methods JIT-compiled do not depend on the machine's load: ReadyToRun code shows here first.
    Write-Host ("  JIT-compiled methods (medians): {0:n0} after the import, {1:n0} more for the first domain (.NET {2})" -f
        $coldStart.jitAfterImportMedian, ($coldStart.jitAfterFirstMedian - $coldStart.jitAfterImportMedian), [Environment]::Version)
    Write-Host ("Full check with/without MTA-STS discovery: {0:n1} / {1:n1} domains/s ({2:n2} / {3:n2} queries per domain)" -f
        $full.DomainsPerSecond, $fullSkip.DomainsPerSecond, $full.QueriesPerDomain, $fullSkip.QueriesPerDomain)
    if ($wideArea) {
        $wo = $wideArea.testDaneDomain; $ww = $wideArea.testDaneDomainWide; $wp = $wideArea.posttlsFinger
        Write-Host ("Wide area (answers +40 +- 10 ms, {0} slow banner(s) 3 s, {1} dead host(s), probe timeouts 10 s both; M={2}):" -f $wideArea.slowHosts.Count, $wideArea.deadHosts.Count, $FullDomains)
        Write-Host ("  Test-DaneDomain (defaults, ThrottleLimit {0}): {1:n1} domains/s, finished in {2:n1} s (process {3:n1} s); statuses {4}" -f
            $wo.ThrottleLimit, $wo.DomainsPerSecond, $wo.Seconds, $wo.ProcessSeconds, ($wo.Status | ConvertTo-Json -Compress))
        Write-Host ("  Test-DaneDomain -ThrottleLimit {0}:          {1:n1} domains/s, finished in {2:n1} s (process {3:n1} s); statuses {4}" -f
            $ww.ThrottleLimit, $ww.DomainsPerSecond, $ww.Seconds, $ww.ProcessSeconds, ($ww.Status | ConvertTo-Json -Compress))
        Write-Host ("  posttls-finger x{0}:                         {1:n1} domains/s, finished in {2:n1} s; {3} of {4} Verified" -f
            $PosttlsParallel, $wp.DomainsPerSecond, $wp.Seconds, $wp.Verified, $FullDomains)
        Write-Host ("Wide area vs posttls-finger: {0:n2}x at the defaults (target >= {1}x) {2}; {3:n2}x at -ThrottleLimit {4}" -f
            $wideArea.ratio, $Targets.WideVsPosttls, (Mark $wideArea.met), $wideArea.ratioWideThrottle, $WideThrottleLimit)
        $wd = $wideArea.dnsOnlyAllDomains
        Write-Host ("  Test-DaneDomain -DnsOnly, all {0} domains: {1:n1} domains/s, finished in {2:n1} s (process {3:n1} s), peak {4:n1} MB; dnsperf {5:n1} domains/s ({6:n2}x)" -f
            $Domains, $wd.DomainsPerSecond, $wd.Seconds, $wd.ProcessSeconds, $wd.PeakMb, $wideArea.dnsperf.DomainsPerSecond, $wideArea.ratioDnsOnly)
    }
    else { Write-Host "Wide area: skipped ($wideSkip)" }
    $okFull = $full.Status.PSObject.Properties | Where-Object Name -EQ 'Pass' | ForEach-Object Value
    if ($okFull -ne $FullDomains -or $posttls.Verified -ne $FullDomains) {
        Write-Host "NOTE: not every full-check domain passed (Test-DaneDomain Pass: $([int]$okFull), posttls-finger Verified: $($posttls.Verified) of $FullDomains)"
    }

    $results = [ordered]@{
        timeUtc = (Get-Date).ToUniversalTime().ToString('o'); domains = $Domains; fullDomains = $FullDomains
        throttleLimit = $dnsOnly.ThrottleLimit; processors = [Environment]::ProcessorCount; labUpSeconds = $labSeconds
        queryTemplate = [ordered]@{ perDomain = @($perDomain -replace '\{0\}', '<domain>.'); sharedOnce = @($shared) }
        loadAverageStart = $loadStart; loadAverageEnd = $loadEnd
        repeat = $Repeat
        rounds = [ordered]@{
            dnsOnlyVsDnsperf = @($dnsPairs | ForEach-Object { [ordered]@{ ours = $_.Ours.DomainsPerSecond; dnsperf = $_.Ref.DomainsPerSecond; ratio = $_.Ours.DomainsPerSecond / $_.Ref.DomainsPerSecond } })
            fullVsPosttlsFinger = @($fullPairs | ForEach-Object { [ordered]@{ ours = $_.Ours.DomainsPerSecond; posttlsFinger = $_.Ref.DomainsPerSecond; ratio = $_.Ours.DomainsPerSecond / $_.Ref.DomainsPerSecond } })
        }
        dnsOnly = $scale; dnsOnlyWarm = $dnsOnlyWarm; dnsperf = $dnsperf; full = $full; fullSkipMtaSts = $fullSkip; fullWarm = $fullWarm; posttlsFinger = $posttls
        coldStart = [ordered]@{ importMsMedian = $coldStart.importMsMedian; firstDomainMsMedian = $coldStart.firstDomainMsMedian
            importPlusFirstMsMedian = $coldStart.importPlusFirstMsMedian; processMsMedian = $coldStart.processMsMedian
            posttlsFingerMsMedian = $coldStart.posttlsFingerMsMedian; jitAfterImportMedian = $coldStart.jitAfterImportMedian
            jitAfterFirstMedian = $coldStart.jitAfterFirstMedian; target = $Targets.ColdStartMs; met = $coldMet; runs = $coldStart.runs }
        ratios = [ordered]@{
            dnsOnlyVsDnsperf = [ordered]@{ value = $ratioDns; target = $Targets.DnsOnlyVsDnsperf; met = $ratioDns -ge $Targets.DnsOnlyVsDnsperf }
            fullVsPosttlsFinger = [ordered]@{ value = $ratioFull; target = $Targets.FullVsPosttls; met = $ratioFull -ge $Targets.FullVsPosttls }
            warmProcess = [ordered]@{ dnsOnlyVsDnsperf = $ratioDnsWarm; fullVsPosttlsFinger = $ratioFullWarm }
        }
        wideArea = $(if ($wideArea) { $wideArea } else { [ordered]@{ skipped = $wideSkip } })
        memory = [ordered]@{ peakMbBySize = @($scale | ForEach-Object { [ordered]@{ domains = $_.Count; peakMb = $_.PeakMb; afterImportMb = $_.PeakAfterImportMb } })
            growthMb = $growthMb; flat = $flat; under200MbAt10k = $under
            at10k = $memSummary.at10k; at100k = $memSummary.at100k; scaleGrowth = $memSummary.growth; memoryDomains = $MemoryDomains; scaleRuns = $memSummary.runs }
    }
    $resultsFile = Join-Path $OutDir 'results.json'
    $results | ConvertTo-Json -Depth 8 | Set-Content -Path $resultsFile -Encoding utf8
    Write-Host "Results written to $resultsFile"
}
finally {
    if (-not $KeepLab -and $env:DANETOOLS_BENCH_KEEP_LAB -ne '1') {
        & bash $LabSh down
    }
    Remove-Item Env:DANELAB_BENCH_DOMAINS, Env:DANELAB_BENCH_FULL, Env:DANELAB_BENCH_BULK, Env:DANELAB_RUN -ErrorAction Ignore
}
