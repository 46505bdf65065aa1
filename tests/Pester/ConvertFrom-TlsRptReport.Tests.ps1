BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $root = Get-RepositoryRoot
    $script:data = Join-Path $root 'tests/DaneTools.Core.Tests/TestData/TlsRpt'
    $script:rfcExample = Join-Path $root 'tests/conformance/rfc-vectors/rfc8460-example-report.json'
    $script:microsoft = 'microsoft.com!contoso.com!1795996800!1796083199!133775712000000000+contoso.com.json'
    $script:google = 'google.com!contoso.com!1795996800!1796083199!001.json'
    $script:suffix = ',DaneTools.PowerShell.Commands.ConvertFromTlsRptReportCommand'

    # A folder of mixed files, as an admin's download folder looks: good reports, a mail, and hostile or broken files.
    $script:mixed = Join-Path $TestDrive 'mixed'
    New-Item -ItemType Directory -Path $mixed | Out-Null
    Copy-Item $rfcExample (Join-Path $mixed 'rfc8460.json')
    foreach ($name in $microsoft, "$google.gz", 'exchange-online-report.eml', 'other-sender-quirks.json', 'wrong-types.json', 'not-json.json') {
        Copy-Item -LiteralPath (Join-Path $data $name) -Destination (Join-Path $mixed $name)
    }
    # A gzip bomb: 65 MiB of zeros (over the 64 MiB cap) in about 64 KiB, made with GZipStream.
    $script:bomb = Join-Path $mixed 'bomb.json.gz'
    $file = [System.IO.File]::Create($bomb)
    try {
        $gzip = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionLevel]::Optimal)
        $zeros = [byte[]]::new(1MB)
        for ($i = 0; $i -lt 65; $i++) { $gzip.Write($zeros, 0, $zeros.Length) }
        $gzip.Dispose()
    }
    finally { $file.Dispose() }
}

Describe 'ConvertFrom-TlsRptReport' -Tag Unit {
    Context 'Path' {
        It 'reads the RFC 8460 example report into its values' {
            $r = ConvertFrom-TlsRptReport -Path $rfcExample
            $r.PSObject.TypeNames[0] | Should -Be 'DaneTools.Core.TlsRpt.TlsRptPolicyReport'
            $r.Organization | Should -Be 'Company-X'
            $r.ReportId | Should -Be '5065427c-23d3-47ca-b6e0-946ea0e8c4be'
            $r.StartUtc | Should -Be ([datetime]::new(2016, 4, 1, 0, 0, 0, [DateTimeKind]::Utc))
            $r.EndUtc | Should -Be ([datetime]::new(2016, 4, 1, 23, 59, 59, [DateTimeKind]::Utc))
            $r.PolicyType | Should -Be 'sts'
            $r.PolicyDomain | Should -Be 'company-y.example'
            @($r.MxHost) | Should -Be @('*.mail.company-y.example')
            $r.SuccessfulSessions | Should -Be 5326
            $r.FailedSessions | Should -Be 303
            @($r.FailureDetails.ResultType) | Should -Be @('certificate-expired', 'starttls-not-supported', 'validation-failure')
            @($r.FailureDetails.FailedSessionCount) | Should -Be @(100, 200, 3)
        }

        It 'expands wildcards' {
            $r = @(ConvertFrom-TlsRptReport -Path (Join-Path $mixed 'microsoft.com!*.json') -WarningAction SilentlyContinue)
            $r.Count | Should -Be 2
            $r.Organization | Select-Object -Unique | Should -Be 'Microsoft Corporation'
        }

        It 'reads a folder and a Maildir (cur and new, not tmp)' {
            $maildir = Join-Path $TestDrive 'Maildir'
            foreach ($sub in 'cur', 'new', 'tmp') { New-Item -ItemType Directory -Path (Join-Path $maildir $sub) | Out-Null }
            Copy-Item (Join-Path $data 'exchange-online-report.eml') (Join-Path $maildir 'cur/1764570720.M1P1.host:2,S')
            Copy-Item -LiteralPath (Join-Path $data $google) (Join-Path $maildir 'new/1764570721.M2P1.host')
            Set-Content (Join-Path $maildir 'tmp/partial') 'half a message'
            $r = @(ConvertFrom-TlsRptReport -Path $maildir -WarningAction SilentlyContinue)
            $r.Count | Should -Be 4
            @($r.Organization | Select-Object -Unique) | Should -Be @('Microsoft Corporation', 'Google Inc.')
        }

        It 'takes a name with brackets as written with -LiteralPath' {
            $bracket = Join-Path $TestDrive 'report[1].json'
            Copy-Item $rfcExample -Destination $bracket
            (ConvertFrom-TlsRptReport -LiteralPath $bracket).Organization | Should -Be 'Company-X'
        }

        It 'writes TlsRptFileNotFound for a missing file' {
            ConvertFrom-TlsRptReport -LiteralPath (Join-Path $TestDrive 'missing.json') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "TlsRptFileNotFound$suffix"
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'pipeline from Get-ChildItem over a mixed folder' {
        BeforeAll {
            $script:results = @(Get-ChildItem $mixed | ConvertFrom-TlsRptReport -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue)
            $script:errors = @($err)
            $script:warnings = @($warn)
        }

        It 'reads every good file and goes on past the bad ones' {
            # rfc8460 1 + Microsoft json 2 + Google gz 2 + the mail 2 + quirks 1.
            $results.Count | Should -Be 8
            @($results.Source.Path | Select-Object -Unique).Count | Should -Be 5
        }

        It 'writes one error per bad file, naming it, with a precise id' -TestCases @(
            @{ File = 'not-json.json'; Id = 'TlsRptInvalidJson'; Category = 'InvalidData' }
            @{ File = 'wrong-types.json'; Id = 'TlsRptSchemaViolation'; Category = 'InvalidData' }
            @{ File = 'bomb.json.gz'; Id = 'TlsRptSizeLimitExceeded'; Category = 'LimitsExceeded' }
        ) {
            $e = @($errors | Where-Object { "$($_.TargetObject)" -like "*$File" })
            $e.Count | Should -Be 1
            $e[0].FullyQualifiedErrorId | Should -Be "$Id$suffix"
            $e[0].CategoryInfo.Category | Should -Be $Category
            $e[0].Exception.Message | Should -BeLike "*$File*"
        }

        It 'says the gzip bomb is one' {
            ($errors | Where-Object { "$($_.TargetObject)" -like '*bomb.json.gz' }).Exception.Message | Should -Match 'gzip bomb'
        }

        It 'warns about date-times without an offset and flags them' {
            $warnings | Where-Object { "$_" -match 'no time zone offset' } | Should -Not -BeNullOrEmpty
            ($results | Where-Object Organization -EQ 'Microsoft Corporation').TimeZoneAssumed | Should -Not -Contain $false
        }

        It 'reads the mail''s headers into Source' {
            $mail = $results | Where-Object { $_.Source.Kind -eq 'mail' } | Select-Object -First 1
            $mail.Source.ReportDomain | Should -Be 'contoso.com'
            $mail.Source.ReportSubmitter | Should -Be 'microsoft.com'
            $mail.Source.From | Should -Be 'tlsrpt-noreply@microsoft.com'
            $mail.Source.FileName.Sender | Should -Be 'microsoft.com'
        }

        It 'answers "which MX failed for whom" in one pipeline' {
            $groups = $results | ForEach-Object FailureDetails | Where-Object ReceivingMxHostname |
                Group-Object ReceivingMxHostname, ResultType, Organization
            ($groups | Where-Object Name -EQ 'mail.contoso.com, certificate-host-mismatch, Google Inc.').Count | Should -Be 1
            ($results | Group-Object Day).Name | Should -Contain ([datetime]'2026-11-30').ToString()
        }
    }

    Context 'InputObject' {
        It 'joins lines piped from Get-Content into one document' {
            $r = Get-Content $rfcExample | ConvertFrom-TlsRptReport
            $r.ReportId | Should -Be '5065427c-23d3-47ca-b6e0-946ea0e8c4be'
            $r.Source.Path | Should -Be 'InputObject'
        }

        It 'reads gzip bytes' {
            $bytes = [System.IO.File]::ReadAllBytes((Join-Path $data "$google.gz"))
            @(ConvertFrom-TlsRptReport -InputObject $bytes).Count | Should -Be 2
        }

        It 'writes TlsRptInvalidInput for another type and goes on' {
            $r = @(42, (Get-Content -Raw $rfcExample) | ConvertFrom-TlsRptReport -ErrorVariable err -ErrorAction SilentlyContinue)
            $err[0].FullyQualifiedErrorId | Should -Be "TlsRptInvalidInput$suffix"
            $r.Count | Should -Be 1
        }

        It 'writes TlsRptSchemaViolation naming the field' {
            '{"date-range":{"start-datetime":"2026-12-01T00:00:00Z","end-datetime":"2026-12-01T23:59:59Z"}}' |
                ConvertFrom-TlsRptReport -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "TlsRptSchemaViolation$suffix"
            $err[0].Exception.Message | Should -Match 'policies must be an array'
        }
    }

    Context 'VerifyDkim (RFC 8460 section 3)' {
        # The signed case, with a generated key and a DNS source that serves it, is in the xUnit TlsRptDkimVerifierTests.
        It 'refuses an unsigned report mail with TlsRptDkimInvalid and emits nothing' {
            $r = @(ConvertFrom-TlsRptReport -LiteralPath (Join-Path $data 'exchange-online-report.eml') -VerifyDkim -Server 127.0.0.1 -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $r | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be "TlsRptDkimInvalid$suffix"
            $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $err[0].Exception.Message | Should -Match '\(None\)'
        }

        It 'reads a .json file but warns that it carries no signature' {
            $r = ConvertFrom-TlsRptReport -Path $rfcExample -VerifyDkim -Server 127.0.0.1 -WarningVariable warn -WarningAction SilentlyContinue
            $r.Organization | Should -Be 'Company-X'
            "$warn" | Should -Match 'DKIM signature cannot be checked'
        }

        It 'stops with InvalidServer for a resolver that is not an address' {
            { ConvertFrom-TlsRptReport -Path $rfcExample -VerifyDkim -Server 'not an address' -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidServer$suffix"
        }
    }

    Context 'the JSON wins over the file name (RFC 8460 section 5.6)' {
        It 'warns when the file name names another policy domain and keeps the JSON''s' {
            $renamed = Join-Path $TestDrive 'google.com!fabrikam.com!1795996800!1796083199!001.json'
            Copy-Item -LiteralPath (Join-Path $data $google) -Destination $renamed
            $r = @(ConvertFrom-TlsRptReport -LiteralPath $renamed -WarningVariable warn -WarningAction SilentlyContinue)
            $r[0].PolicyDomain | Should -Be 'contoso.com'
            $r[0].Source.FileName.PolicyDomain | Should -Be 'fabrikam.com'
            "$warn" | Should -Match "file name's policy domain 'fabrikam.com'"
        }
    }

    Context 'serialisation and views' {
        BeforeAll {
            $script:report = ConvertFrom-TlsRptReport -Path $rfcExample
        }

        It 'keeps its meaning through Export-Clixml and Import-Clixml' {
            $xml = Join-Path $TestDrive 'report.clixml'
            $report | Export-Clixml $xml
            $back = Import-Clixml $xml
            $back.PSObject.TypeNames | Should -Contain 'Deserialized.DaneTools.Core.TlsRpt.TlsRptPolicyReport'
            $back.StartUtc | Should -Be $report.StartUtc
            $back.SuccessfulSessions | Should -Be 5326
            @($back.FailureDetails.ResultType) | Should -Be @('certificate-expired', 'starttls-not-supported', 'validation-failure')
            @($back.FailureDetails)[2].FailureReasonCode | Should -Be 'X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED'
            $back.Source.Path | Should -Be $rfcExample
            ($back | Format-Table | Out-String -Width 80) | Should -Match 'company-y\.example'
        }

        It 'converts to JSON with its field values' {
            $json = $report | ConvertTo-Json -Depth 5 | ConvertFrom-Json
            $json.FailureDetails[0].ResultType | Should -Be 'certificate-expired'
            $json.PolicyDomain | Should -Be 'company-y.example'
        }

        It 'shows a table per report, one row per policy, within 80 columns' {
            $text = $report | Format-Table | Out-String -Width 80
            $text | Should -Match 'Report: Company-X 2016-04-01 5065427c-23d3-47ca-b6e0-946ea0e8c4be'
            $text | Should -Match 'sts\s+company-y\.example\s+5326\s+303\s+certificate-expired 100'
            $text | Should -Match '\n\s+starttls-not-supported 200'
            foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        }

        It 'shows a list with the policy and the failures' {
            $text = $report | Format-List | Out-String -Width 80
            $text | Should -Match 'PolicyString\s+: version: STSv1'
            $text | Should -Match 'mx: \*\.mail\.company-y\.example'
            $text | Should -Match 'StartUtc\s+: 2016-04-01 00:00:00Z'
            $text | Should -Match 'certificate-expired x100 mx1\.mail\.company-y\.example'
        }

        It 'shows failure details in a table within 80 columns' {
            $text = $report.FailureDetails | Format-Table | Out-String -Width 80
            $text | Should -Match 'company-y\.example\s+certificate-expired\s+100\s+mx1\.mail\.company-y\.example'
            foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        }
    }
}
