#requires -Version 7.4
<#
.SYNOPSIS
    One benchmark run of Test-DaneDomain in a fresh pwsh process (run inside the lab's namespace by Invoke-Bench.ps1).
.DESCRIPTION
    Imports the built module, checks the bench domains d00000.bench .. d<Count-1>.bench and prints one JSON line:
    elapsed seconds of the Test-DaneDomain call alone (module import excluded), statuses, the process's peak
    resident memory (VmHWM from /proc/self/status) after import and at the end, the managed heap, and a timing
    breakdown taken from the results (per-domain elapsed time). Results are counted as they stream and then
    dropped, as a user's pipeline would, so the peak shows what the cmdlet itself holds.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [int] $Count,
    # How many of the Count domains are the lab's real bench zones d00000.bench ..; the rest are the bulk names
    # e000000.b00.bench .. (DANELAB_BENCH_BULK, tests/lab/bench_gen.py). Default: all real.
    [int] $RealDomains = -1,
    [Parameter(Mandatory)] [string] $TrustAnchor,
    [string] $Server = '127.0.0.1',
    # 0: the cmdlet's default (not passed).
    [int] $ThrottleLimit = 0,
    [switch] $DnsOnly,
    # Without it the run also discovers MTA-STS and TLS-RPT per domain (two TXT lookups, the policy host and fetch where published).
    [switch] $SkipMtaSts,
    # Warm the process first (JIT, type loading) with a run over this many domains, then empty Unbound's caches
    # (unbound-control -c UnboundConf reload) so the measured run still meets a cold resolver.
    [int] $Warmup = 0,
    [string] $UnboundConf,
    # Unbound's PID file: its CPU time (utime + stime) over the measured run is reported as unboundCpuSeconds.
    [string] $UnboundPidFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

function Get-UnboundCpu {
    if (-not $UnboundPidFile) { return 0.0 }
    $p = (Get-Content $UnboundPidFile -Raw).Trim()
    $f = ((Get-Content "/proc/$p/stat" -Raw) -replace '^.*\) ', '') -split ' '
    ([double]$f[11] + [double]$f[12]) / 100   # utime and stime, stat(5) fields 14 and 15, USER_HZ 100
}

function Get-ProcStatusKb([string] $Field) {
    $line = Select-String -Path /proc/self/status -Pattern "^${Field}:\s+(\d+) kB" | Select-Object -First 1
    if ($line) { [long]$line.Matches[0].Groups[1].Value } else { 0L }
}

Import-Module $ModulePath -Force
if ($RealDomains -lt 0 -or $RealDomains -gt $Count) { $RealDomains = $Count }
$domains = [string[]]::new($Count)
for ($i = 0; $i -lt $RealDomains; $i++) { $domains[$i] = 'd{0:d5}.bench' -f $i }
for ($i = $RealDomains; $i -lt $Count; $i++) { $j = $i - $RealDomains; $domains[$i] = 'e{0:d6}.b{1:d2}.bench' -f $j, [int][Math]::Floor($j / 10000) }
[GC]::Collect()
$hwmAfterImportKb = Get-ProcStatusKb 'VmHWM'
$rssAfterImportKb = Get-ProcStatusKb 'VmRSS'
$cpuAfterImport = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds

if ($Warmup -gt 0) {
    $warm = @{ DomainName = $domains[0..([Math]::Min($Warmup, $Count) - 1)]; Server = $Server; TrustAnchor = $TrustAnchor; DnsOnly = $DnsOnly; SkipMtaSts = $SkipMtaSts }
    if ($ThrottleLimit -gt 0) { $warm.ThrottleLimit = $ThrottleLimit }
    $null = Test-DaneDomain @warm -ErrorAction SilentlyContinue
    if ($UnboundConf) {
        & unbound-control -c $UnboundConf reload | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'unbound-control reload failed.' }
        do { Start-Sleep -Milliseconds 50; & unbound-control -c $UnboundConf status *> $null } while ($LASTEXITCODE -ne 0)
    }
    [GC]::Collect()
}
# For profilers (perf record -p): a file that appears when the measured run starts.
if ($env:DANETOOLS_BENCH_SIGNAL) { Set-Content -Path $env:DANETOOLS_BENCH_SIGNAL -Value $PID }
$cpuBeforeRun = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds
$jitMethodsBeforeRun = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$jitTimeBeforeRun = [System.Runtime.JitInfo]::GetCompilationTime($false)
$contentionBeforeRun = [System.Threading.Monitor]::LockContentionCount
$allocatedBeforeRun = [GC]::GetTotalAllocatedBytes($false)
$unboundCpuBeforeRun = Get-UnboundCpu
$status = @{}
$elapsedMs = [System.Collections.Generic.List[double]]::new($Count)
$params = @{ DomainName = $domains; Server = $Server; TrustAnchor = $TrustAnchor; DnsOnly = $DnsOnly; SkipMtaSts = $SkipMtaSts }
if ($ThrottleLimit -gt 0) { $params.ThrottleLimit = $ThrottleLimit }
$sw = [Diagnostics.Stopwatch]::StartNew()
Test-DaneDomain @params -ErrorVariable errs -ErrorAction SilentlyContinue | ForEach-Object {
    $s = [string]$_.Status
    $status[$s] = 1 + ($status[$s] ?? 0)
    $elapsedMs.Add([double]$_.ElapsedMilliseconds)
}
$sw.Stop()
$unboundCpuSeconds = (Get-UnboundCpu) - $unboundCpuBeforeRun
$errors = @($errs).Count

$sorted = $elapsedMs.ToArray(); [Array]::Sort($sorted)
function Get-Pct([double[]] $a, [double] $p) { if ($a.Length -eq 0) { 0 } else { $a[[Math]::Min($a.Length - 1, [int][Math]::Floor($p * $a.Length))] } }
$gc = [GC]::GetGCMemoryInfo()
[pscustomobject]@{
    count              = $Count
    dnsOnly            = $DnsOnly.IsPresent
    skipMtaSts         = $SkipMtaSts.IsPresent
    throttleLimit      = $(if ($ThrottleLimit -gt 0) { $ThrottleLimit } else { (Get-Command Test-DaneDomain).ImplementingType.GetProperty('ThrottleLimit').GetValue([Activator]::CreateInstance((Get-Command Test-DaneDomain).ImplementingType)) })
    warmup             = $Warmup
    seconds            = $sw.Elapsed.TotalSeconds
    results            = $elapsedMs.Count
    errors             = $errors
    status             = $status
    domainMsMedian     = Get-Pct $sorted 0.5
    domainMsP90        = Get-Pct $sorted 0.9
    domainMsMax        = Get-Pct $sorted 1.0
    domainMsSum        = ($sorted | Measure-Object -Sum).Sum
    hwmAfterImportKb   = $hwmAfterImportKb
    rssAfterImportKb   = $rssAfterImportKb
    hwmKb              = Get-ProcStatusKb 'VmHWM'
    rssKb              = Get-ProcStatusKb 'VmRSS'
    managedHeapBytes   = [GC]::GetTotalMemory($false)
    # Where the resident memory is at the end: anonymous (GC heap, native allocations, JIT code) and file-backed (mapped assemblies).
    rssAnonKb          = Get-ProcStatusKb 'RssAnon'
    rssFileKb          = Get-ProcStatusKb 'RssFile'
    gcHeapAfterFullBytes = [GC]::GetTotalMemory($true)
    gcPromotedBytes    = $gc.PromotedBytes
    gcFragmentedBytes  = $gc.FragmentedBytes
    gcHeapSizeBytes    = $gc.HeapSizeBytes
    gcCommittedBytes   = $gc.TotalCommittedBytes
    gcCount            = @(0, 1, 2 | ForEach-Object { [GC]::CollectionCount($_) })
    cpuSeconds         = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds - $cpuBeforeRun
    cpuStartupSeconds  = $cpuAfterImport
    unboundCpuSeconds  = $unboundCpuSeconds
    # Methods the JIT compiled during the measured run and the time it spent (ReadyToRun code needs none).
    jitMethods         = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitMethodsBeforeRun
    jitSeconds         = ([System.Runtime.JitInfo]::GetCompilationTime($false) - $jitTimeBeforeRun).TotalSeconds
    lockContentions    = [System.Threading.Monitor]::LockContentionCount - $contentionBeforeRun
    # Bytes allocated on the GC heap during the run (all threads; the load of the machine does not change it).
    allocatedBytes     = [GC]::GetTotalAllocatedBytes($false) - $allocatedBeforeRun
    threads            = [System.Threading.ThreadPool]::ThreadCount
} | ConvertTo-Json -Compress -Depth 4
