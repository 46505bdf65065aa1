#requires -Version 7.4
<#
.SYNOPSIS
    The README's main job on the built-in lab: runs inside the lab's network namespace (build.ps1 -Task Demo).
#>
param([string] $Module = (Join-Path $PSScriptRoot '../out/DaneTools'))
$ErrorActionPreference = 'Stop'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module (Join-Path $Module 'DaneTools.psd1')
$lab = Join-Path $PSScriptRoot '../tests/lab'
$catalogue = Get-Content -Raw (Join-Path $lab 'scenarios.json') | ConvertFrom-Json
$dns = @{ Server = '127.0.0.1'; TrustAnchor = (Join-Path $lab 'run/unbound/active.anchor'); TimeoutSeconds = 3 }

Write-Host '== DaneTools commands'
Get-Command -Module DaneTools | Format-Table -AutoSize Name, Version | Out-Host

Write-Host "== Can mail to each lab domain be delivered under DANE? (Test-DaneDomain: DNSSEC, TLSA, STARTTLS to every MX address)"
$catalogue.scenarios.domain | Test-DaneDomain @dns -HeloName demo.danetools.test -ErrorAction Continue |
    Sort-Object Status, DomainName | Format-Table -AutoSize | Out-String -Width 220 | Out-Host

Write-Host '== Why one domain fails: the hosts and addresses behind the verdict (Format-List)'
Test-DaneDomain two-mx.test @dns -HeloName demo.danetools.test | Format-List | Out-String -Width 220 | Out-Host

Write-Host "== DNSSEC status of every lab domain's MX RRset (Test-DnssecChain, validated from the lab's root anchor)"
$catalogue.scenarios.domain | Test-DnssecChain -Type MX @dns -ErrorAction Continue | Format-Table -AutoSize | Out-String -Width 220 | Out-Host

Write-Host '== TLSA records of the lab MX hosts (Get-TlsaRecord)'
$hosts = $catalogue.scenarios | ForEach-Object { $_.hosts.name } | Select-Object -Unique
$hosts | Get-TlsaRecord @dns -ErrorAction SilentlyContinue -ErrorVariable missing | Format-Table -AutoSize | Out-String -Width 220 | Out-Host
foreach ($e in $missing) { Write-Host "  $($e.TargetObject): $($e.Exception.Message)" }

# The lab is left running so the commands above can be tried by hand (issue 15: say how to stop it).
$ns = if ($env:DANELAB_NS) { $env:DANELAB_NS } else { 'danelab' }
Write-Host "== The lab is still running (network namespace $ns). Try the commands by hand inside it with: ip netns exec $ns dotnet pwsh"
Write-Host "   Stop it with: dotnet pwsh -NoProfile -File ./build.ps1 -Task LabDown   (or: bash tests/lab/lab.sh down)"
