#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, benchmarks and runs the DaneTools module and its lab.
.DESCRIPTION
    Tasks (default Build, Test):
      Build    restore and build, assemble the module into out/DaneTools/
      Package  (after Build) the .nupkg a PowerShell gallery takes, written to out/package/ (-PackageOutput):
               DaneTools.<ModuleVersion>-<Prerelease>.nupkg, e.g. DaneTools.0.1.0-preview1.nupkg. It registers a
               temporary folder repository, runs Publish-PSResource -Path out/DaneTools into it (PSResourceGet,
               shipped with PowerShell 7.4+) and unregisters it: nothing leaves the machine. Install from that
               folder with Register-PSResourceRepository -Name local -Uri out/package -Trusted, then
               Install-PSResource DaneTools -Repository local -Prerelease
      Test     xUnit (engine) then Pester (module as a user sees it) against out/DaneTools/;
               prints one closing line "N passed, N failed" over both and fails on any failure
      Demo     the README's main job: imports the module and runs it on the built-in lab
      LabUp    brings the DANE lab up (root; tests/lab/lab.sh up)
      LabDown  takes the DANE lab down (tests/lab/lab.sh down)
      Bench    benchmark (root; bench/Invoke-Bench.ps1): Test-DaneDomain on generated lab domains beside dnsperf
               and posttls-finger; prints the figures and writes out/bench/results.json; not a test (a missed
               target says MISSED and still exits 0)
      Fuzz     mutation fuzzing of the DNSSEC validator (tests/DaneTools.Core.Tests/Fuzz): -FuzzMutations seeded
               mutations of recorded and signed answers; prints mutations, outcomes by status, exceptions, invariant
               violations and the slowest case, writes out/fuzz/report.txt, fails on any invariant violation.
               Not part of Test (Test runs a short seeded run of 2,000 only); no root, no lab
.PARAMETER Task
    One or more tasks, run in the order given.
.PARAMETER ExcludeTag
    Pester tags to leave out (e.g. Lab when not root). CI runs everything.
.PARAMETER Configuration
    Build configuration. Default is Release.
.PARAMETER PackageOutput
    Package: the folder the .nupkg is written to (emptied first). Default out/package.
.PARAMETER BenchDomains
    Bench: generated lab domains for the DNS-only check. Default $env:DANETOOLS_BENCH_DOMAINS, else 10000 (the memory target is set at 10,000).
.PARAMETER BenchFullDomains
    Bench: of those, domains with an SMTP listener for the full check. Default $env:DANETOOLS_BENCH_FULL, else 200.
.PARAMETER BenchWide
    Bench: run the wide-area mode even below 50 full-check domains (where it is skipped); $env:DANETOOLS_BENCH_WIDE=1 does the
    same, =0 skips it (bench/README.md).
.PARAMETER FuzzMutations
    Fuzz: the number of mutations. Default $env:DANETOOLS_FUZZ_MUTATIONS, else 100000.
.PARAMETER FuzzSeed
    Fuzz: the seed (a case is replayed by seed and index). Default $env:DANETOOLS_FUZZ_SEED, else the short run's seed.
    $env:DANETOOLS_FUZZ_OPEN_CLASSES=1 adds the worlds of the issue 11 denial classes fixed on another branch (only: just them).
#>
[CmdletBinding()]
param(
    [string[]] $Task = @('Build', 'Test'),
    [string[]] $ExcludeTag = @(),
    [string] $Configuration = 'Release',
    [string] $PackageOutput = (Join-Path $PSScriptRoot 'out/package'),
    [int] $BenchDomains = $(if ($env:DANETOOLS_BENCH_DOMAINS) { [int]$env:DANETOOLS_BENCH_DOMAINS } else { 10000 }),
    [int] $BenchFullDomains = $(if ($env:DANETOOLS_BENCH_FULL) { [int]$env:DANETOOLS_BENCH_FULL } else { 200 }),
    [switch] $BenchWide,
    [int] $FuzzMutations = $(if ($env:DANETOOLS_FUZZ_MUTATIONS) { [int]$env:DANETOOLS_FUZZ_MUTATIONS } else { 100000 }),
    [string] $FuzzSeed = $env:DANETOOLS_FUZZ_SEED
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$env:NO_COLOR = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
# Tests may ask only local and lab DNS servers (ResolverGuard): a forgotten -Server fails loudly.
$env:DANETOOLS_LOCAL_DNS_ONLY = '1'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'DaneTools'
$ResultsDir = Join-Path $Out 'test-results'
$PesterVersion = '5.7.1'
# The lab's network namespace (tests/lab/lab.sh honours DANELAB_NS, so two checkouts can run labs side by side).
$LabNamespace = if ($env:DANELAB_NS) { $env:DANELAB_NS } else { 'danelab' }

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Write-Host "== Build ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'DaneTools.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    $publish = Join-Path $Out 'publish'
    Remove-Item -Recurse -Force $publish, $ModuleOut -ErrorAction Ignore
    # The module ships the net8.0 build (PowerShell 7.4+); the netstandard2.0 build is compiled too (5.1, best effort).
    # ReadyToRun (crossgen2, framework-dependent): every assembly keeps its IL and gains precompiled linux-x64 code, so a
    # fresh pwsh does not JIT the import and the first domain (bench/README.md, cold start); other platforms JIT the IL.
    # That code is in .NET 8's format (PowerShell 7.4); .NET 10 (PowerShell 7.6) rejects it, so Dependencies/ also gets a
    # copy of the same IL precompiled by .NET 10's crossgen2 in Dependencies/net10.0-linux-x64 (tools/ReadyToRun10), which
    # the load context picks on .NET 10.
    $project = Join-Path $Root 'src/DaneTools.PowerShell/DaneTools.PowerShell.csproj'
    $publishIL = Join-Path $Out 'publish-il'
    $publish10 = Join-Path $Out 'publish-net10'
    Remove-Item -Recurse -Force $publishIL, $publish10 -ErrorAction Ignore
    Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-f', 'net8.0', '-r', 'linux-x64', '--self-contained', 'false',
        '-o', $publishIL, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-f', 'net8.0', '-r', 'linux-x64', '--self-contained', 'false',
        '-p:PublishReadyToRun=true', '-o', $publish, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $Root 'tools/ReadyToRun10/ReadyToRun10.csproj'), '-c', $Configuration,
        "-p:ILDirectory=$publishIL", '-o', $publish10, '--nologo', '-v', 'quiet')
    # Only the loader and the cmdlet assembly sit beside the manifest (PowerShell loads them into the default context); the engine and
    # every third-party or System.* copy go to Dependencies/, which only the module's private load context reads
    # (src/DaneTools.PowerShell/Infrastructure/DependencyLoadContext.cs).
    $dependencies = Join-Path $ModuleOut 'Dependencies'
    New-Item -ItemType Directory -Force -Path $ModuleOut, (Join-Path $ModuleOut 'en-US'), $dependencies | Out-Null
    Get-ChildItem $publish -Filter *.dll | ForEach-Object {
        $target = if ($_.Name -in 'DaneTools.PowerShell.dll', 'DaneTools.Loader.dll') { $ModuleOut } else { $dependencies }
        Copy-Item $_.FullName -Destination $target
    }
    # The .NET 10 copies: every Dependencies assembly tools/ReadyToRun10 precompiled (not the System.* ones, which .NET 10
    # provides at least as new, so the load context never loads ours there).
    $dependencies10 = Join-Path $dependencies 'net10.0-linux-x64'
    New-Item -ItemType Directory -Force -Path $dependencies10 | Out-Null
    Get-ChildItem $dependencies -Filter *.dll | ForEach-Object {
        $copy = Join-Path $publish10 $_.Name
        if ((Test-Path $copy) -and (Get-ReadyToRunMajorVersion $copy) -ge 16) { Copy-Item $copy -Destination $dependencies10 }
    }
    if (-not (Test-Path (Join-Path $dependencies10 'DaneTools.Core.dll'))) { throw "No .NET 10 ReadyToRun copy of DaneTools.Core was built." }
    Copy-Item (Join-Path $Root 'module/*') $ModuleOut
    Copy-Item (Join-Path $Root 'en-US/*') (Join-Path $ModuleOut 'en-US')
    # The module must not ship it (out/pwsh74, the 7.4 test host, does and is no part of the module).
    $sma = Get-ChildItem $ModuleOut -Recurse -Filter 'System.Management.Automation*.dll'
    if ($sma) { throw "System.Management.Automation must not ship, found: $($sma.FullName -join ', ')" }
    Write-Host "Module assembled in $ModuleOut"
}

# The ReadyToRun format major version of a PE file (READYTORUN_HEADER, dotnet/runtime src/coreclr/inc/readytorun.h:
# signature 'RTR' 0x00525452, then a UInt16 major version), or 0 for an IL-only file.
function Get-ReadyToRunMajorVersion([string] $Path) {
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $directory = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory
        $offset = 0
        if ($directory.Size -eq 0 -or -not $pe.PEHeaders.TryGetDirectoryOffset($directory, [ref]$offset)) { return 0 }
        $stream.Position = $offset
        $reader = [System.IO.BinaryReader]::new($stream)
        if ($reader.ReadUInt32() -ne 0x00525452) { return 0 }
        [int]$reader.ReadUInt16()
    }
    finally { $stream.Dispose() }
}

function Invoke-Package {
    # A gallery takes the .nupkg Publish-PSResource writes to a repository; a temporary folder repository gives exactly
    # that file without the network. The module is packaged as Build assembled it (out/DaneTools).
    $manifestPath = Join-Path $ModuleOut 'DaneTools.psd1'
    if (-not (Test-Path $manifestPath)) { throw "No module at ${ModuleOut}: run the Build task first (-Task Build,Package)." }
    Write-Host "== Package"
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $manifest = Import-PowerShellDataFile $manifestPath
    $prerelease = $manifest.PrivateData.PSData['Prerelease']
    $version = $manifest.ModuleVersion + $(if ($prerelease) { "-$prerelease" })
    $expected = "DaneTools.$version.nupkg"
    $staging = Join-Path ([System.IO.Path]::GetTempPath()) ('danetools-package-' + [guid]::NewGuid())
    # A name of its own: never clashes with (or replaces) a repository the user has registered.
    $repository = 'DaneToolsPackage' + [guid]::NewGuid().ToString('N')
    New-Item -ItemType Directory -Path $staging | Out-Null
    try {
        Register-PSResourceRepository -Name $repository -Uri $staging -Trusted
        Publish-PSResource -Path $ModuleOut -Repository $repository
        $built = @(Get-ChildItem $staging -Filter '*.nupkg')
        if ($built.Count -ne 1 -or $built[0].Name -ne $expected) {
            throw "Publish-PSResource wrote '$($built.Name -join ', ')', expected $expected."
        }
        Remove-Item -Recurse -Force $PackageOutput -ErrorAction Ignore
        New-Item -ItemType Directory -Force -Path $PackageOutput | Out-Null
        Move-Item $built[0].FullName -Destination $PackageOutput
    }
    finally {
        if (Get-PSResourceRepository -Name $repository -ErrorAction Ignore) { Unregister-PSResourceRepository -Name $repository }
        Remove-Item -Recurse -Force $staging -ErrorAction Ignore
    }
    Write-Host "Package written: $(Join-Path $PackageOutput $expected)"
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/tools/PesterRestore.csproj'), '--nologo', '-v', 'quiet')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $path = Join-Path $packages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) { throw "Pester $PesterVersion not found at $path after restore." }
    $path
}

function Invoke-Test {
    # The long fuzz campaign belongs to the Fuzz task: Test runs only the short seeded run.
    Remove-Item Env:DANETOOLS_FUZZ_MUTATIONS -ErrorAction Ignore
    Write-Host '== Test: xUnit'
    Remove-Item -Recurse -Force $ResultsDir -ErrorAction Ignore
    $xunitPassed = 0; $xunitFailed = 0
    $testProjects = Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj'
    foreach ($project in $testProjects) {
        # The long fuzz campaign is the Fuzz task's (category FuzzCampaign), not a test of this run.
        & dotnet test $project.FullName -c $Configuration --nologo --filter 'Category!=FuzzCampaign' --logger "trx;LogFileName=$($project.BaseName).trx" `
            --results-directory $ResultsDir --logger 'console;verbosity=minimal'
        $trx = Join-Path $ResultsDir "$($project.BaseName).trx"
        if (-not (Test-Path $trx)) { $xunitFailed++; Write-Host "No results for $($project.Name) (build failure?)"; continue }
        $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $xunitPassed += [int]$counters.passed
        $xunitFailed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    Write-Host "xUnit: $xunitPassed passed, $xunitFailed failed"

    Write-Host '== Test: Pester (on the built module)'
    Import-Module (Get-PesterModulePath) -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $Root 'tests/Pester'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.Output.RenderMode = 'Plaintext'
    if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag }
    $env:DANETOOLS_MODULE = $ModuleOut
    $env:DANETOOLS_ROOT = $Root
    # The suites are written for PowerShell's default mode, not this script's strict mode.
    Set-StrictMode -Off
    try {
        $result = Invoke-Pester -Configuration $config
        # The oldest PowerShell the manifest claims: import, help, manifest, isolation and the lab catalogue on 7.4.
        $result74 = Invoke-Pester74
    }
    finally {
        # Lab tests leave the lab up for each other; nothing is left behind after the run.
        if ($ExcludeTag -notcontains 'Lab' -and (Test-Path "/run/netns/$LabNamespace")) { Invoke-Lab 'down' }
    }
    $pesterFailed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Write-Host "Pester: $($result.PassedCount) passed, $pesterFailed failed, $($result.SkippedCount) skipped"
    Write-Host "Pester on PowerShell $($result74.Version): $($result74.Passed) passed, $($result74.Failed) failed"

    $passed = $xunitPassed + $result.PassedCount + $result74.Passed
    $failed = $xunitFailed + $pesterFailed + $result74.Failed
    if ($passed -eq 0) { $failed++; Write-Host 'No test ran.' }
    Write-Host ''
    Write-Host "Total: $passed passed, $failed failed"
    if ($failed -gt 0) { throw "$failed test(s) failed." }
}

# PowerShell 7.4 LTS as a self-contained host (tests/tools/Pwsh74: Microsoft.PowerShell.SDK 7.4.x on .NET 8, both from
# NuGet), running the Pester files that show the module works there: import, help and views, the manifest, dependency
# isolation, and Test-DaneDomain's lab catalogue (unless -ExcludeTag Lab). Returns the counts.
function Invoke-Pester74 {
    $hostDir = Join-Path $Out 'pwsh74'
    Write-Host '== Test: Pester on PowerShell 7.4'
    Invoke-Native dotnet @('publish', (Join-Path $Root 'tests/tools/Pwsh74/Pwsh74.csproj'), '-c', $Configuration, '-o', $hostDir, '--nologo', '-v', 'quiet')
    # The SDK package carries the built-in modules (Microsoft.PowerShell.Utility...) as content, not as build output.
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $sdk = Get-ChildItem (Join-Path $packages 'microsoft.powershell.sdk') -Directory | Where-Object Name -like '7.4.*' | Sort-Object { [version]$_.Name } | Select-Object -Last 1
    Copy-Item -Recurse -Force (Join-Path $sdk.FullName 'contentFiles/any/any/runtimes/unix/lib/net8.0/Modules') $hostDir
    $resultFile = Join-Path $ResultsDir 'pester74.json'
    $files = @('Module.Tests.ps1', 'Manifest.Tests.ps1', 'Isolation.Tests.ps1', 'Test-DaneDomain.Tests.ps1', 'Debug.Tests.ps1') | ForEach-Object { Join-Path $Root "tests/Pester/$_" }
    $runner = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-PesterModulePath)' -Force
`$config = New-PesterConfiguration
`$config.Run.Path = @('$($files -join "','")')
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$config.Output.RenderMode = 'Plaintext'
$(if ($ExcludeTag) { "`$config.Filter.ExcludeTag = @('$($ExcludeTag -join "','")')" })
# Import, help, views, manifest, isolation, Test-DaneDomain's inputs and its lab catalogue, -Debug (7.4 also makes
# ShouldProcess ask under -Debug, 7.6 does not); the timing-bound lab tests
# (pipeline stop, progress, parallel modes) run on 7.6 only.
`$config.Filter.FullName = @('DaneTools module.*', '*help and views.*', 'DaneTools manifest.*', 'Dependency isolation*', 'Test-DaneDomain.*',
    'Test-DaneDomain on the lab.*gives the catalogue*', '-Debug in a non-interactive host*')
Set-StrictMode -Off
`$r = Invoke-Pester -Configuration `$config
@{ Version = `$PSVersionTable.PSVersion.ToString(); Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount
    FailedTests = @(`$r.Failed | ForEach-Object { "`$(`$_.ExpandedPath): `$(@(`$_.ErrorRecord)[0])" }) } | ConvertTo-Json | Set-Content '$resultFile'
"@
    $script = Join-Path $ResultsDir 'pester74.ps1'
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    Set-Content -Path $script -Value $runner
    & (Join-Path $hostDir 'pwsh74') -NoProfile -NonInteractive -File $script
    if (-not (Test-Path $resultFile)) { return [pscustomobject]@{ Version = '7.4'; Passed = 0; Failed = 1 } }
    $counts = Get-Content -Raw $resultFile | ConvertFrom-Json
    # The 7.4 host's console output may not reach a redirected log: name the failures here.
    foreach ($f in @($counts.FailedTests)) { if ($f) { Write-Host "  [-] on 7.4: $f" } }
    if ($counts.Version -notlike '7.4.*') { Write-Host "The 7.4 host reported PowerShell $($counts.Version)."; $counts.Failed++ }
    $counts
}

function Invoke-Lab([string] $Verb) {
    Invoke-Native bash @((Join-Path $Root 'tests/lab/lab.sh'), $Verb)
}

function Invoke-Demo {
    # The main job runs on the lab, inside its network namespace (root): nothing leaves the machine.
    Invoke-Lab 'up'
    Push-Location $Root
    try {
        Invoke-Native ip @('netns', 'exec', $LabNamespace, 'dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-File',
            (Join-Path $Root 'demo/Demo.ps1'), '-Module', $ModuleOut)
    }
    finally { Pop-Location }
}

function Invoke-Bench {
    # Not a test: it fails only when it cannot run (bench/Invoke-Bench.ps1 says MISSED beside a missed target).
    & (Join-Path $Root 'bench/Invoke-Bench.ps1') -Root $Root -ModulePath $ModuleOut -Domains $BenchDomains `
        -FullDomains ([Math]::Min($BenchFullDomains, $BenchDomains)) -Namespace $LabNamespace -Wide:$BenchWide
}

function Invoke-Fuzz {
    # The campaign is the xUnit fact of category FuzzCampaign, which Test leaves out; DANETOOLS_FUZZ_MUTATIONS sets its size.
    if ($FuzzMutations -lt 1) { throw "-FuzzMutations must be positive." }
    $fuzzOut = Join-Path $Out 'fuzz'
    New-Item -ItemType Directory -Force -Path $fuzzOut | Out-Null
    $report = Join-Path $fuzzOut 'report.txt'
    Remove-Item -Force $report -ErrorAction Ignore
    Write-Host "== Fuzz: $FuzzMutations mutations of the DNSSEC validator"
    $env:DANETOOLS_FUZZ_MUTATIONS = "$FuzzMutations"
    $env:DANETOOLS_FUZZ_REPORT = $report
    if ($FuzzSeed) { $env:DANETOOLS_FUZZ_SEED = $FuzzSeed }
    try {
        & dotnet test (Join-Path $Root 'tests/DaneTools.Core.Tests/DaneTools.Core.Tests.csproj') -c $Configuration --nologo `
            --filter 'FullyQualifiedName=DaneTools.Core.Tests.Fuzz.FuzzTests.Campaign_FromEnvironment_NoInvariantViolated' `
            --logger 'console;verbosity=minimal'
        $code = $LASTEXITCODE
    }
    finally {
        Remove-Item Env:DANETOOLS_FUZZ_MUTATIONS, Env:DANETOOLS_FUZZ_REPORT -ErrorAction Ignore
    }
    if (Test-Path $report) { Get-Content $report | Write-Host } else { Write-Host 'No fuzz report was written (build failure?).' }
    if ($code -ne 0) { throw "Fuzz: invariant violations or a failed run (exit code $code); see $report." }
}

# `-File build.ps1 -Task Build,Test` passes one string: split it.
$Task = @($Task -split ',' | ForEach-Object Trim | Where-Object { $_ })
$known = 'Build', 'Package', 'Test', 'Demo', 'LabUp', 'LabDown', 'Bench', 'Fuzz'
foreach ($t in $Task) { if ($t -notin $known) { throw "Unknown task '$t'. Tasks: $($known -join ', ')." } }
if ($ExcludeTag.Count -eq 1) { $ExcludeTag = @($ExcludeTag[0] -split ',' | Where-Object { $_ }) }

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'LabUp' { Invoke-Lab 'up' }
        'LabDown' { Invoke-Lab 'down' }
        'Bench' { Invoke-Bench }
        'Fuzz' { Invoke-Fuzz }
    }
}
