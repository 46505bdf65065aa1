BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    function script:Trace { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end {
            Invoke-DaneInputTrace { param() $all | Test-DaneInboundReadiness @dns @args } } }
}

AfterAll { $silent.Dispose() }

Describe 'Test-DaneInboundReadiness' -Tag Unit {
    Context 'pipeline input shaped like Exchange Online output' {
        It 'binds Get-AcceptedDomain output by DomainName (never Name)' {
            (New-ExchangeShapedObject -Kind AcceptedDomain | Trace).Inputs | Should -Be @('accepted.test')
        }

        It 'binds strings by value, each domain once' {
            (@('contoso.test', 'CONTOSO.test', 'fabrikam.test') | Trace).Inputs | Sort-Object | Should -Be @('contoso.test', 'fabrikam.test')
        }

        It 'skips *.onmicrosoft.com and wildcard accepted domains with a warning each' {
            $tenant = New-ExchangeShapedObject -Kind AcceptedDomain
            $tenant.DomainName = 'contoso.onmicrosoft.com'
            $wildcard = New-ExchangeShapedObject -Kind AcceptedDomain
            $wildcard.DomainName = '*.contoso.test'
            $t = @($tenant, $wildcard, (New-ExchangeShapedObject -Kind AcceptedDomain)) | Trace
            $t.Inputs | Should -Be @('accepted.test')
            $t.Warnings.Count | Should -Be 2
            ($t.Warnings | ForEach-Object Message) -join ' ' | Should -Match 'onmicrosoft\.com'
        }

        It 'reads the expected MX from <Property> by property name' -TestCases @(
            @{ Property = 'DnssecMxValue'; Value = 'accepted-test.e-v1.mx.microsoft' }
            @{ Property = 'ExpectedMxRecord'; Value = '@ 60 IN MX 10 accepted-test.e-v1.mx.microsoft' }
            @{ Property = 'ExpectedMxRecord'; Value = [pscustomobject]@{ Record = '@ 60 IN MX 10 accepted-test.e-v1.mx.microsoft' } }
        ) {
            $o = New-ExchangeShapedObject -Kind AcceptedDomain
            $o | Add-Member -NotePropertyName $Property -NotePropertyValue $Value
            ($o | Trace).Lookups | Should -Be @('domain accepted.test, expected MX accepted-test.e-v1.mx.microsoft')
        }

        It 'names an expected MX that ends in no host with InvalidExpectedMx and goes on' {
            $bad = [pscustomobject]@{ DomainName = 'bad.test'; ExpectedMxRecord = '@ 60 IN MX 10' }
            $t = @($bad, (New-ExchangeShapedObject -Kind AcceptedDomain)) | Trace
            $t.Inputs | Should -Be @('accepted.test')
            ($t.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidExpectedMx,*' }).Count | Should -Be 1
        }

        It 'names a bad domain with InvalidDomainName' {
            ((@('bad..name') | Trace).Errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidDomainName,*' }).Count | Should -Be 1
        }

        It 'stops with ResolverUnreachable when the resolver does not answer' {
            ('contoso.test' | Trace).Stop.FullyQualifiedErrorId | Should -BeLike 'ResolverUnreachable,*'
        }
    }

    Context 'views' {
        BeforeAll {
            # A result as Import-Clixml gives it back (the Deserialized type name), to see the views as a user does.
            $script:row = [pscustomobject]@{ DomainName = 'accepted-domain.contoso.test'; StageText = 'MigrationInProgress'; SenderStatusText = 'NotApplicable'
                NextStep = "Once mail arrives through contoso-test.e-v1.mx.microsoft, publish '@ MX 0 contoso-test.e-v1.mx.microsoft.' alone"
                MxHosts = @('0 contoso-test.mail.protection.outlook.com', '20 contoso-test.e-v1.mx.microsoft'); MxTtlSeconds = 300
                ExpectedMxHost = ''; NewMxHost = 'contoso-test.e-v1.mx.microsoft'; ExchangeOnlineNdr = ''
                Checks = @([pscustomobject]@{ KindText = 'MxRecordSet'; StatusText = 'Fail'; Reason = 'The new host beside the legacy host.' }) }
            $row.PSObject.TypeNames.Insert(0, 'Deserialized.DaneTools.Core.Inbound.InboundReadinessResult')
        }

        It 'fits the table in 80 columns with the stage and next step' {
            $lines = @(($row | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^DomainName\s+Stage\s+Sender\s+NextStep'
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $lines[2] | Should -Match 'MigrationInProgress'
        }

        It 'lists every check in the list view' {
            $text = $row | Format-List | Out-String -Width 200
            $text | Should -Match 'Checks\s+:\s+MxRecordSet: Fail: The new host beside the legacy host\.'
            $text | Should -Match 'NewMxHost\s+:\s+contoso-test\.e-v1\.mx\.microsoft'
        }
    }
}

# Issue 18 on the lab: the catalogue's inbound scenarios (expected.inbound in tests/lab/scenarios.json) stand for accepted
# domains at each stage of the move; mx.microsoft.test and mail.protection.outlook.test stand for Exchange Online's new and
# legacy hosts (-NewMxSuffix, -LegacyMxSuffix). The domains come down the pipeline as Get-AcceptedDomain rows.
Describe 'Test-DaneInboundReadiness on the lab' -Tag Lab {
    BeforeDiscovery {
        $script:inboundCases = @((Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json).scenarios |
                Where-Object { $_.expected.inbound } | ForEach-Object { @{ Id = $_.id; Domain = $_.domain; Stage = $_.expected.inbound.stage; TtlAbove = $_.expected.inbound.mxTtlAbove; Inbound = $_.expected.inbound; Expected = $_.expected } })
        $script:checkCases = @(foreach ($c in $inboundCases) {
                foreach ($p in $c.Inbound.checks.PSObject.Properties) { @{ Id = $c.Id; Domain = $c.Domain; Kind = $p.Name; Want = $p.Value } }
            })
    }

    BeforeAll {
        $script:lab = Start-DaneLab
        $domains = (@($lab.Catalogue.scenarios | Where-Object { $_.expected.inbound }).domain | ForEach-Object { "'$_'" }) -join ','
        $ca = Join-Path $lab.Run 'certs/ca/root.crt'
        $script:clixml = Join-Path ([System.IO.Path]::GetTempPath()) "danetools-inbound-$([guid]::NewGuid()).xml"
        $script:seen = Invoke-InLab @"
`$common = @{ Server = '127.0.0.1'; TrustAnchor = '$($lab.Anchor)'; TimeoutSeconds = 3; HeloName = 'probe.danetools.test'
    NewMxSuffix = 'mx.microsoft.test'; LegacyMxSuffix = 'mail.protection.outlook.test'; TrustedRootCertificate = '$ca'; HttpsTimeoutSeconds = 10 }
# Get-AcceptedDomain rows (EXCHANGE.md 1.5): DomainName binds, Name is a display name; the tenant's own domain is skipped.
`$accepted = @(foreach (`$d in @($domains)) { [pscustomobject]@{ Identity = "Tenant `$d"; Name = "Tenant `$d"; DomainName = `$d; DomainType = 'Authoritative'; Default = `$false; MatchSubDomains = `$false } }) +
    @([pscustomobject]@{ Identity = 'contoso.onmicrosoft.com'; Name = 'contoso.onmicrosoft.com'; DomainName = 'contoso.onmicrosoft.com'; DomainType = 'Authoritative'; Default = `$true; MatchSubDomains = `$false })
`$results = `$accepted | Test-DaneInboundReadiness @common -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Continue
foreach (`$r in `$results) {
    [pscustomobject]@{ Kind = 'Result'; DomainName = `$r.DomainName; Stage = `$r.StageText; NextStep = `$r.NextStep; FirstProblem = if (`$r.FirstProblem) { `$r.FirstProblem.KindText } else { '' }
        MxTtlSeconds = `$r.MxTtlSeconds; NewMxHost = `$r.NewMxHost; MxHosts = @(`$r.MxHosts); SenderStatus = `$r.SenderStatusText; ExchangeOnlineNdr = `$r.ExchangeOnlineNdr
        Checks = @(`$r.Checks | ForEach-Object { [pscustomobject]@{ Kind = `$_.KindText; Status = `$_.StatusText; Code = `$_.Code; Reason = `$_.Reason; NextStep = `$_.NextStep } }) }
}
foreach (`$x in `$w) { [pscustomobject]@{ Kind = 'Warning'; DomainName = ''; Message = "`$x" } }
# Get-DnssecStatusForVerifiedDomain rows: ExpectedMxRecord (an object with Record) names the value Exchange Online expects.
`$expected = @(
    [pscustomobject]@{ DomainName = 'inbound-verified.test'; ExpectedMxRecord = [pscustomobject]@{ Record = '@ 60 IN MX 0 inbound-verified-test.i-v1.mx.microsoft.test' } }
    [pscustomobject]@{ DomainName = 'inbound-fallback.test'; ExpectedMxRecord = [pscustomobject]@{ Record = '@ 60 IN MX 0 inbound-fallback-test.x-v1.mx.microsoft.test' } })
foreach (`$r in (`$expected | Test-DaneInboundReadiness @common -SkipMtaSts)) {
    [pscustomobject]@{ Kind = 'Expected'; DomainName = `$r.DomainName; Stage = `$r.StageText; NextStep = `$r.NextStep; ExpectedMxHost = `$r.ExpectedMxHost
        Mx = (`$r.Checks | Where-Object KindText -EQ 'MxRecordSet' | ForEach-Object { "`$(`$_.StatusText) `$(`$_.Code)" }) }
}
# Clixml, as a report kept for later: the stage, the checks and the sender's view come back.
`$results | Where-Object DomainName -EQ 'inbound-highttl.test' | Export-Clixml -Path '$clixml'
`$back = Import-Clixml '$clixml'
[pscustomobject]@{ Kind = 'Clixml'; DomainName = `$back.DomainName; Stage = `$back.StageText; TypeName = `$back.PSObject.TypeNames[0]; NextStep = `$back.NextStep
    Checks = @(`$back.Checks | ForEach-Object { "`$(`$_.KindText) `$(`$_.StatusText) `$(`$_.Code)" }); SenderStatus = `$back.SenderStatusText
    Table = (`$back | Format-Table | Out-String -Width 80) }
# -DnsOnly: no probe, so a domain whose TLSA is in place stops at DaneEnabled (DESIGN 6b rule 8)
foreach (`$r in (Test-DaneInboundReadiness inbound-verified.test @common -DnsOnly)) {
    [pscustomobject]@{ Kind = 'DnsOnly'; DomainName = `$r.DomainName; Stage = `$r.StageText; Probe = (`$r.Checks | Where-Object KindText -EQ 'StartTlsProbe').StatusText }
}
"@
        function script:Result($domain) { $seen | Where-Object { $_.Kind -eq 'Result' -and $_.DomainName -eq $domain } }
    }

    AfterAll { Remove-Item $clixml -ErrorAction Ignore }

    It 'holds a lab domain for every stage of the move (InboundStageTable)' {
        $stages = @($lab.Catalogue.scenarios.expected.inbound | Where-Object { $_ } | ForEach-Object stage | Sort-Object -Unique)
        foreach ($s in 'NotSigned', 'SignedLegacyMx', 'MigrationInProgress', 'MxMigrated', 'DaneEnabled', 'DaneVerified', 'NotExchangeOnline') {
            $stages | Should -Contain $s
        }
    }

    It 'answers once per accepted domain and skips the tenant''s *.onmicrosoft.com domain with a warning' {
        @($seen | Where-Object Kind -EQ 'Result').Count | Should -Be @($lab.Catalogue.scenarios | Where-Object { $_.expected.inbound }).Count
        Result 'contoso.onmicrosoft.com' | Should -BeNullOrEmpty
        @($seen | Where-Object Kind -EQ 'Warning').Message -join ' ' | Should -Match 'contoso\.onmicrosoft\.com'
    }

    It '<Id>: <Domain> is at stage <Stage>' -ForEach $inboundCases {
        $r = Result $Domain
        $r | Should -Not -BeNullOrEmpty
        $r.Stage | Should -Be $Stage -Because (($r.Checks | ForEach-Object { "$($_.Kind) $($_.Status) $($_.Code): $($_.Reason)" }) -join '; ')
    }

    It '<Id>: <Kind> is <Want>' -ForEach $checkCases {
        $c = (Result $Domain).Checks | Where-Object Kind -EQ $Kind
        $c | Should -Not -BeNullOrEmpty
        $status, $code = $Want -split ' ', 2
        $c.Status | Should -Be $status -Because $c.Reason
        if ($code) { $c.Code | Should -Be $code -Because $c.Reason }
    }

    It '<Id>: names the failing check and its next step' -ForEach $inboundCases {
        $r = Result $Domain
        $r.FirstProblem | Should -Be $Inbound.firstProblem
        if ($Inbound.firstProblem) {
            $r.NextStep | Should -BeLike "*$($Inbound.nextSteps.($Inbound.firstProblem))*"
        }
        else { $r.NextStep | Should -BeNullOrEmpty }
        foreach ($p in $Inbound.nextSteps.PSObject.Properties) {
            ($r.Checks | Where-Object Kind -EQ $p.Name).NextStep | Should -BeLike "*$($p.Value)*" -Because "$($p.Name)'s next step"
        }
    }

    It '<Id>: carries the sender''s view (Test-DaneDomain''s verdict and NDR)' -ForEach $inboundCases {
        $r = Result $Domain
        $r.SenderStatus | Should -Be $Expected.status
        $r.ExchangeOnlineNdr | Should -Be $Expected.exchangeOnlineNdr
    }

    It '<Id>: reports the MX TTL above <TtlAbove> s during the move' -ForEach @($inboundCases | Where-Object { $_.TtlAbove }) {
        $r = Result $Domain
        $r.MxTtlSeconds | Should -BeGreaterThan $TtlAbove
        ($r.Checks | Where-Object Kind -EQ 'MxTtl').Reason | Should -Match "$($r.MxTtlSeconds) s"
    }

    It 'reads the expected MX from Get-DnssecStatusForVerifiedDomain rows: the published value passes, another one fails the MX check' {
        $ok = $seen | Where-Object { $_.Kind -eq 'Expected' -and $_.DomainName -eq 'inbound-verified.test' }
        $ok.ExpectedMxHost | Should -Be 'inbound-verified-test.i-v1.mx.microsoft.test'
        $ok.Mx | Should -Be 'Pass NewOnly'
        $ok.Stage | Should -Be 'DaneVerified'
        # inbound-fallback.test publishes inbound-fallback-test.i-v1..., not the x-v1 value Exchange Online gave
        $other = $seen | Where-Object { $_.Kind -eq 'Expected' -and $_.DomainName -eq 'inbound-fallback.test' }
        $other.Mx | Should -BeLike 'Fail *'
        $other.NextStep | Should -BeLike '*inbound-fallback-test.x-v1.mx.microsoft.test*'
    }

    It 'stops at DaneEnabled under -DnsOnly: the probe is not made' {
        $r = $seen | Where-Object Kind -EQ 'DnsOnly'
        $r.Stage | Should -Be 'DaneEnabled'
        $r.Probe | Should -Be 'NotChecked'
    }

    It 'survives Export-Clixml/Import-Clixml with its stage, checks and views' {
        $c = $seen | Where-Object Kind -EQ 'Clixml'
        $live = Result 'inbound-highttl.test'
        $c.TypeName | Should -Be 'Deserialized.DaneTools.Core.Inbound.InboundReadinessResult'
        $c.Stage | Should -Be 'MigrationInProgress'
        $c.NextStep | Should -Be $live.NextStep
        $c.Checks | Should -Be @($live.Checks | ForEach-Object { "$($_.Kind) $($_.Status) $($_.Code)" })
        $c.SenderStatus | Should -Be 'NotApplicable'
        $c.Table | Should -Match 'inbound-highttl\.test\s+MigrationInProgress'
    }
}
