BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    function script:Targets { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end {
            $t = Invoke-DaneInputTrace { param() $all | Get-MtaStsPolicy @dns @args }
            [pscustomobject]@{ Errors = $t.Errors; Warnings = $t.Warnings; Targets = $t.Inputs; Stop = $t.Stop } } }
}

AfterAll { $silent.Dispose() }

Describe 'Get-MtaStsPolicy' -Tag Unit {
    Context 'pipeline input shaped like Exchange Online output' {
        It 'binds strings and e-mail addresses by value, each domain once' {
            (@('contoso.test', 'chris@fabrikam.test', 'CONTOSO.test') | Targets).Targets | Sort-Object | Should -Be @('chris@fabrikam.test', 'contoso.test')
        }

        It 'binds <Kind> output by property name' -TestCases @(
            @{ Kind = 'AcceptedDomain'; Expected = @('accepted.test') }
            @{ Kind = 'OutboundConnector'; Expected = @('one.test', 'two.test') }
        ) {
            (New-ExchangeShapedObject -Kind $Kind | Targets).Targets | Sort-Object | Should -Be $Expected
        }

        It 'skips a wildcard with a warning and names a bad domain with InvalidDomainName' {
            $r = @('*.contoso.test', 'bad..name', 'ok.test') | Targets
            $r.Targets | Should -Be 'ok.test'
            $r.Warnings.Count | Should -Be 1
            ($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidDomainName,*' }).Count | Should -Be 1
        }
    }

    Context 'parameters' {
        It 'stops with CertificateFileNotFound for a -TrustedRootCertificate file that does not exist' {
            { Get-MtaStsPolicy contoso.test @dns -TrustedRootCertificate (Join-Path $TestDrive 'missing.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateFileNotFound,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
        }

        It 'stops with InvalidCertificateFile for a file that holds no certificate' {
            $bad = Join-Path $TestDrive 'bad.pem'
            Set-Content $bad 'not a certificate'
            { Get-MtaStsPolicy contoso.test @dns -TrustedRootCertificate $bad -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidCertificateFile,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
        }

        It 'bounds -HttpsTimeoutSeconds (1-600) and -MaxPolicyBytes (1024-10485760)' {
            { Get-MtaStsPolicy contoso.test -HttpsTimeoutSeconds 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
            { Get-MtaStsPolicy contoso.test -MaxPolicyBytes 10 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DaneTools.PowerShell.Commands.GetMtaStsPolicyCommand'
        }

        It 'stops with ResolverUnreachable when the resolver does not answer' {
            (Targets -InputObject 'contoso.test').Stop.FullyQualifiedErrorId | Should -BeLike 'ResolverUnreachable,*'
        }
    }

    Context 'Test-DaneDomain MTA-STS parameters' {
        It 'has -SkipMtaSts, -TrustedRootCertificate and -HttpsTimeoutSeconds' {
            $p = (Get-Command Test-DaneDomain).Parameters
            $p['SkipMtaSts'].ParameterType | Should -Be ([System.Management.Automation.SwitchParameter])
            $p['TrustedRootCertificate'].ParameterType | Should -Be ([string[]])
            $p['HttpsTimeoutSeconds'].ParameterType | Should -Be ([int])
        }

        It 'stops with CertificateFileNotFound for a missing -TrustedRootCertificate file' {
            { Test-DaneDomain contoso.test @dns -TrustedRootCertificate (Join-Path $TestDrive 'missing.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId 'CertificateFileNotFound,DaneTools.PowerShell.Commands.TestDaneDomainCommand'
        }
    }
}

Describe 'MTA-STS on the lab' -Tag Lab {
    BeforeDiscovery {
        $catalogue = (Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json).scenarios
        $script:stsCases = @($catalogue | Where-Object { $_.mtaSts } | ForEach-Object { @{ Id = $_.id; Domain = $_.domain; Expected = $_.expected.mtaSts; Dane = $_.expected } })
        $script:plainCases = @($catalogue | Where-Object { -not $_.mtaSts -and $_.expected.status -in 'Pass', 'NotApplicable' } |
            Select-Object -First 3 | ForEach-Object { @{ Id = $_.id; Domain = $_.domain; Dane = $_.expected } })
        # DANE hosts whose TLSA base domain publishes TLS-RPT (RFC 8460 section 1.1), from hosts[].tlsRptTxt
        $script:daneTlsRptCases = @($catalogue | Where-Object { @($_.expected.hosts | Where-Object tlsRpt).Count } | ForEach-Object { @{ Id = $_.id; Domain = $_.domain; Hosts = @($_.expected.hosts | Where-Object tlsRpt) } })
    }

    BeforeAll {
        $script:lab = Start-DaneLab
        $sts = @($lab.Catalogue.scenarios | Where-Object { $_.mtaSts })
        $plain = @($lab.Catalogue.scenarios | Where-Object { -not $_.mtaSts -and $_.expected.status -in 'Pass', 'NotApplicable' } | Select-Object -First 3)
        $daneTlsRpt = @($lab.Catalogue.scenarios | Where-Object { -not $_.mtaSts -and @($_.expected.hosts | Where-Object tlsRpt).Count })
        $domains = (@($sts) + @($plain) + @($daneTlsRpt) | ForEach-Object { "'$($_.domain)'" }) -join ','
        $ca = Join-Path $lab.Run 'certs/ca/root.crt'
        $script:seen = Invoke-InLab @"
`$common = @{ Server = '127.0.0.1'; TrustAnchor = '$($lab.Anchor)'; TimeoutSeconds = 3; TrustedRootCertificate = '$ca' }
`$policies = Get-MtaStsPolicy -DomainName $domains @common -HttpsTimeoutSeconds 10 -ErrorAction SilentlyContinue -ErrorVariable errs
`$results = Test-DaneDomain -DomainName $domains @common -HttpsTimeoutSeconds 10 -HeloName probe.danetools.test -ErrorAction Continue
`$untrusted = Test-DaneDomain -DomainName 'sts-enforce.test' -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test
`$dnsOnly = Test-DaneDomain -DomainName 'sts-enforce.test', 'sts-mx-mismatch.test' @common -DnsOnly
`$skipped = Test-DaneDomain -DomainName 'sts-mx-mismatch.test' @common -SkipMtaSts -HeloName probe.danetools.test
foreach (`$p in `$policies) {
    [pscustomobject]@{ Kind = 'Policy'; DomainName = `$p.DomainName; Mode = `$p.ModeText; PolicyId = `$p.PolicyId; ResultType = `$p.ResultType
        HttpStatus = `$p.HttpStatus; MxPatterns = @(`$p.MxPatterns); Warnings = @(`$p.Warnings); Chain = @(`$p.PolicyHostChain | ForEach-Object Subject)
        Problems = @(`$p.Problems | ForEach-Object { "`$(`$_.ResultType): `$(`$_.Message)" })
        TlsRptValid = `$p.TlsRptValid; TlsRptReportUris = @(`$p.TlsRptReportUris); TlsRptProblem = `$p.TlsRptProblem; PolicyListView = (`$p | Format-List | Out-String -Width 400) }
}
foreach (`$e in `$errs) { [pscustomobject]@{ Kind = 'Error'; Id = `$e.FullyQualifiedErrorId; Target = "`$(`$e.TargetObject)" } }
foreach (`$set in @(@('Result', `$results), @('Untrusted', `$untrusted), @('DnsOnly', `$dnsOnly), @('Skipped', `$skipped))) {
    foreach (`$r in `$set[1]) {
        [pscustomobject]@{ Kind = `$set[0]; DomainName = `$r.DomainName; Status = `$r.StatusText; Ndr = `$r.ExchangeOnlineNdr
            MtaStsMode = `$r.MtaStsMode; MtaStsPolicyId = `$r.MtaStsPolicyId; MtaStsResultType = `$r.MtaStsResultType
            OutboundStatus = `$r.ExchangeOnlineOutboundStatus; OutboundNdr = `$r.ExchangeOnlineOutboundNdr
            OutboundResultType = `$r.OutboundTlsRptResultType; OutboundPolicyType = `$r.OutboundTlsRptPolicyType
            StrictStatus = `$r.Outbound.StrictStatusText; HasOutbound = [bool]`$r.PSObject.Properties['Outbound']
            Hosts = @(`$r.Outbound.Hosts | ForEach-Object { [pscustomobject]@{ Name = `$_.HostName; Outcome = `$_.MtaStsOutcomeText; Reason = `$_.MtaSts.Reason; DecidedBy = `$_.DecidedBy } })
            TlsRptRecord = `$r.TlsRptRecord; TlsRptReportUris = @(`$r.TlsRptReportUris); TlsRptProblem = `$r.TlsRptProblem
            HasDaneTlsRpt = [bool]`$r.PSObject.Properties['DaneTlsRpt']
            DaneTlsRpt = @(`$r.DaneTlsRpt | ForEach-Object { [pscustomobject]@{ PolicyDomain = `$_.PolicyDomain; Valid = `$null -ne `$_.Record; ReportUris = @(`$_.ReportUris); Problem = `$_.Problem; Published = `$_.Published } })
            ListView = (`$r | Format-List | Out-String -Width 400) }
    }
}
"@
        function script:Seen($kind, $domain) { $seen | Where-Object { $_.Kind -eq $kind -and $_.DomainName -eq $domain } }
    }

    It '<Id>: Get-MtaStsPolicy gives the catalogue''s mode, policy id and result type' -ForEach $stsCases {
        $p = Seen 'Policy' $Domain
        $p | Should -Not -BeNullOrEmpty
        $p.Mode | Should -Be $Expected.mode -Because ($p.Problems -join '; ')
        $p.PolicyId | Should -Be $Expected.policyId
        $p.ResultType | Should -Be $Expected.resultType
        if ($Expected.resultType) {
            @($seen | Where-Object { $_.Kind -eq 'Error' -and $_.Target -eq $Domain }).Id | Should -BeLike 'MtaStsPolicyUnavailable,*'
        }
        else {
            $p.HttpStatus | Should -Be 200
            $p.Chain[0] | Should -Match "mta-sts\.$([regex]::Escape($Domain))"
        }
    }

    It '<Id>: Test-DaneDomain gives the catalogue''s MTA-STS and combined Exchange Online verdicts' -ForEach $stsCases {
        $r = Seen 'Result' $Domain
        $r | Should -Not -BeNullOrEmpty
        $r.Status | Should -Be $Dane.status -Because 'the DANE verdict is unchanged by MTA-STS'
        $r.Ndr | Should -Be $Dane.exchangeOnlineNdr
        $r.MtaStsMode | Should -Be $Expected.mode
        $r.MtaStsPolicyId | Should -Be $Expected.policyId
        $r.MtaStsResultType | Should -Be $Expected.resultType
        $r.OutboundStatus | Should -Be $Expected.outboundStatus -Because (($r.Hosts | ForEach-Object Reason) -join '; ')
        if ($Expected.outboundNdr) { $r.OutboundNdr | Should -BeLike "$($Expected.outboundNdr)*" } else { $r.OutboundNdr | Should -BeNullOrEmpty }
        $r.OutboundResultType | Should -Be $Expected.outboundResultType
        $r.StrictStatus | Should -Be $Expected.strictStatus
        foreach ($h in $Expected.hosts) {
            ($r.Hosts | Where-Object Name -EQ $h.name).Outcome | Should -Be $h.outcome -Because (($r.Hosts | ForEach-Object Reason) -join '; ')
        }
        $r.ListView | Should -Match ('ExchangeOnlineOutboundStatus\s*:\s*' + $Expected.outboundStatus)
    }

    It '<Id>: Get-MtaStsPolicy and Test-DaneDomain show the TLS-RPT record at _smtp._tls (RFC 8460 section 3)' -ForEach @($stsCases | Where-Object { $_.Expected.tlsRpt }) {
        $p = Seen 'Policy' $Domain
        $r = Seen 'Result' $Domain
        $p.TlsRptValid | Should -Be $Expected.tlsRpt.valid -Because $p.TlsRptProblem
        (@($p.TlsRptReportUris) -join ',') | Should -Be (@($Expected.tlsRpt.reportUris) -join ',')
        (@($r.TlsRptReportUris) -join ',') | Should -Be (@($Expected.tlsRpt.reportUris) -join ',')
        if ($Expected.tlsRpt.problem) {
            $p.TlsRptProblem | Should -BeLike "*$($Expected.tlsRpt.problem)*"
            $r.TlsRptProblem | Should -BeLike "*$($Expected.tlsRpt.problem)*"
            $r.ListView | Should -Match "TlsRptRecord\s*:.*$([regex]::Escape($Expected.tlsRpt.problem))"
        }
        else {
            $p.TlsRptProblem | Should -BeNullOrEmpty
            $r.TlsRptRecord | Should -BeLike 'v=TLSRPTv1;*'
            $r.ListView | Should -Match ('TlsRptRecord\s*:\s*rua ' + [regex]::Escape($Expected.tlsRpt.reportUris[0]))
            $p.PolicyListView | Should -Match ('TlsRpt\s*:\s*rua ' + [regex]::Escape($Expected.tlsRpt.reportUris[0]))
        }
    }

    It '<Id>: Test-DaneDomain shows the TLS-RPT record at the TLSA base domain of each DANE host (RFC 8460 section 1.1)' -ForEach $daneTlsRptCases {
        $r = Seen 'Result' $Domain
        $r | Should -Not -BeNullOrEmpty
        foreach ($h in $Hosts) {
            $t = @($r.DaneTlsRpt | Where-Object PolicyDomain -EQ $h.tlsRpt.policyDomain)
            $t.Count | Should -Be 1 -Because "one lookup at _smtp._tls.$($h.tlsRpt.policyDomain), not at the MX name $($h.name)"
            $t[0].Valid | Should -Be $h.tlsRpt.valid -Because $t[0].Problem
            (@($t[0].ReportUris) -join ',') | Should -Be (@($h.tlsRpt.reportUris) -join ',')
            if ($h.tlsRpt.problem) { $t[0].Problem | Should -BeLike "*$($h.tlsRpt.problem)*" } else { $t[0].Problem | Should -BeNullOrEmpty }
            if ($h.tlsRpt.valid) {
                $r.ListView | Should -Match ('DaneTlsRpt\s*:\s*' + [regex]::Escape("_smtp._tls.$($h.tlsRpt.policyDomain): rua $($h.tlsRpt.reportUris[0])"))
            }
        }
        # only base domains of hosts where DANE applies: the decoy record at the MX name is never looked at
        (@($r.DaneTlsRpt | ForEach-Object PolicyDomain) -join ',') | Should -Be (@($Hosts.tlsRpt.policyDomain) -join ',')
    }

    It 'looks up TLS-RPT at the TLSA base domain only where DANE applies: <Domain> (<Why>)' -TestCases @(
        @{ Domain = 'sts-dane.test'; Why = 'DANE-EE, no record published'; PolicyDomains = @('mx.sts-dane.test'); Published = $false }
        @{ Domain = 'sts-enforce.test'; Why = 'no TLSA: no DANE policy domain'; PolicyDomains = @(); Published = $false }
    ) {
        $r = Seen 'Result' $Domain
        $r.HasDaneTlsRpt | Should -BeTrue
        (@($r.DaneTlsRpt | ForEach-Object PolicyDomain) -join ',') | Should -Be ($PolicyDomains -join ',')
        foreach ($t in $r.DaneTlsRpt) { $t.Published | Should -Be $Published; $t.Valid | Should -BeFalse }
        if ($PolicyDomains) { $r.ListView | Should -Match "DaneTlsRpt\s*:\s*_smtp\._tls\.$([regex]::Escape($PolicyDomains[0])): none" }
    }

    It '<Id>: a domain without MTA-STS keeps its DANE verdict (NoPolicy)' -ForEach $plainCases {
        $r = Seen 'Result' $Domain
        $r.MtaStsMode | Should -Be 'NoPolicy'
        $r.OutboundStatus | Should -Be $Dane.exchangeOnlineStatus
        $r.OutboundNdr | Should -Be $Dane.exchangeOnlineNdr
        (Seen 'Policy' $Domain).Mode | Should -Be 'NoPolicy'
    }

    It 'needs the lab CA: without -TrustedRootCertificate the policy host fails WebPKI (sts-webpki-invalid), so no policy applies' {
        $r = Seen 'Untrusted' 'sts-enforce.test'
        $r.MtaStsMode | Should -Be 'NoPolicy'
        $r.MtaStsResultType | Should -Be 'sts-webpki-invalid'
    }

    It '-DnsOnly judges the mx patterns but not certificates' {
        (Seen 'DnsOnly' 'sts-mx-mismatch.test').OutboundNdr | Should -BeLike '5.4.8 *'
        $ok = Seen 'DnsOnly' 'sts-enforce.test'
        $ok.OutboundStatus | Should -Be 'DnsPass'
        $ok.Hosts[0].Outcome | Should -Be 'NotChecked'
    }

    It '-SkipMtaSts adds no MTA-STS properties' {
        $r = Seen 'Skipped' 'sts-mx-mismatch.test'
        $r.HasOutbound | Should -BeFalse
        $r.MtaStsMode | Should -BeNullOrEmpty
        $r.HasDaneTlsRpt | Should -BeFalse
    }
}
