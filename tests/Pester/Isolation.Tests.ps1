# Dependency isolation (issue 14): other modules' older DnsClient, MimeKit, MailKit and BouncyCastle, loaded before or
# after DaneTools in one session, change nothing for either side. Each case runs in a fresh pwsh, since an assembly
# once loaded stays for the life of the process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:module = (Import-DaneToolsModule).ModuleBase
    $script:old = @(Get-ConflictAssembly)
    # Where the load context takes our copies from in this runtime: build.ps1 adds .NET 10 ReadyToRun copies for Linux x64.
    $script:runtimeDeps = if ([Environment]::Version.Major -eq 10 -and $IsLinux -and
        [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64') { Join-Path $module 'Dependencies/net10.0-linux-x64' }
    else { Join-Path $module 'Dependencies' }
    $script:loadOld = ($old | ForEach-Object { "Add-Type -Path '$_'" }) -join [Environment]::NewLine
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('danetools-isolation-' + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:pem = New-TestCertificate -Directory $work -Name 'mx.isolation.test'

    # What each session runs: every cmdlet that needs DnsClient, MimeKit or BouncyCastle, against a resolver on
    # 127.0.0.1 that never answers (no lab: the run stops with ResolverUnreachable / Send-DaneMail defers) and a local certificate.
    $script:probe = @"
`$quiet = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
`$server = "127.0.0.1:`$(`$quiet.Client.LocalEndPoint.Port)"
function Try-Run([scriptblock] `$body) {
    # Output and non-terminating error ids apart; a terminating error as its exception.
    try {
        `$all = @(& `$body 2>&1)
        @{ Output = @(`$all | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors = @(`$all | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object FullyQualifiedErrorId) }
    }
    catch {
        # The silent resolver stops a run with one ResolverUnreachable error (issue 12): that is the cmdlet working.
        if ("`$(`$_.FullyQualifiedErrorId)" -like 'ResolverUnreachable,*') { @{ Stopped = `$_.FullyQualifiedErrorId } }
        else { @{ Threw = "`$(`$_.Exception.GetType().Name): `$(`$_.Exception.Message)" } }
    }
}
`$tdd = Try-Run { Test-DaneDomain 'quiet.test' -Server `$server -TimeoutSeconds 1 }
`$tlsa = Try-Run { Get-TlsaRecord -HostName 'mx.quiet.test' -Server `$server -TimeoutSeconds 1 }
`$send = Try-Run { Send-DaneMail -From 'sender@isolation.test' -To 'probe@quiet.test' -Subject 'isolation' -Body 'hello' -Server `$server -TimeoutSeconds 1 -WhatIf }
`$new = Try-Run { New-TlsaRecord -CertificatePath '$pem' -HostName 'mx.isolation.test' }
[pscustomobject]@{
    TestDaneDomain = [pscustomobject]@{ Count = @(`$tdd.Output).Count; Errors = `$tdd.Errors; Threw = `$tdd.Threw; Stopped = `$tdd.Stopped }
    GetTlsaRecord  = [pscustomobject]@{ Count = @(`$tlsa.Output).Count; Errors = `$tlsa.Errors; Threw = `$tlsa.Threw; Stopped = `$tlsa.Stopped }
    SendDaneMail   = [pscustomobject]@{ Count = @(`$send.Output).Count; Errors = `$send.Errors; Threw = `$send.Threw }
    NewTlsaRecord  = [pscustomobject]@{ Records = @(`$new.Output | ForEach-Object { `$_.Presentation }); Errors = `$new.Errors; Threw = `$new.Threw }
    Assemblies     = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'DnsClient', 'MimeKit', 'MailKit', 'BouncyCastle.Cryptography', 'DaneTools.Core' } |
        ForEach-Object { [pscustomobject]@{ Name = `$_.GetName().Name; Version = `$_.GetName().Version.ToString(); Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name; Location = `$_.Location } })
}
"@
    $script:clean = Invoke-FreshPwsh "Import-Module '$module/DaneTools.psd1'`n$probe"
    $script:oldFirst = Invoke-FreshPwsh "$loadOld`nImport-Module '$module/DaneTools.psd1'`n$probe"
    # The -WhatIf plan line, the resolver's port left out.
    function script:Plan([string] $text) { ($text -split "`n" | Where-Object { $_ -match '^What if:' }) -replace '127\.0\.0\.1:\d+', '127.0.0.1:PORT' }
}

AfterAll {
    if ($pem) { Remove-Item -Recurse -Force (Split-Path $pem) -ErrorAction Ignore }
}

Describe 'Dependency isolation' -Tag Unit {
    Context 'older DnsClient, MimeKit, MailKit and BouncyCastle loaded first' {
        It 'runs <Command> as in a clean session' -ForEach @(
            @{ Command = 'TestDaneDomain'; ErrorId = 'ResolverUnreachable,DaneTools.PowerShell.Commands.TestDaneDomainCommand' }
            @{ Command = 'GetTlsaRecord'; ErrorId = 'ResolverUnreachable,DaneTools.PowerShell.Commands.GetTlsaRecordCommand' }
        ) {
            $clean.Result.$Command.Threw | Should -BeNullOrEmpty
            $clean.Result.$Command.Stopped | Should -Be $ErrorId -Because 'a clean session reports the silent resolver once'
            $oldFirst.Result.$Command.Threw | Should -BeNullOrEmpty -Because 'another copy of DnsClient must not break the cmdlet'
            $oldFirst.Result.$Command.Stopped | Should -Be $clean.Result.$Command.Stopped
            $oldFirst.Result.$Command.Errors | Should -Be @($clean.Result.$Command.Errors)
            $oldFirst.Result.$Command.Count | Should -Be $clean.Result.$Command.Count
        }

        It 'plans Send-DaneMail -WhatIf as in a clean session (MimeKit builds the message)' {
            $oldFirst.Result.SendDaneMail.Threw | Should -BeNullOrEmpty
            $oldFirst.Result.SendDaneMail.Errors | Should -Be @($clean.Result.SendDaneMail.Errors)
            $plan = Plan $clean.Host
            $plan | Should -Match 'quiet\.test: probe@quiet\.test: not deliverable \(Deferred'
            Plan $oldFirst.Host | Should -Be $plan
        }

        It 'makes the same TLSA record with New-TlsaRecord, with its own BouncyCastle' {
            $clean.Result.NewTlsaRecord.Records | Should -Match '^_25\._tcp\.mx\.isolation\.test\. IN TLSA 3 1 1 [0-9A-F]{64}$'
            $oldFirst.Result.NewTlsaRecord.Threw | Should -BeNullOrEmpty
            $oldFirst.Result.NewTlsaRecord.Records | Should -Be $clean.Result.NewTlsaRecord.Records
            # Both copies call themselves 2.0.0.0: the same answer from the other module's copy would be luck.
            $bc = @($oldFirst.Result.Assemblies | Where-Object Name -EQ 'BouncyCastle.Cryptography')
            $bc.Count | Should -Be 2
            ($bc | Where-Object Context -EQ 'DaneTools').Location | Should -Be (Join-Path $runtimeDeps 'BouncyCastle.Cryptography.dll')
        }

        It 'loads its own copies into the DaneTools load context and leaves the older ones in the default context' {
            $mine = @($oldFirst.Result.Assemblies | Where-Object { $_.Location.StartsWith($module) })
            $mine.Name | Sort-Object | Should -Be @('BouncyCastle.Cryptography', 'DaneTools.Core', 'DnsClient', 'MimeKit')
            $mine | ForEach-Object { $_.Context | Should -Be 'DaneTools' -Because "$($_.Name) is ours" }
            $mine | ForEach-Object { $_.Location | Should -BeLike (Join-Path $module 'Dependencies/*') }
            $theirs = @($oldFirst.Result.Assemblies | Where-Object { -not $_.Location.StartsWith($module) })
            $theirs.Name | Sort-Object | Should -Be @('BouncyCastle.Cryptography', 'DnsClient', 'MailKit', 'MimeKit')
            $theirs | ForEach-Object { $_.Context | Should -Be 'Default' }
            ($oldFirst.Result.Assemblies | Where-Object { $_.Name -eq 'DnsClient' -and $_.Context -eq 'DaneTools' }).Version | Should -Be '1.8.0.0'
        }
    }

    Context 'older copies loaded after DaneTools has run' {
        BeforeAll {
            $script:after = Invoke-FreshPwsh @"
Import-Module '$module/DaneTools.psd1'
`$null = & {
$probe
}
`$loaded = foreach (`$path in @('$($old -join "','")')) { try { Add-Type -Path `$path; 'ok' } catch { "`${path}: `$(`$_.Exception.Message)" } }
`$use = try {
    # The other module's code paths, through PowerShell's own type resolution as its scripts would use them.
    `$client = [DnsClient.LookupClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 53))
    `$digest = [Org.BouncyCastle.Crypto.Digests.Sha256Digest]::new()
    `$digest.BlockUpdate([byte[]](1, 2, 3), 0, 3); `$hash = [byte[]]::new(32); [void]`$digest.DoFinal(`$hash, 0)
    `$message = [MimeKit.MimeMessage]::new(); `$message.To.Add([MimeKit.MailboxAddress]::Parse('probe@quiet.test'))
    [pscustomobject]@{
        DnsClient = `$client.GetType().Assembly.GetName().Version.ToString()
        DnsClientContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$client.GetType().Assembly).Name
        MimeKit = `$message.GetType().Assembly.GetName().Version.ToString(); To = `$message.To.ToString()
        MailKit = [MailKit.Net.Smtp.SmtpClient]::new().GetType().Assembly.GetName().Version.ToString()
        BouncyCastle = `$digest.GetType().Assembly.Location; Sha256 = [Convert]::ToHexString(`$hash)
    }
} catch { "`$(`$_.Exception.GetType().Name): `$(`$_.Exception.Message)" }
`$again = & {
$probe
}
[pscustomobject]@{ Loaded = @(`$loaded); Use = `$use; Again = `$again }
"@
        }

        It 'lets the other module load its copies, and still runs its own cmdlets' {
            $after.Result.Loaded | Should -Be @('ok', 'ok', 'ok', 'ok')
            $again = $after.Result.Again
            $again.TestDaneDomain.Errors | Should -Be @($clean.Result.TestDaneDomain.Errors)
            $again.GetTlsaRecord.Errors | Should -Be @($clean.Result.GetTlsaRecord.Errors)
            $again.NewTlsaRecord.Records | Should -Be $clean.Result.NewTlsaRecord.Records
        }

        It 'leaves the other copies usable: [DnsClient.LookupClient] is the older DnsClient, in the default context' {
            $after.Result.Use | Should -Not -BeOfType [string] -Because "$($after.Result.Use)"
            $after.Result.Use.DnsClient | Should -Be '1.6.1.0'
            $after.Result.Use.DnsClientContext | Should -Be 'Default'
            $after.Result.Use.MimeKit | Should -Be '4.11.0.0'
            $after.Result.Use.To | Should -Be 'probe@quiet.test'
            $after.Result.Use.MailKit | Should -Be '4.11.0.0'
            $after.Result.Use.BouncyCastle | Should -Be ($old | Where-Object { $_ -like '*BouncyCastle*' })
            $after.Result.Use.Sha256 | Should -Be '039058C6F2C0CB492C533B0A4D14EF77CC0F78ABCCCED5287D84A1A2011CFB81'
        }
    }

    Context 'the PowerShell surface' {
        It 'takes a System.* or Microsoft.* assembly it ships from the runtime only when the runtime''s is at least as new' {
            # PowerShell 7.4 (.NET 8) gets our System.Formats.Asn1 10.0 that MailKit needs; 7.6 (.NET 10) shares its own.
            $alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'DaneTools'
            $alc | Should -Not -BeNullOrEmpty
            $platform = @{}
            foreach ($path in [AppContext]::GetData('TRUSTED_PLATFORM_ASSEMBLIES') -split [System.IO.Path]::PathSeparator) { $platform[[System.IO.Path]::GetFileNameWithoutExtension($path)] = $path }
            $shipped = @(Get-ChildItem (Join-Path $module 'Dependencies') -Filter '*.dll' | Where-Object BaseName -Match '^(System|Microsoft)\.')
            $shipped.Count | Should -BeGreaterThan 0
            foreach ($file in $shipped) {
                $name = [System.Reflection.AssemblyName]::GetAssemblyName($file.FullName)
                $loaded = $alc.LoadFromAssemblyName($name)
                $runtimeHasIt = $platform.ContainsKey($file.BaseName) -and [System.Reflection.AssemblyName]::GetAssemblyName($platform[$file.BaseName]).Version -ge $name.Version
                $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($loaded).Name
                if ($runtimeHasIt) { $context | Should -Be 'Default' -Because "the runtime's $($file.BaseName) is as new" }
                else {
                    $context | Should -Be 'DaneTools' -Because "the runtime has no $($file.BaseName) $($name.Version)"
                    $copy = Join-Path $runtimeDeps $file.Name
                    $loaded.Location | Should -Be $(if (Test-Path $copy) { $copy } else { $file.FullName })
                }
            }
        }

        It 'loads the engine from the ReadyToRun copy this runtime accepts: net10.0-linux-x64 on .NET 10 (7.6), Dependencies/ on .NET 8 (7.4)' {
            $core = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'DaneTools.Core' })
            $core.Count | Should -Be 1
            $core[0].Location | Should -Be (Join-Path $runtimeDeps 'DaneTools.Core.dll')
            if ([Environment]::Version.Major -eq 8) { $runtimeDeps | Should -Be (Join-Path $module 'Dependencies') }
            if ([Environment]::Version.Major -eq 10 -and $IsLinux -and [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64') {
                $runtimeDeps | Should -Be (Join-Path $module 'Dependencies/net10.0-linux-x64')
            }
            # Its dependencies follow it: the load context resolves them from the same folder.
            $alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'DaneTools'
            $alc.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('DnsClient')).Location | Should -Be (Join-Path $runtimeDeps 'DnsClient.dll')
        }

        It 'shares only the engine: it lives in the DaneTools context, and no public type of it or of the cmdlets exposes a third-party type' {
            $clean.Result.Assemblies | Where-Object Name -EQ 'DaneTools.Core' | ForEach-Object Context | Should -Be 'DaneTools'
            $cmdlets = (Get-Command Test-DaneDomain).ImplementingType.Assembly
            $engine = (Get-Command Send-DaneMail).Parameters['DaneMode'].ParameterType.Assembly
            $engine.GetName().Name | Should -Be 'DaneTools.Core'
            $thirdParty = 'DnsClient', 'MimeKit', 'MailKit', 'BouncyCastle.Cryptography'
            $crossing = foreach ($type in @($cmdlets.GetExportedTypes()) + @($engine.GetExportedTypes())) {
                $used = @($type.BaseType) + $type.GetInterfaces()
                foreach ($member in $type.GetMembers([System.Reflection.BindingFlags]'Public,Instance,Static,DeclaredOnly')) {
                    switch ($member.MemberType) {
                        'Property' { $used += $member.PropertyType }
                        'Field' { $used += $member.FieldType }
                        'Method' { $used += $member.ReturnType; $used += $member.GetParameters().ParameterType }
                        'Constructor' { $used += $member.GetParameters().ParameterType }
                    }
                }
                foreach ($t in $used | Where-Object { $_ }) {
                    $all = @($t) + $(if ($t.HasElementType) { $t.GetElementType() }) + $(if ($t.IsGenericType) { $t.GetGenericArguments() })
                    foreach ($u in $all | Where-Object { $_ }) {
                        if ($u.Assembly.GetName().Name -in $thirdParty) { "$($type.FullName): $($u.FullName)" }
                    }
                }
            }
            $crossing | Should -BeNullOrEmpty
        }
    }
}

Describe 'Dependency isolation on the lab' -Tag Lab {
    # The real work (DNSSEC validation with BouncyCastle, TLS with MailKit, delivery with MimeKit) with the older
    # copies loaded first gives the clean session's verdicts. Set DANELAB_NS to run beside another checkout's lab.
    BeforeAll {
        $script:lab = Start-DaneLab
        $domains = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ','
        $failed = Join-Path $lab.Run ('isolation-failed-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
        $common = "-Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3"
        $work = @"
`$rows = @()
`$rows += Test-DaneDomain -DomainName $domains $common -HeloName probe.danetools.test -ErrorAction SilentlyContinue -ErrorVariable +errs | ForEach-Object {
    [pscustomobject]@{ Kind = 'Test-DaneDomain'; Key = `$_.DomainName
        Value = "`$(`$_.StatusText)|`$(`$_.ExchangeOnlineStatusText)|`$(`$_.ExchangeOnlineNdr)|`$(`$_.TlsRptResultType)|`$(`$_.MxStatusText)|" + ((`$_.MxHosts | ForEach-Object { "`$(`$_.HostName)=`$(`$_.OutcomeText)" }) -join ',') }
}
`$rows += Get-TlsaRecord -DomainName $domains $common -ErrorAction SilentlyContinue -ErrorVariable +errs | ForEach-Object {
    [pscustomobject]@{ Kind = 'Get-TlsaRecord'; Key = `$_.Name; Value = "`$(`$_.Status)|`$(`$_.Record)" }
}
`$rows += Send-DaneMail -From sender@sender.lab.test -To probe@ee311.test, probe@two-mx.test, probe@nsec3-nodata.test -Subject 'isolation' -Body 'hello' $common -HeloName send.danetools.test -FailedMessagePath '$failed' -PassThru -ErrorAction SilentlyContinue -ErrorVariable +errs | ForEach-Object {
    [pscustomobject]@{ Kind = 'Send-DaneMail'; Key = `$_.DomainName; Value = "`$(`$_.StatusText)|`$(`$_.DaneOutcomeText)|`$(`$_.HostName)|`$(`$_.MatchedTlsaRecord)" }
}
`$rows += @(`$errs) | ForEach-Object { [pscustomobject]@{ Kind = 'Error'; Key = `$_.FullyQualifiedErrorId; Value = [string]`$_.TargetObject } }
`$rows += [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'DnsClient', 'MimeKit', 'MailKit', 'BouncyCastle.Cryptography' } | ForEach-Object {
    [pscustomobject]@{ Kind = 'Assembly'; Key = `$_.Location; Value = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
}
`$rows
"@
        $loadOld = (Get-ConflictAssembly | ForEach-Object { "Add-Type -Path '$_'" }) -join [Environment]::NewLine
        $script:labClean = @(Invoke-InLab $work)
        $script:labOldFirst = @(Invoke-InLab $work -Prelude $loadOld)
        Remove-Item -Recurse -Force $failed -ErrorAction Ignore
        function script:Verdicts($rows) { @($rows | Where-Object Kind -NE 'Assembly' | ForEach-Object { "$($_.Kind) $($_.Key): $($_.Value)" } | Sort-Object) }
    }

    It 'gives the clean session''s verdicts for every lab domain with the older copies loaded first' {
        @($labClean | Where-Object Kind -EQ 'Test-DaneDomain').Count | Should -Be @($lab.Catalogue.scenarios).Count
        @($labClean | Where-Object Kind -EQ 'Send-DaneMail' | Where-Object Value -Like 'Delivered|*').Count | Should -BeGreaterThan 0
        $expected = Verdicts $labClean
        $seen = Verdicts $labOldFirst
        Compare-Object $expected $seen | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" } | Should -BeNullOrEmpty
        $seen.Count | Should -Be $expected.Count
    }

    It 'did that work with its own DnsClient, MimeKit, MailKit and BouncyCastle, beside the older ones' {
        $assemblies = @($labOldFirst | Where-Object Kind -EQ 'Assembly')
        $mine = @($assemblies | Where-Object { $_.Key -like '*/Dependencies/*' })
        ($mine.Key | Split-Path -Leaf | Sort-Object) | Should -Be @('BouncyCastle.Cryptography.dll', 'DnsClient.dll', 'MailKit.dll', 'MimeKit.dll')
        $mine.Value | Sort-Object -Unique | Should -Be 'DaneTools'
        @($assemblies | Where-Object { $_.Key -notlike '*/Dependencies/*' }).Value | Sort-Object -Unique | Should -Be 'Default'
    }
}
