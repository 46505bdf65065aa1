BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    # A resolver that never answers: UDP bound on loopback, nothing read.
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:silentServer = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
    $script:anchor = '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D'
}

AfterAll { $silent.Dispose() }

Describe 'Test-DnssecChain' -Tag Unit {
    Context 'bad input' {
        It 'writes InvalidDomainName for a name that is not one and goes on' {
            $t = Invoke-DaneInputTrace { param() Test-DnssecChain -Name 'bad..name', 'ok.test' -Server $silentServer -TimeoutSeconds 1 @args }
            $invalid = @($t.Errors | Where-Object FullyQualifiedErrorId -Like 'InvalidDomainName,*')
            $invalid.Count | Should -Be 1
            $invalid[0].TargetObject | Should -Be 'bad..name'
            $invalid[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $t.Inputs | Should -Be 'ok.test' -Because 'the other name is still taken'
        }

        It 'stops with one ResolverUnreachable error, within the timeout, when the resolver swallows queries' {
            # Issue 12: the path is judged once before the names; a dead resolver is one error, not one per name.
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $t = Invoke-DaneInputTrace { param() Test-DnssecChain -Name (1..200 | ForEach-Object { "n$_.test" }) -Server $silentServer -TimeoutSeconds 1 @args }
            $clock.Stop()
            $t.Errors | Should -BeNullOrEmpty
            $t.Stop.FullyQualifiedErrorId | Should -Be 'ResolverUnreachable,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
            $t.Stop.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $t.Stop.Exception.Message | Should -Match ([regex]::Escape($silentServer))
            $t.Stop.ErrorDetails.RecommendedAction | Should -Match '-Server'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        }

        It 'stops with TrustAnchorInvalid on a malformed trust anchor' {
            { Test-DnssecChain -Name example.test -Server $silentServer -TrustAnchor '. IN DS 20326 8 2 NOTHEX' } |
                Should -Throw -ErrorId 'TrustAnchorInvalid,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'stops with TrustAnchorInvalid naming a missing anchor file' {
            $err = { Test-DnssecChain -Name example.test -Server $silentServer -TrustAnchor (Join-Path $TestDrive 'none.key') } |
                Should -Throw -ErrorId 'TrustAnchorInvalid,DaneTools.PowerShell.Commands.TestDnssecChainCommand' -PassThru
            $err.Exception.Message | Should -Match 'none\.key'
        }

        It 'stops with InvalidServer on a server that is not an address' {
            { Test-DnssecChain -Name example.test -Server 'dns.example' } |
                Should -Throw -ErrorId 'InvalidServer,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'refuses a resolver outside the machine while tests run (resolver guard)' {
            $env:DANETOOLS_LOCAL_DNS_ONLY | Should -Be '1'
            { Test-DnssecChain -Name example.test -Server '192.0.2.53' } |
                Should -Throw -ErrorId 'InvalidServer,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'refuses an e-mail address or a name with spaces, and converts an IDN name to its A-label' {
            $t = Invoke-DaneInputTrace { param() Test-DnssecChain -Name 'chris@contoso.test', 'Contoso Ltd', 'bücher.test' -Server $silentServer -TimeoutSeconds 1 @args }
            ($t.Errors | Where-Object FullyQualifiedErrorId -Like 'InvalidDomainName,*').TargetObject | Sort-Object | Should -Be @('chris@contoso.test', 'Contoso Ltd')
            $t.Inputs | Should -Be 'bücher.test'
            $t.Lookups | Should -Be 'xn--bcher-kva.test. A'
        }

        It 'stops with InvalidRecordType for <Type>, which is validated with the RRsets it belongs to' -TestCases @(@{ Type = 'ANY' }, @{ Type = 'RRSIG' }) {
            { Test-DnssecChain -Name example.test -Type $Type -Server $silentServer } |
                Should -Throw -ErrorId 'InvalidRecordType,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }

        It 'stops with InvalidRecordType for an unknown type' {
            { Test-DnssecChain -Name example.test -Type 'NOPE' -Server $silentServer } |
                Should -Throw -ErrorId 'InvalidRecordType,DaneTools.PowerShell.Commands.TestDnssecChainCommand'
        }
    }

    Context 'pipeline' {
        It 'binds <Property> by property name' -TestCases @(
            @{ Property = 'DomainName' }, @{ Property = 'HostName' }, @{ Property = 'Name' }
        ) {
            $t = Invoke-DaneInputTrace { param() [pscustomobject]@{ $Property = 'bound.test' } | Test-DnssecChain -Server $silentServer -TimeoutSeconds 1 @args }
            $t.Inputs | Should -Be 'bound.test'
        }

        It 'binds DomainName before the display Name (Get-AcceptedDomain) and each RecipientDomains entry (Get-OutboundConnector)' {
            $t = Invoke-DaneInputTrace { param() @((New-ExchangeShapedObject AcceptedDomain), (New-ExchangeShapedObject OutboundConnector)) | Test-DnssecChain -Server $silentServer -TimeoutSeconds 1 @args }
            $t.Inputs | Should -Be @('accepted.test', 'one.test', 'two.test')
            $t.Lookups | Should -Be @('accepted.test. A', 'one.test. A', 'two.test. A')
        }

        It 'never validates a <Kind>''s display Name: its address (<Address>, where its mail goes) is refused with InvalidDomainName' -TestCases @(
            @{ Kind = 'Mailbox'; Address = 'chris@mailbox.test' }
            @{ Kind = 'MailContact'; Address = 'SMTP:partner@external.test' }
            @{ Kind = 'MailUser'; Address = 'SMTP:guest@external.test' }
            @{ Kind = 'MessageTraceV2'; Address = 'a@trace.test' }
        ) {
            $t = Invoke-DaneInputTrace { param() New-ExchangeShapedObject $Kind | Test-DnssecChain -Server $silentServer -TimeoutSeconds 1 @args }
            $t.Inputs | Should -BeNullOrEmpty
            $e = @($t.Errors | Where-Object FullyQualifiedErrorId -Like 'InvalidDomainName,*')
            $e.Count | Should -Be 1
            $e[0].TargetObject | Should -Be $Address
        }

        It 'binds HostName before DomainName and the owner Name (Get-TlsaRecord output)' {
            $t = Invoke-DaneInputTrace { param() [pscustomobject]@{ Name = '_25._tcp.mx.a.test'; HostName = 'mx.a.test'; DomainName = 'a.test' } | Test-DnssecChain -Server $silentServer -TimeoutSeconds 1 @args }
            $t.Inputs | Should -Be 'mx.a.test'
        }

        It 'keeps -Name, -HostName and -DomainName on the command line' {
            foreach ($p in 'Name', 'HostName', 'DomainName') {
                $a = @{ $p = 'cli.test' }
                (Invoke-DaneInputTrace { param() Test-DnssecChain @a -Server $silentServer -TimeoutSeconds 1 @args }).Inputs | Should -Be 'cli.test' -Because "-$p"
            }
        }
    }

    Context 'Ctrl+C' {
        # 50 names are a bulk run: at -TimeoutSeconds 5 on worker threads blocked in DNS reads, at 30 as tasks.
        It 'stops promptly while queries are in flight (<Mode>)' -TestCases @(
            @{ Mode = 'worker threads'; Timeout = 5 }, @{ Mode = 'tasks'; Timeout = 30 }
        ) {
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-Module DaneTools).Path).AddStatement()
            $null = $ps.AddCommand('Test-DnssecChain').AddParameter('Name', @(1..50 | ForEach-Object { "n$_.test" })).
                AddParameter('Server', $silentServer).AddParameter('TimeoutSeconds', $Timeout).AddParameter('ErrorAction', 'SilentlyContinue')
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
        }
    }
}

Describe 'Test-DnssecChain on the lab' -Tag Lab {
    BeforeAll {
        $script:lab = Start-DaneLab
        # Every DNS lookup the catalogue gives delv a verdict for.
        $script:checks = foreach ($s in $lab.Catalogue.scenarios) {
            foreach ($d in @($s.peers.delv)) { if ($d) { [pscustomobject]@{ Scenario = $s.id; Name = $d.name; Type = $d.type; Expect = $d.expect } } }
        }
        $names = ($checks | ForEach-Object { "@{ n = '$($_.Name)'; t = '$($_.Type)' }" }) -join ','
        # Ours, delv's and Unbound's verdicts, each taken inside the lab for the same question.
        $script:seen = Invoke-InLab @"
foreach (`$q in @($names)) {
    `$r = Test-DnssecChain -Name `$q.n -Type `$q.t -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -ErrorAction SilentlyContinue -ErrorVariable e
    # delv writes its verdict to stdout and failures to stderr: read stdout first, as tests/lab/peers.py does.
    `$delvAll = & delv '@127.0.0.1' -a '$($lab.Run)/delv/good.conf' '+root=.' `$q.n `$q.t 2>&1
    `$delvLines = @(`$delvAll | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] }) + @(`$delvAll | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] })
    `$delv = `$delvLines | ForEach-Object { "`$_".Trim() } |
        Where-Object { `$_ -like ';; resolution failed*' -or (`$_ -like '; *' -and `$_ -notlike ';;*') } | Select-Object -First 1
    `$dig = (& dig +dnssec +time=3 +tries=1 '@127.0.0.1' `$q.n `$q.t 2>&1) -join "``n"
    [pscustomobject]@{
        Name = `$q.n; Type = `$q.t
        Status = if (`$r) { [string]`$r.Status } else { 'Error' }
        ReasonCode = if (`$r) { `$r.ReasonCode } else { [string]`$e[0].FullyQualifiedErrorId }
        ReasonZone = if (`$r -and `$r.Reason) { `$r.Reason.Zone } else { '' }
        ReasonText = if (`$r -and `$r.Reason) { `$r.Reason.ToString() } else { '' }
        Servers = if (`$r) { @(`$r.Links | ForEach-Object Server) -join ' ' } else { '' }
        Delv = `$delv
        Server = if (`$r) { `$r.Server } else { '' }
        # Unbound's word: AD set (secure), an answer without AD (insecure), or SERVFAIL / no answer in time (failed).
        UnboundStatus = if (`$dig -notmatch 'status: (NOERROR|NXDOMAIN)') { 'SERVFAIL' } elseif (`$dig -match 'flags:[^;]* ad') { 'AD' } else { 'NOAD' }
    }
}
"@
        function script:Find($name, $type) { $seen | Where-Object { $_.Name -eq $name -and $_.Type -eq $type } | Select-Object -First 1 }
    }

    It 'gives delv''s verdict for <Name> <Type> (<Scenario>)' -ForEach @(
        foreach ($s in (Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json).scenarios) {
            foreach ($d in @($s.peers.delv)) { if ($d) { @{ Scenario = $s.id; Name = $d.name; Type = $d.type; Expect = $d.expect } } }
        }
    ) {
        $r = Find $Name $Type
        $r | Should -Not -BeNullOrEmpty
        # delv's first line, as the catalogue and delv itself say it now.
        $r.Delv | Should -Match ([regex]::Escape($Expect)) -Because 'the lab must answer as the catalogue says'
        switch -Regex ($Expect) {
            '^negative response, fully validated' { $r.Status | Should -Be 'Secure'; $r.ReasonCode | Should -BeIn 'NameDoesNotExist', 'NoData' }
            '^fully validated' { $r.Status | Should -Be 'Secure'; $r.ReasonCode | Should -BeNullOrEmpty }
            'unsigned answer' { $r.Status | Should -Be 'Insecure' }
            'resolution failed' { $r.Status | Should -BeIn 'Bogus', 'Indeterminate' }
        }
    }

    It 'agrees with Unbound on <Name> <Type>' -ForEach @(
        foreach ($s in (Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json).scenarios) {
            foreach ($d in @($s.peers.delv)) { if ($d) { @{ Name = $d.name; Type = $d.type } } }
        }
    ) {
        $r = Find $Name $Type
        switch ($r.UnboundStatus) {
            'AD' { $r.Status | Should -Be 'Secure' }
            'SERVFAIL' { $r.Status | Should -BeIn 'Bogus', 'Indeterminate' }
            'NOAD' { $r.Status | Should -Be 'Insecure' }
        }
    }

    It 'keeps its zone links, keys and DS records as objects through Export-Clixml without -Depth' {
        $out = Invoke-InLab @"
`$file = Join-Path ([IO.Path]::GetTempPath()) "danetools-`$([guid]::NewGuid()).xml"
`$r = Test-DnssecChain ee311.test -Type MX -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3
`$r | Export-Clixml -Path `$file
`$back = Import-Clixml `$file
Remove-Item `$file
function Keys(`$x) { @(`$x.Links | ForEach-Object { `$l = `$_; '{0} keys {1} ds {2}' -f `$l.Zone, ((`$l.Keys | ForEach-Object { '{0}/{1}' -f `$_.KeyTag, `$_.Flags }) -join ','), ((`$l.DsRecords | ForEach-Object KeyTag) -join ',') }) }
[pscustomobject]@{ Live = Keys `$r; Back = Keys `$back; LinkType = `$back.Links[0].PSObject.TypeNames[0]; KeyType = @(`$back.Links[-1].Keys)[0].PSObject.TypeNames[0] }
"@
        $out.Live.Count | Should -BeGreaterOrEqual 3   # ., test., ee311.test.
        @($out.Live -match '^ee311\.test\.? keys \d+/25[67](,\d+/25[67])* ds \d+').Count | Should -Be 1
        $out.Back | Should -Be $out.Live
        $out.LinkType | Should -Be 'Deserialized.DaneTools.Core.Dnssec.DnssecZoneLink'
        $out.KeyType | Should -Be 'Deserialized.DaneTools.Core.Dnssec.DnssecKeyInfo'
    }

    It 'keeps status and type readable through ConvertTo-Json' {
        $json = Invoke-InLab @"
Test-DnssecChain ds-nokey.test -Type MX -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 | ConvertTo-Json -Depth 8
"@
        $j = ($json | Select-Object -First 1) | ConvertFrom-Json
        $j.StatusText | Should -Be 'Bogus'
        $j.TypeText | Should -Be 'MX'
        $j.Reason.Code | Should -Be 'NoDnskeyForDs'
    }

    It 'accepts an RRSIG whose inception is 5 minutes ahead with a warning, and not one 25 hours ahead' {
        # The lab signs with inception one hour before generation and a ten-year lifetime: the allowance is 24 hours.
        $out = Invoke-InLab @"
`$sig = (& dig +dnssec +noall +answer '@127.0.0.1' ee311.test MX | Where-Object { `$_ -match '\sRRSIG\s+MX\s' } | Select-Object -First 1) -split '\s+'
`$inception = [datetime]::ParseExact(`$sig[9], 'yyyyMMddHHmmss', `$null, 'AssumeUniversal,AdjustToUniversal')
foreach (`$ahead in 5, (25 * 60)) {
    `$r = Test-DnssecChain ee311.test -Type MX -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -ValidationTime `$inception.AddMinutes(-`$ahead) -WarningVariable w -WarningAction SilentlyContinue
    "`$ahead|`$(`$r.Status)|`$(`$r.ReasonCode)|`$((@(`$r.Warnings) + @(`$w | ForEach-Object { "`$_" })) -join ' ## ')"
}
"@
        $near = @($out) | Where-Object { $_ -like '5|*' }
        $far = @($out) | Where-Object { $_ -like '1500|*' }
        $near | Should -Match '^5\|Secure\|\|'
        $near | Should -Match 'ee311\.test\. MX by key \d+ is valid only from .*5 minutes ahead.*clock-skew allowance of 1440 minutes'
        $far | Should -Match '^1500\|Bogus\|RrsigNotYetValid\|'
        $far | Should -Match 'The results below are for -ValidationTime' -Because 'the root''s keys are not valid then either: said once, as a warning'
    }

    It 'validates the root itself (-Name .), as delv does' {
        $out = Invoke-InLab @"
`$r = Test-DnssecChain -Name . -Type DNSKEY -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3
`$delv = (& delv '@127.0.0.1' -a '$($lab.Run)/delv/good.conf' '+root=.' . DNSKEY 2>&1 | ForEach-Object { "`$_".Trim() } | Where-Object { `$_ -like '; *' -and `$_ -notlike ';;*' } | Select-Object -First 1)
"`$(`$r.Status)|`$(`$r.Name)|`$delv"
"@
        $status, $name, $delv = ($out | Select-Object -Last 1) -split '\|', 3
        $delv | Should -Match 'fully validated'
        $status | Should -Be 'Secure'
        $name | Should -Be '.'
    }

    It 'names the failing zone, record and authoritative server when the resolver answers SERVFAIL for bogus data' {
        $r = Find '_25._tcp.mx.tlsa-rrsig-expired.test' 'TLSA'
        $r.UnboundStatus | Should -Be 'SERVFAIL'
        $r.Status | Should -Be 'Bogus'
        $r.ReasonCode | Should -Be 'RrsigExpired'
        $r.ReasonZone | Should -Be 'tlsa-rrsig-expired.test.'
        $r.ReasonText | Should -Match '_25\._tcp\.mx\.tlsa-rrsig-expired\.test'
        $r.Server | Should -Be '127.0.53.1:53' -Because 'the resolver failed, so the data came from the zone''s authoritative server'
        $r.ReasonText | Should -Match 'Served by 127\.0\.53\.1:53'
    }
}
