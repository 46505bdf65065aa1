#requires -Version 7.4
<#
.SYNOPSIS
    Cold start: `Import-Module DaneTools; Test-DaneDomain <domain> -SkipMtaSts` in Count fresh pwsh processes, beside
    posttls-finger's time for the same domain (run as root; Invoke-Bench.ps1 calls it, and it runs alone too).
.DESCRIPTION
    Each process is started inside the lab's namespace and prints the milliseconds of Import-Module and of the first
    Test-DaneDomain call (Stopwatch inside the process), the JIT-compiled method counts after each, and the status. The
    process's own wall time (pwsh start-up included) is measured from outside. All processes share one empty
    XDG_CACHE_HOME, so from the second on PowerShell replays its own start-up profile as it does for a user. posttls-finger
    -c -l dane checks the same domain Count times through the same resolver. One JSON object is printed: every run and
    the medians. The resolver is warm after the first run: the figure is the client's start-up, not recursion.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Domain,
    [Parameter(Mandatory)] [string] $TrustAnchor,
    [Parameter(Mandatory)] [string] $Namespace,
    [string] $Server = '127.0.0.1',
    [int] $Count = 10,
    # Postfix configuration directory for posttls-finger (the lab's postfix-send); none: posttls-finger is not run.
    [string] $MailConfig,
    [string] $WorkDir = ([IO.Path]::GetTempPath())
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

function Get-Median([double[]] $Values) {
    if ($Values.Count -eq 0) { return $null }
    $s = @($Values | Sort-Object)
    if ($s.Count % 2) { $s[($s.Count - 1) / 2] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 }
}

$pwsh = (Get-Process -Id $PID).Path
[string[]] $pwshArgs = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @('pwsh') } else { @() }
$child = @'
$w = [Diagnostics.Stopwatch]::StartNew()
Import-Module '{0}'
$import = $w.Elapsed.TotalMilliseconds; $jitImport = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$w.Restart()
$r = Test-DaneDomain '{1}' -Server '{2}' -TrustAnchor '{3}' -SkipMtaSts
$first = $w.Elapsed.TotalMilliseconds
[pscustomobject]@{{ importMs = $import; firstDomainMs = $first; status = [string]$r.Status; jitAfterImport = $jitImport
    jitAfterFirst = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) }} | ConvertTo-Json -Compress
'@ -f $ModulePath, $Domain, $Server, $TrustAnchor

$cache = Join-Path $WorkDir ('coldstart-cache-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $cache | Out-Null
$runs = [Collections.Generic.List[object]]::new()
try {
    for ($i = 0; $i -lt $Count; $i++) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = & ip netns exec $Namespace env "XDG_CACHE_HOME=$cache" $pwsh @pwshArgs -NoProfile -NonInteractive -Command $child 2>&1
        $processMs = $watch.Elapsed.TotalMilliseconds
        if ($LASTEXITCODE -ne 0) { throw "cold-start run failed ($LASTEXITCODE): $($out -join "`n")" }
        $json = @($out | Where-Object { "$_" -like '{*' })[-1]
        if (-not $json) { throw "cold-start run printed no result: $($out -join "`n")" }
        $r = $json | ConvertFrom-Json
        $r | Add-Member processMs $processMs
        $runs.Add($r)
    }
}
finally { Remove-Item -Recurse -Force $cache -ErrorAction Ignore }

$ptf = @()
if ($MailConfig) {
    $ptf = for ($i = 0; $i -lt $Count; $i++) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $text = & ip netns exec $Namespace env "MAIL_CONFIG=$MailConfig" posttls-finger -c -t 10 -T 10 -l dane $Domain 2>&1
        $ms = $watch.Elapsed.TotalMilliseconds
        [pscustomobject]@{ ms = $ms; verified = [bool]($text -match 'Verified TLS connection established') }
    }
}

[ordered]@{
    domain = $Domain; count = $Count
    importMsMedian = Get-Median @($runs.importMs); firstDomainMsMedian = Get-Median @($runs.firstDomainMs)
    importPlusFirstMsMedian = Get-Median @($runs | ForEach-Object { $_.importMs + $_.firstDomainMs })
    processMsMedian = Get-Median @($runs.processMs)
    jitAfterImportMedian = Get-Median @($runs.jitAfterImport); jitAfterFirstMedian = Get-Median @($runs.jitAfterFirst)
    statuses = @($runs.status | Sort-Object -Unique)
    posttlsFingerMsMedian = Get-Median @($ptf | ForEach-Object ms); posttlsFingerVerified = @($ptf | Where-Object verified).Count
    runs = $runs; posttlsFinger = $ptf
} | ConvertTo-Json -Compress -Depth 4
