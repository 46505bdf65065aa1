BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:suffix = ',DaneTools.PowerShell.Commands.NewTlsRptReportCommand'
    $script:tlsa1 = '3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6'
    $script:tlsa2 = '3 1 1 8CB0FC6C527506A053F4F14C8464BEBBD6DEDE2738D11468DD953D7D6A3021F1'

    # Objects shaped as Import-Clixml returns Test-DaneDomain and Send-DaneMail results (the properties the adapter reads,
    # with the Deserialized. type names), so the tests run offline.
    function New-Deserialized([string] $TypeName, [hashtable] $Properties) {
        $o = [pscustomobject]$Properties
        $o.PSObject.TypeNames.Insert(0, "Deserialized.$TypeName")
        $o
    }
    function New-Address([string] $Address, [string] $Kind, [string] $ResultType, [bool] $Probed = $true) {
        New-Deserialized 'DaneTools.Core.Dane.DaneAddressResult' @{ Address = $Address; Probed = $Probed; FailureKindText = $Kind; TlsRptResultType = $ResultType }
    }
    function New-Host([string] $HostName, [string[]] $Tlsa, [object[]] $Addresses, [string] $Kind = 'None', [string] $ResultType = '') {
        New-Deserialized 'DaneTools.Core.Dane.DaneMxHostResult' @{
            HostName = $HostName; TlsaBaseDomain = $HostName; TlsaRecords = @($Tlsa); Addresses = @($Addresses)
            FailureKindText = $Kind; TlsRptResultType = $ResultType
        }
    }
    $script:contoso = New-Deserialized 'DaneTools.Core.Dane.DaneDomainResult' @{
        DomainName = 'contoso.test'; TlsRptPolicyType = 'tlsa'; ValidationTimeUtc = [datetime]::new(2026, 11, 30, 10, 0, 0, [DateTimeKind]::Utc)
        MxHosts = @(
            New-Host 'mx1.contoso.test' @($tlsa1) @(
                (New-Address '192.0.2.1' 'None' ''),
                (New-Address '2001:db8::1' 'TlsaInvalid' 'tlsa-invalid'),
                (New-Address '192.0.2.9' 'ConnectionFailed' ''),
                (New-Address '192.0.2.10' 'None' '' -Probed $false))
            New-Host 'mx2.contoso.test' @() @((New-Address '192.0.2.2' 'None' ''))
            New-Host 'mx3.contoso.test' @() @() 'DnssecInvalid' 'dnssec-invalid'
        )
    }
    $fabrikamPolicy = New-Deserialized 'DaneTools.Core.Dane.DaneDomainResult' @{
        DomainName = 'fabrikam.test'; TlsRptPolicyType = 'tlsa'; MxHosts = @(New-Host 'mail.fabrikam.test' @($tlsa2) @())
    }
    function New-Delivery([string] $Status, [string] $ResultType, [string] $Kind, [int] $Day = 30) {
        New-Deserialized 'DaneTools.Core.Delivery.DaneDeliveryResult' @{
            DomainName = 'fabrikam.test'; Status = $Status; HostName = 'mail.fabrikam.test'; Address = '198.51.100.7'
            TlsRptResultType = $ResultType; FailureKind = $Kind; Policy = $fabrikamPolicy; Attempts = @()
            TimeUtc = [datetime]::new(2026, 11, $Day, 11, 0, 0, [DateTimeKind]::Utc)
        }
    }
    $script:inputs = @($contoso, (New-Delivery 'Delivered' '' 'None'), (New-Delivery 'Deferred' 'certificate-expired' 'CertificateExpired'))
    $script:common = @{ OrganizationName = 'Contoso Ltd'; ContactInfo = 'tlsrpt@contoso.com' }
}

Describe 'New-TlsRptReport' -Tag Unit {
    Context 'round trip through ConvertFrom-TlsRptReport' {
        BeforeAll {
            $script:drafts = @($inputs | New-TlsRptReport @common)
            $script:read = @($drafts | ForEach-Object Json | ConvertFrom-TlsRptReport -WarningAction SilentlyContinue)
        }

        It 'makes one report per policy domain, for the day of the results' {
            @($drafts.PolicyDomain) | Should -Be @('contoso.test', 'mail.fabrikam.test', 'mx1.contoso.test', 'mx3.contoso.test')
            $drafts[0].StartUtc | Should -Be ([datetime]::new(2026, 11, 30, 0, 0, 0, [DateTimeKind]::Utc))
            $drafts[0].EndUtc | Should -Be ([datetime]::new(2026, 11, 30, 23, 59, 59, [DateTimeKind]::Utc))
            $drafts[2].FileName | Should -Be "contoso.com!mx1.contoso.test!1795996800!1796083199!$($drafts[2].ReportId).json"
        }

        It 'gives back the counts and result types per policy domain' -TestCases @(
            @{ Domain = 'mx1.contoso.test'; Type = 'tlsa'; Ok = 1; Failed = 1; Results = @('tlsa-invalid'); Tlsa = 1 }
            @{ Domain = 'contoso.test'; Type = 'no-policy-found'; Ok = 1; Failed = 0; Results = @(); Tlsa = 0 }
            @{ Domain = 'mx3.contoso.test'; Type = 'tlsa'; Ok = 0; Failed = 1; Results = @('dnssec-invalid'); Tlsa = 0 }
            @{ Domain = 'mail.fabrikam.test'; Type = 'tlsa'; Ok = 1; Failed = 1; Results = @('certificate-expired'); Tlsa = 2 }
        ) {
            $policy = @($read | Where-Object PolicyDomain -EQ $Domain)
            $policy.Count | Should -Be 1
            $policy[0].PolicyType | Should -Be $Type
            $policy[0].SuccessfulSessions | Should -Be $Ok
            $policy[0].FailedSessions | Should -Be $Failed
            @($policy[0].FailureDetails.ResultType) | Should -Be $Results
            if ($Tlsa -eq 1) { @($policy[0].PolicyString) | Should -Be @($tlsa1) }
            if ($Tlsa -eq 2) { @($policy[0].PolicyString) | Should -Be @($tlsa2) }
            if ($Tlsa -eq 0) { @($policy[0].PolicyString) | Should -BeNullOrEmpty }
        }

        It 'carries the receiving address and our failure kind as failure-reason-code' {
            $detail = ($read | Where-Object PolicyDomain -EQ 'mx1.contoso.test').FailureDetails[0]
            $detail.ReceivingIp | Should -Be '2001:db8::1'
            $detail.ReceivingMxHostname | Should -Be 'mx1.contoso.test'
            $detail.FailureReasonCode | Should -Be 'TlsaInvalid'
        }

        It 'writes only RFC 8460 section 4.4 keys' {
            $json = $drafts[2].Json | ConvertFrom-Json
            @($json.PSObject.Properties.Name) | Should -Be @('organization-name', 'date-range', 'contact-info', 'report-id', 'policies')
            @($json.policies[0].policy.PSObject.Properties.Name) | Should -Be @('policy-type', 'policy-string', 'policy-domain', 'mx-host')
            @($json.policies[0].summary.PSObject.Properties.Name) | Should -Be @('total-successful-session-count', 'total-failure-session-count')
            @($json.policies[0].'failure-details'[0].PSObject.Properties.Name) | Should -Be @('result-type', 'receiving-mx-hostname', 'receiving-ip', 'failed-session-count', 'failure-reason-code')
        }
    }

    Context 'files' {
        It 'writes .json.gz files under their RFC names that read back without warnings' {
            $folder = Join-Path $TestDrive 'out'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $drafts = @($inputs | New-TlsRptReport @common -Path $folder -Compress)
            $files = @(Get-ChildItem $folder)
            $files.Count | Should -Be 4
            $files.Name | Should -Contain $drafts[0].FileName
            $drafts[0].Path | Should -Be (Join-Path $folder $drafts[0].FileName)
            $drafts[0].FileName | Should -BeLike 'contoso.com!contoso.test!1795996800!1796083199!*.json.gz'
            $back = @($files | ConvertFrom-TlsRptReport -WarningVariable warn -WarningAction SilentlyContinue)
            $back.Count | Should -Be 4
            # Only the policy whose TLSA lookup was bogus has no RRset to report.
            @($warn).Count | Should -Be 1
            "$warn" | Should -Match 'tlsa mx3\.contoso\.test\) has no policy-string'
            ($back | Where-Object PolicyDomain -EQ 'mail.fabrikam.test').Source.Kind | Should -Be 'gzip'
        }

        It 'writes and emits nothing under -WhatIf' {
            $folder = Join-Path $TestDrive 'whatif'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $out = @($inputs | New-TlsRptReport @common -Path $folder -WhatIf)
            $out | Should -BeNullOrEmpty
            Get-ChildItem $folder | Should -BeNullOrEmpty
        }
    }

    Context 'inputs' {
        It 'skips results of another day with a warning' {
            $late = New-Delivery 'Delivered' '' 'None' -Day 29
            $drafts = @($late, $contoso | New-TlsRptReport @common -Date '2026-11-30' -WarningVariable warn -WarningAction SilentlyContinue)
            "$warn" | Should -Match 'skipped: made on 2026-11-29'
            $drafts.PolicyDomain | Should -Not -Contain 'mail.fabrikam.test'
        }

        It 'writes TlsRptInvalidInput for another object and uses the rest' {
            $drafts = @('not a result', $contoso | New-TlsRptReport @common -ErrorVariable err -ErrorAction SilentlyContinue)
            $err[0].FullyQualifiedErrorId | Should -Be "TlsRptInvalidInput$suffix"
            $drafts.Count | Should -Be 3
        }

        It 'counts a domain whose MX lookup failed as one failed session for the recipient domain' {
            $bogus = New-Deserialized 'DaneTools.Core.Dane.DaneDomainResult' @{
                DomainName = 'bogus.test'; TlsRptPolicyType = 'tlsa'; FailureKindText = 'DnssecInvalid'; TlsRptResultType = 'dnssec-invalid'; MxHosts = @()
                ValidationTimeUtc = [datetime]::new(2026, 11, 30, 10, 0, 0, [DateTimeKind]::Utc)
            }
            $report = $bogus | New-TlsRptReport @common | ForEach-Object Json | ConvertFrom-TlsRptReport -WarningAction SilentlyContinue
            $report.PolicyDomain | Should -Be 'bogus.test'
            $report.FailedSessions | Should -Be 1
            $report.FailureDetails[0].ResultType | Should -Be 'dnssec-invalid'
            $report.FailureDetails[0].ExchangeOnlineNdr | Should -Be '5.7.324 dnssec-invalid'
        }

        It 'shows its drafts in a table within 80 columns' {
            $text = @($inputs | New-TlsRptReport @common) | Format-Table | Out-String -Width 80
            $text | Should -Match 'mx1\.contoso\.test\s+2026-11-30\s+1\s+1'
            foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        }
    }
}

Describe 'New-TlsRptReport on the lab catalogue' -Tag Lab {
    BeforeAll {
        $script:lab = Start-DaneLab
        $domains = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'$_'" }) -join ','
        # One run in the lab: Test-DaneDomain over the catalogue, New-TlsRptReport over its results, ConvertFrom-TlsRptReport
        # over the JSON; besides, the sessions counted straight from the results' probed addresses, to compare with.
        $script:seen = Invoke-InLab @"
`$results = @(Test-DaneDomain -DomainName $domains -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -ErrorAction SilentlyContinue)
`$drafts = @(`$results | New-TlsRptReport -OrganizationName 'DaneTools lab' -ContactInfo tlsrpt@danetools.test -WarningAction SilentlyContinue)
`$read = @(`$drafts | ForEach-Object Json | ConvertFrom-TlsRptReport -WarningAction SilentlyContinue)
`$policies = foreach (`$p in `$read) {
    [pscustomobject]@{ Kind = 'Policy'; PolicyDomain = `$p.PolicyDomain; PolicyType = `$p.PolicyType; Ok = `$p.SuccessfulSessions; Failed = `$p.FailedSessions
        ResultTypes = @(`$p.FailureDetails | ForEach-Object ResultType) }
}
`$probes = foreach (`$r in `$results) { foreach (`$h in `$r.MxHosts) { foreach (`$a in @(`$h.Addresses | Where-Object Probed)) {
    [pscustomobject]@{ Kind = 'Probe'; DomainName = `$r.DomainName; HostName = `$h.HostName; Address = `$a.Address; ResultType = `$a.TlsRptResultType; FailureKind = `$a.FailureKindText }
} } }
`$keys = foreach (`$d in `$drafts) { [pscustomobject]@{ Kind = 'Keys'; Names = ((`$d.Json | ConvertFrom-Json).PSObject.Properties.Name -join ',') } }
@(`$policies) + @(`$probes) + @(`$keys)
"@
        $script:policies = @($seen | Where-Object Kind -EQ 'Policy')
        $script:probes = @($seen | Where-Object Kind -EQ 'Probe')
    }

    It 'reads back a report for the catalogue''s domains, with the RFC 8460 top-level keys' {
        $policies.Count | Should -BeGreaterThan 10
        foreach ($k in @($seen | Where-Object Kind -EQ 'Keys')) { $k.Names | Should -Be 'organization-name,date-range,contact-info,report-id,policies' }
    }

    It 'gives back each catalogue domain''s expected TLS-RPT result type' {
        foreach ($s in $lab.Catalogue.scenarios | Where-Object { $_.expected.tlsRpt.resultType -and $_.expected.tlsRpt.policyType -eq 'tlsa' }) {
            $names = @($s.domain) + @($s.hosts.name)
            $found = @($policies | Where-Object { $_.PolicyDomain -in $names -and $_.ResultTypes -contains $s.expected.tlsRpt.resultType })
            $found | Should -Not -BeNullOrEmpty -Because "$($s.id) expects $($s.expected.tlsRpt.resultType)"
        }
    }

    It 'counts one session per probed address that is a TLS session: successes and failures add up' {
        $tls = @($probes | Where-Object { $_.FailureKind -eq 'None' -or $_.ResultType })
        ($policies | Measure-Object Ok -Sum).Sum | Should -Be @($tls | Where-Object FailureKind -EQ 'None').Count
        $failedProbes = @($tls | Where-Object ResultType).Count
        ($policies | Measure-Object Failed -Sum).Sum | Should -BeGreaterOrEqual $failedProbes
    }
}
