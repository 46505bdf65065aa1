BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    # A resolver that never answers: every recipient domain becomes a DnsQueryFailed error naming it (binding is visible offline).
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ("send-danemail-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1; FailedMessagePath = (Join-Path $work 'undelivered') }
    # A resolver that answers SERVFAIL to everything (RFC 1035 4.1.1 RCODE 2): it answers, so the MX lookup fails as data.
    $script:servfail = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:servfailJob = Start-ThreadJob -ArgumentList $servfail -ScriptBlock {
        param($u)
        while ($true) {
            $ep = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Any, 0)
            try { $b = $u.Receive([ref]$ep) } catch { break }
            $b[2] = $b[2] -bor 0x80                   # QR
            $b[3] = ($b[3] -band 0xF0) -bor 2         # RCODE SERVFAIL
            [void]$u.Send($b, $b.Length, $ep)
        }
    }
    $script:servfailDns = @{ Server = "127.0.0.1:$($servfail.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    $script:cmd = 'DaneTools.PowerShell.Commands.SendDaneMailCommand'
    # Send-DaneMail to a@deferred.test (SERVFAIL resolver) in a child shell started with -NonInteractive; its output as one string.
    function script:Invoke-NonInteractiveSend([string] $Arguments) {
        $module = if ($env:DANETOOLS_MODULE) { $env:DANETOOLS_MODULE } else { Join-Path (Get-RepositoryRoot) 'out/DaneTools' }
        $script = "Import-Module '$module/DaneTools.psd1'; Send-DaneMail -From me@sender.test -To a@deferred.test -Server '$($servfailDns.Server)' -TimeoutSeconds 1 $Arguments"
        (& dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
    }

    function script:New-Eml([string] $Name, [string] $To, [string] $Extra = '') {
        $path = Join-Path $work $Name
        Set-Content -Path $path -Value "From: me@sender.test`r`nTo: $To`r`n$($Extra)Subject: t`r`nMessage-ID: <$([guid]::NewGuid())@sender.test>`r`n`r`nbody`r`n" -NoNewline
        Get-Item $path
    }
}

AfterAll {
    $silent.Dispose()
    $servfail.Dispose()
    $servfailJob | Stop-Job -PassThru | Remove-Job -Force
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'Send-DaneMail' -Tag Unit {
    Context 'parameters' {
        It 'composes with -From and -To (Send-MailMessage''s habits) and reads .eml files in another set' {
            $c = Get-Command Send-DaneMail
            $c.ParameterSets.Name | Sort-Object | Should -Be @('Compose', 'MimeMessage')
            ($c.ParameterSets | Where-Object Name -EQ 'Compose').Parameters | Where-Object IsMandatory | ForEach-Object Name | Sort-Object | Should -Be @('From', 'To')
            $c.Parameters['MimeMessagePath'].Aliases | Should -Contain 'FullName'
            $c.Parameters['DaneMode'].ParameterType.FullName | Should -Be 'DaneTools.Core.Delivery.DaneMailMode'
            # The engine's types live in the module's private load context: no [DaneTools.Core...] literal, reach them through the command.
            [enum]::GetNames($c.Parameters['DaneMode'].ParameterType) | Should -Be @('Enforce', 'Mandatory')
            $c.Parameters.Keys | Should -Contain 'WhatIf'
            foreach ($p in 'Server', 'TrustAnchor', 'TimeoutSeconds', 'ValidationTime', 'StrictSha1', 'SmtpPort', 'HeloName', 'FailedMessagePath', 'PassThru', 'Attachments', 'Priority', 'Encoding', 'BodyAsHtml', 'Bcc', 'Cc') {
                $c.Parameters.Keys | Should -Contain $p
            }
        }

        It 'has -MtaStsMode Opportunistic|None (Exchange Online''s connector setting) and -TrustedRootCertificate' {
            $c = Get-Command Send-DaneMail
            $c.Parameters['MtaStsMode'].ParameterType.FullName | Should -Be 'DaneTools.Core.Delivery.MtaStsMailMode'
            [enum]::GetNames($c.Parameters['MtaStsMode'].ParameterType) | Should -Be @('Opportunistic', 'None')
            $c.Parameters['TrustedRootCertificate'].ParameterType | Should -Be ([string[]])
        }

        It 'stops with CertificateFileNotFound for a -TrustedRootCertificate file that does not exist, sending nothing' {
            { Send-DaneMail -From me@sender.test -To a@x.test @dns -TrustedRootCertificate (Join-Path $work 'missing.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId "CertificateFileNotFound,$cmd"
        }

        It 'binds -MimeMessagePath from Get-ChildItem *.eml output, one message per file' {
            New-Eml 'one.eml' 'a@one.test' | Out-Null
            New-Eml 'two.eml' 'b@two.test' | Out-Null
            $null = Get-ChildItem (Join-Path $work '*.eml') | Send-DaneMail @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | ForEach-Object FullyQualifiedErrorId | Sort-Object -Unique | Should -Be "DnsQueryFailed,$cmd"
            $errs | ForEach-Object TargetObject | Sort-Object | Should -Be @('one.test', 'two.test')
            Remove-Item (Join-Path $work '*.eml')
        }

        It 'takes -To as the envelope of an .eml (resending to some recipients only)' {
            $eml = New-Eml 'env.eml' 'a@headers.test'
            $null = Send-DaneMail -MimeMessagePath $eml.FullName -To b@envelope.test @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.TargetObject | Should -Be 'envelope.test'
            Remove-Item $eml
        }

        It 'groups recipients by domain: one pre-flight per domain, Bcc included' {
            $null = Send-DaneMail -From me@sender.test -To a@x.test, B@X.test -Cc c@y.test -Bcc d@z.test @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | ForEach-Object TargetObject | Sort-Object | Should -Be @('x.test', 'y.test', 'z.test')
        }

        It 'takes recipients as Exchange and mail clients write them (SMTP: prefix, display name)' {
            $null = Send-DaneMail -From me@sender.test -To 'SMTP:a@x.test', 'Chris Example <c@y.test>' @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | ForEach-Object FullyQualifiedErrorId | Should -Not -Match 'InvalidRecipientAddress'
            $errs | ForEach-Object TargetObject | Sort-Object | Should -Be @('x.test', 'y.test')
        }
    }

    Context 'bad input' {
        It 'writes InvalidRecipientAddress for <Value> and goes on with the other recipients' -TestCases @(@{ Value = 'nobody' }, @{ Value = 'x@localhost' }) {
            $null = Send-DaneMail -From me@sender.test -To $Value, good@fine.test @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $bad = @($errs | Where-Object FullyQualifiedErrorId -EQ "InvalidRecipientAddress,$cmd")
            $bad.Count | Should -Be 1
            $bad[0].TargetObject | Should -Be $Value
            $bad[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            ($errs | Where-Object FullyQualifiedErrorId -EQ "DnsQueryFailed,$cmd").TargetObject | Should -Be 'fine.test'
        }

        It 'writes MessageFileNotFound for a missing attachment and sends nothing' {
            $null = Send-DaneMail -From me@sender.test -To a@x.test -Attachments (Join-Path $work 'missing.pdf') @dns -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "MessageFileNotFound,$cmd"
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -BeLike '*missing.pdf'
        }

        It 'writes MessageFileNotFound for a missing .eml' {
            { Send-DaneMail -MimeMessagePath (Join-Path $work 'none.eml') @dns -ErrorAction Stop } | Should -Throw -ErrorId "MessageFileNotFound,$cmd"
        }

        It 'writes FailedMessagePathNotWritable and sends nothing when the failed-message folder cannot be written' {
            # As root every folder is writable: a path below a regular file cannot be created by anyone.
            $file = Join-Path $work 'not-a-folder'
            Set-Content -Path $file -Value x
            $r = Send-DaneMail -From me@sender.test -To a@deferred.test @servfailDns -FailedMessagePath (Join-Path $file 'failed') -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Match '^FailedMessagePathNotWritable'
            $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
            "$($errs[0].TargetObject)" | Should -BeLike '*not-a-folder*failed'
        }

        It 'writes InvalidMessage for an unparsable sender' {
            { Send-DaneMail -From 'not an address' -To a@x.test @dns -ErrorAction Stop } | Should -Throw -ErrorId "InvalidMessage,$cmd"
        }

        It 'writes InvalidMessage for an .eml without recipients' {
            $eml = Join-Path $work 'norcpt.eml'
            Set-Content -Path $eml -Value "From: me@sender.test`r`nSubject: t`r`n`r`nbody`r`n"
            { Send-DaneMail -MimeMessagePath $eml @dns -ErrorAction Stop } | Should -Throw -ErrorId "InvalidMessage,$cmd"
            Remove-Item $eml
        }

        It 'rejects an unknown -DaneMode' {
            { Send-DaneMail -From me@sender.test -To a@x.test -DaneMode Sometimes @dns } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,DaneTools.PowerShell.Commands.SendDaneMailCommand'
        }
    }

    Context 'a recipient domain whose MX lookup fails (offline resolver answering SERVFAIL)' {
        It '-WhatIf prints the plan, sends nothing and writes no file' {
            $failed = Join-Path $work 'whatif'
            $out = Invoke-NonInteractiveSend "-FailedMessagePath '$failed' -WhatIf -PassThru"
            $out | Should -Match 'What if: Performing the operation "Send-DaneMail" on target "deferred\.test: a@deferred\.test: not deliverable \(Deferred'
            $out | Should -Not -Match 'DaneDeliveryResult|Delivered'
            Test-Path $failed | Should -BeFalse
        }

        It '-Debug in a non-interactive host does not prompt (verbose lines stay off) and still saves the message' {
            $failed = Join-Path $work 'debug'
            $out = Invoke-NonInteractiveSend "-FailedMessagePath '$failed' -Debug -PassThru -ErrorAction SilentlyContinue | ForEach-Object { 'status: ' + `$_.StatusText }"
            $out | Should -Not -Match 'NonInteractive mode'
            $out | Should -Match 'status: Deferred'
            @(Get-ChildItem $failed -Filter *.eml).Count | Should -Be 1
        }

        It 'defers the domain: DnsQueryFailed with NDR 5.4.312, the .eml written and named' {
            $failed = Join-Path $work 'failed'
            $r = Send-DaneMail -From me@sender.test -To a@deferred.test -Bcc hidden@deferred.test -Subject 'keep me' @servfailDns -FailedMessagePath $failed -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.StatusText | Should -Be 'Deferred'
            $r.IsPermanent | Should -BeFalse
            $r.ExchangeOnlineNdr | Should -Be '5.4.312 DNS query failed'
            $r.RecipientAddress | Should -Be @('a@deferred.test', 'hidden@deferred.test')
            $r.Attempts | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "DnsQueryFailed,$cmd"
            $errs[0].TargetObject | Should -Be 'deferred.test'
            $errs[0].Exception.Result.FailedMessagePath | Should -Be $r.FailedMessagePath
            $errs[0].Exception.Message | Should -Match ([regex]::Escape($r.FailedMessagePath))
            $errs[0].ErrorDetails.RecommendedAction | Should -Match 'MimeMessagePath'
            $eml = Get-Content -Raw $r.FailedMessagePath
            $eml | Should -Match '(?m)^Subject: keep me'
            $eml | Should -Not -Match '(?m)^Bcc:'
            $eml | Should -Not -Match 'hidden@'
        }

        It '-Verbose prints the decisions, one line per phase' {
            $lines = Send-DaneMail -From me@sender.test -To a@deferred.test @servfailDns -FailedMessagePath (Join-Path $work 'verbose') -Verbose -ErrorAction SilentlyContinue 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $lines | Where-Object { $_ -like 'deferred.test: Resolve: deferred.test MX: Indeterminate*' } | Should -Not -BeNullOrEmpty
            $lines | Where-Object { $_ -like 'deferred.test: Send: plan: *not deliverable*' } | Should -Not -BeNullOrEmpty
            $lines | Where-Object { $_ -like 'deferred.test: Send: Deferred: *written to*' } | Should -Not -BeNullOrEmpty
        }

        It 'keeps its table view through Export-Clixml' {
            $r = Send-DaneMail -From me@sender.test -To a@deferred.test @servfailDns -FailedMessagePath (Join-Path $work 'clixml') -PassThru -ErrorAction SilentlyContinue
            $file = Join-Path $work 'result.xml'
            $r | Export-Clixml -Path $file
            $back = Import-Clixml -Path $file
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.DaneTools.Core.Delivery.DaneDeliveryResult'
            $table = ($back | Format-Table | Out-String)
            $table | Should -Match 'DomainName\s+Status\s+HostName'
            $table | Should -Match 'deferred\.test\s+Deferred'
            ($r | ConvertTo-Json -Depth 8 | ConvertFrom-Json).StatusText | Should -Be 'Deferred'
        }
    }
}

Describe 'Send-DaneMail on the lab' -Tag Lab {
    BeforeDiscovery {
        $catalogue = Get-Content -Raw (Join-Path $PSScriptRoot '../lab/scenarios.json') | ConvertFrom-Json
        $script:sendScenarios = $catalogue.scenarios | ForEach-Object {
            @{ Id = $_.id; Domain = $_.domain; Expected = $_.expected; Sender = $_.peers.postfixSender; Good = $_.peers.postfixSender.outcome -eq 'delivered' }
        }
        # Every scenario with an MTA-STS policy: the catalogue's combined verdict (Test-DaneDomain's ExchangeOnlineOutbound*) is what a sender applying it does.
        $script:stsScenarios = @($catalogue.scenarios | Where-Object { $_.mtaSts } | ForEach-Object { @{ Id = $_.id; Domain = $_.domain; Expected = $_.expected.mtaSts } })
        # Every scenario the lab's MTA-STS Postfix sender (mta-sts-daemon as its TLS policy map) was recorded on, with DaneTools' own
        # outcome where it differs by design (byDesign) and the reason (why).
        $script:stsPeerScenarios = @($catalogue.scenarios | Where-Object { $_.peers.postfixStsSender } | ForEach-Object {
                @{ Id = $_.id; Domain = $_.domain; Peer = $_.peers.postfixStsSender; ByDesign = $_.byDesign.postfixStsSender; Why = $_.why.postfixStsSender } })
    }

    BeforeAll {
        $script:lab = Start-DaneLab
        $run = $lab.Run
        $script:token = [guid]::NewGuid().ToString('N').Substring(0, 12)
        $script:failedDir = Join-Path $run "send-failed-$token"
        $script:attachment = Join-Path $run "send-attachment-$token.txt"
        Set-Content -Path $attachment -Value "DaneTools attachment $token" -NoNewline
        $script:attachmentBase64 = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("DaneTools attachment $token"))
        $to = ($lab.Catalogue.scenarios.domain | ForEach-Object { "'probe@$_'" }) -join ','
        $modulePath = if ($env:DANETOOLS_MODULE) { $env:DANETOOLS_MODULE } else { Join-Path (Get-RepositoryRoot) 'out/DaneTools' }
        $stsTo = (@($lab.Catalogue.scenarios | Where-Object { $_.mtaSts }).domain | ForEach-Object { "'probe@$_'" }) -join ','
        $ca = Join-Path $run 'certs/ca/root.crt'
        $common = "-Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName send.danetools.test"
        # Every lab process runs inside the namespace: the proxy is started and stopped by the lab script itself.
        $script:seen = Invoke-InLab @"
function Get-Mail([string] `$Pattern) {
    @(Get-ChildItem '$run/maildir/*/*/new/*' -File -ErrorAction SilentlyContinue | Where-Object { (Get-Content -Raw `$_.FullName) -match `$Pattern } |
        ForEach-Object { [pscustomobject]@{ Domain = `$_.Directory.Parent.Parent.Name; Box = `$_.Directory.Parent.Name; Text = (Get-Content -Raw `$_.FullName) } })
}
function Project(`$r) {
    [pscustomobject]@{ DomainName = `$r.DomainName; Status = `$r.StatusText; Delivered = `$r.Delivered; IsPermanent = `$r.IsPermanent; HostName = `$r.HostName
        Address = `$r.Address; DaneOutcome = `$r.DaneOutcomeText; TlsVersion = `$r.TlsVersion; CipherAlgorithm = `$r.CipherAlgorithm; MatchedTlsaRecord = `$r.MatchedTlsaRecord; ServerReply = `$r.ServerReply
        ExchangeOnlineNdr = `$r.ExchangeOnlineNdr; TlsRptResultType = `$r.TlsRptResultType; ReasonCode = `$r.ReasonCode; Reason = `$r.Reason
        MtaStsPolicyMode = `$r.MtaStsPolicyModeText; MtaStsOutcome = `$r.MtaStsOutcomeText; Attempts = @(`$r.Attempts | ForEach-Object { [pscustomobject]@{ HostName = `$_.HostName; Address = `$_.Address; MtaStsRefused = `$_.MtaStsRefused; Transcript = (`$_.Transcript -join "``n") } })
        FailedMessagePath = `$r.FailedMessagePath; Recipients = @(`$r.RecipientAddress); Transcript = (`$r.Transcript -join "``n"); MessageId = `$r.MessageId }
}
function ProjectError(`$e) { [pscustomobject]@{ Id = `$e.FullyQualifiedErrorId; Target = [string]`$e.TargetObject; Message = `$e.Exception.Message; Action = `$e.ErrorDetails.RecommendedAction } }

# 1. one composed message to every scenario domain
`$all = Send-DaneMail -From 'DaneTools Lab <sender@sender.lab.test>' -To $to -Subject 'lab $token' -Body 'body $token' -Attachments '$attachment' $common -FailedMessagePath '$failedDir/all' -PassThru -ErrorVariable allErrors -ErrorAction SilentlyContinue
`$allMail = Get-Mail 'lab $token'

# 2. three domains, one failing; one recipient as Bcc
`$three = Send-DaneMail -From sender@sender.lab.test -To probe@ee301.test -Cc probe@mismatch.test -Bcc probe@ta201.test -Subject 'three $token' -Body 'three' $common -FailedMessagePath '$failedDir/three' -PassThru -ErrorVariable threeErrors -ErrorAction SilentlyContinue -WarningVariable threeWarnings
`$threeMail = Get-Mail 'three $token'

# 3. the STARTTLS-stripping proxy in front of a host without DANE (port 2525 has no TLSA anywhere)
`$pidFile = '$run/pids/send-strip-$token.pid'
`$proxy = Start-Process -FilePath python3 -ArgumentList '$(Join-Path (Get-RepositoryRoot) 'tests/lab/starttls_strip.py')', '--pidfile', `$pidFile, '127.0.29.1:2525=127.0.29.1:25' -PassThru
for (`$i = 0; `$i -lt 50 -and -not (Test-Path `$pidFile); `$i++) { Start-Sleep -Milliseconds 100 }
try {
    `$plainEnforce = Send-DaneMail -From sender@sender.lab.test -To probe@nsec3-nodata.test -Subject 'strip enforce $token' -Body 'x' $common -SmtpPort 2525 -FailedMessagePath '$failedDir/strip' -PassThru -ErrorVariable stripErrors -ErrorAction SilentlyContinue
    `$plainMandatory = Send-DaneMail -From sender@sender.lab.test -To probe@nsec3-nodata.test -Subject 'strip mandatory $token' -Body 'x' $common -SmtpPort 2525 -DaneMode Mandatory -FailedMessagePath '$failedDir/strip' -PassThru -ErrorVariable mandatoryErrors -ErrorAction SilentlyContinue
}
finally { Stop-Process -Id `$proxy.Id -ErrorAction SilentlyContinue }
`$stripMail = Get-Mail 'strip (enforce|mandatory) $token'
`$daneMandatory = Send-DaneMail -From sender@sender.lab.test -To probe@ee311.test -Subject 'mandatory dane $token' -Body 'x' $common -DaneMode Mandatory -FailedMessagePath '$failedDir/strip' -PassThru -ErrorAction SilentlyContinue
`$daneMandatory | Export-Clixml -Path '$failedDir/delivery.xml'

# 5. -ErrorAction Stop: the failing domain ends the command only after every domain was tried or saved
`$stopError = `$null
try { `$null = Send-DaneMail -From sender@sender.lab.test -To probe@mismatch.test, probe@ee311.test -Subject 'stop $token' -Body 'x' $common -FailedMessagePath '$failedDir/stop' -ErrorAction Stop }
catch { `$stopError = `$_ }
`$stopMail = Get-Mail 'stop $token'
`$stopFiles = @(Get-ChildItem '$failedDir/stop' -Filter *.eml -ErrorAction SilentlyContinue).Count

# 4. -WhatIf: the plan only (printed by ShouldProcess to the host: run it in a child shell to read it)
`$whatIf = (& dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$modulePath/DaneTools.psd1'; Send-DaneMail -From sender@sender.lab.test -To probe@ee311.test, probe@two-mx.test, probe@nsec3-nodata.test -Subject 'whatif $token' $common -FailedMessagePath '$failedDir/whatif' -WhatIf -PassThru" 2>&1) -join "``n"
`$whatIfMail = Get-Mail 'whatif $token'
# The plan under -DaneMode Mandatory of a domain DNS cannot prove (mismatch.test fails on its certificate) and of one with only PKIX usages (no usable record).
`$whatIfMandatory = (& dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$modulePath/DaneTools.psd1'; Send-DaneMail -From sender@sender.lab.test -To probe@mismatch.test, probe@pkix-only.test -Subject 'whatif2 $token' $common -DaneMode Mandatory -FailedMessagePath '$failedDir/whatif2' -WhatIf" 2>&1) -join "``n"

# 6. MTA-STS (RFC 8461) with the lab CA trusted for WebPKI: every scenario with a policy; then -MtaStsMode None where enforce refuses; the plan under -WhatIf
`$sts = Send-DaneMail -From sender@sender.lab.test -To $stsTo -Subject 'sts $token' -Body 'sts' $common -TrustedRootCertificate '$ca' -FailedMessagePath '$failedDir/sts' -PassThru -ErrorVariable stsErrors -ErrorAction SilentlyContinue -WarningVariable stsWarnings
`$stsMail = Get-Mail 'sts $token'
`$stsNone = Send-DaneMail -From sender@sender.lab.test -To probe@sts-mx-mismatch.test, probe@sts-badcert.test -Subject 'stsnone $token' -Body 'x' $common -TrustedRootCertificate '$ca' -MtaStsMode None -FailedMessagePath '$failedDir/stsnone' -PassThru -ErrorVariable stsNoneErrors -ErrorAction SilentlyContinue
`$stsNoneMail = Get-Mail 'stsnone $token'
`$whatIfSts = (& dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$modulePath/DaneTools.psd1'; Send-DaneMail -From sender@sender.lab.test -To probe@sts-mx-mismatch.test, probe@sts-enforce.test, probe@sts-dane.test -Subject 'whatifsts $token' $common -TrustedRootCertificate '$ca' -FailedMessagePath '$failedDir/whatifsts' -WhatIf" 2>&1) -join "``n"

[pscustomobject]@{
    Sts = @(`$sts | ForEach-Object { Project `$_ }); StsErrors = @(`$stsErrors | ForEach-Object { ProjectError `$_ }); StsWarnings = @(`$stsWarnings | ForEach-Object { "`$_" }); StsMail = `$stsMail
    StsNone = @(`$stsNone | ForEach-Object { Project `$_ }); StsNoneErrors = @(`$stsNoneErrors | ForEach-Object { ProjectError `$_ }); StsNoneMail = `$stsNoneMail; WhatIfSts = `$whatIfSts
    All = @(`$all | ForEach-Object { Project `$_ }); AllErrors = @(`$allErrors | ForEach-Object { ProjectError `$_ }); AllMail = `$allMail
    Three = @(`$three | ForEach-Object { Project `$_ }); ThreeErrors = @(`$threeErrors | ForEach-Object { ProjectError `$_ }); ThreeWarnings = @(`$threeWarnings | ForEach-Object { "`$_" }); ThreeMail = `$threeMail
    PlainEnforce = @(`$plainEnforce | ForEach-Object { Project `$_ }); PlainMandatory = @(`$plainMandatory | ForEach-Object { Project `$_ })
    StripErrors = @(`$stripErrors | ForEach-Object { ProjectError `$_ }); MandatoryErrors = @(`$mandatoryErrors | ForEach-Object { ProjectError `$_ }); StripMail = `$stripMail
    DaneMandatory = @(`$daneMandatory | ForEach-Object { Project `$_ })
    WhatIf = `$whatIf; WhatIfMandatory = `$whatIfMandatory; WhatIfMail = `$whatIfMail; WhatIfFiles = (Test-Path '$failedDir/whatif')
    StopErrorId = if (`$stopError) { `$stopError.FullyQualifiedErrorId } else { '' }; StopMail = `$stopMail; StopFiles = `$stopFiles
}
"@
        $script:seen = $seen[0]
        $script:byDomain = @{}
        foreach ($r in $seen.All) { $byDomain[$r.DomainName] = $r }
        $script:stsByDomain = @{}
        foreach ($r in $seen.Sts) { $stsByDomain[$r.DomainName] = $r }
        # One of the lab's Postfix senders (lab-manifest.json's sender or stsSender) given the message in $Eml for probe@ each of
        # $Domains: the outcome per domain as peers.py reads the sender's log (run/logs/<Log>.log).
        function script:Invoke-PostfixSender([string] $Manifest, [string] $Log, [string] $Eml, [string[]] $Domains) {
            $py = @"
import json, os, re, smtplib, sys, time
sys.path.insert(0, os.path.join('$(Get-RepositoryRoot)', 'tests', 'lab'))
import peers
cat, man = peers.load()
sender = man['$Manifest']['address'] if isinstance(man['$Manifest'], dict) else man['$Manifest']
data = open('$Eml', 'rb').read()
log = os.path.join(peers.RUN, 'logs', '$Log.log')
offset = os.path.getsize(log) if os.path.exists(log) else 0
sent = {}
for d in json.loads(sys.argv[1]):
    with smtplib.SMTP(sender, 25, timeout=30) as s:
        s.ehlo('send.danetools.test')
        s.mail('sender@sender.lab.test')
        s.rcpt('probe@' + d)
        code, resp = s.data(data)
        sent[d] = (re.search(rb'queued as ([0-9A-Za-z]+)', resp).group(1).decode(), None)
print(json.dumps({d: o['outcome'] for d, o in peers.sender_outcomes(sent, log, offset, time.time() + 90).items()}))
"@
            $pyFile = Join-Path $lab.Run "send-compare-$Log-$token.py"
            Set-Content -Path $pyFile -Value $py
            try {
                $ns = if ($env:DANELAB_NS) { $env:DANELAB_NS } else { 'danelab' }
                $out = & ip netns exec $ns python3 $pyFile ($Domains | ConvertTo-Json -Compress -AsArray) 2>&1
                $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            }
            finally { Remove-Item $pyFile -ErrorAction Ignore }
            ($out | Select-Object -Last 1) | ConvertFrom-Json -AsHashtable
        }
    }

    AfterAll {
        Remove-Item -Recurse -Force $failedDir, $attachment -ErrorAction Ignore
    }

    Context 'one message to every scenario domain' {
        It '<Id>: delivered with headers, body and attachment where the Postfix DANE sender delivers' -ForEach ($sendScenarios | Where-Object Good) {
            $r = $byDomain[$Domain]
            $r | Should -Not -BeNullOrEmpty
            $r.Status | Should -Be 'Delivered' -Because $r.Reason
            $r.ServerReply | Should -Match '^250 2\.0\.0 '
            $r.HostName | Should -Be $Sender.via -Because 'the MX host that takes the mail is the one Postfix uses (a failing preferred MX is passed over)'
            $r.FailedMessagePath | Should -BeNullOrEmpty
            # the catalogue's RFC 7672 verdict for the host (and address) that took the message
            $address = $r.Address
            $expectedOutcome = @($Expected.hosts | Where-Object name -EQ $r.HostName | ForEach-Object {
                    if ($_.addresses) { ($_.addresses | Where-Object address -EQ $address).verdict } else { $_.verdict } })[0]
            if ($expectedOutcome) { $r.DaneOutcome | Should -Be $expectedOutcome }
            if ($r.DaneOutcome -eq 'Authenticated') { $r.MatchedTlsaRecord | Should -Match '^[23] [01] [012] [0-9A-F]+$' } else { $r.MatchedTlsaRecord | Should -BeNullOrEmpty }
            $r.TlsVersion | Should -Match '^Tls1[23]$' -Because 'every lab listener offers STARTTLS'
            $mail = @($seen.AllMail | Where-Object Domain -EQ $Domain)
            $mail.Count | Should -Be 1
            $mail[0].Box | Should -Be 'probe'
            $mail[0].Text | Should -Match "(?m)^Subject: lab $token"
            $mail[0].Text | Should -Match '(?m)^From: DaneTools Lab <sender@sender\.lab\.test>'
            $headers = ($mail[0].Text -split "\r?\n\r?\n", 2)[0] -replace '\r?\n[ \t]+', ' '   # unfolded (RFC 5322 2.2.3)
            $headers | Should -Match "(?m)^To: .*probe@$([regex]::Escape($Domain))(,|\s*$)"
            $mail[0].Text | Should -Match "(?m)^Message-I[dD]: $([regex]::Escape($r.MessageId))|<$([regex]::Escape($r.MessageId))>"
            $mail[0].Text | Should -Match "body $token"
            $mail[0].Text | Should -Match ([regex]::Escape($attachmentBase64))
            $mail[0].Text | Should -Match 'filename="?send-attachment-'
            $mail[0].Text | Should -Match 'with ESMTPS' -Because 'the receiving Postfix notes a TLS session'
        }

        It '<Id>: nothing arrives, the catalogue''s NDR code and the .eml where the Postfix DANE sender does not deliver' -ForEach ($sendScenarios | Where-Object { -not $_.Good }) {
            $r = $byDomain[$Domain]
            $r | Should -Not -BeNullOrEmpty
            $r.Delivered | Should -BeFalse
            $r.ExchangeOnlineNdr | Should -Be $Expected.exchangeOnlineNdr
            if ($Expected.tlsRpt.resultType) { $r.TlsRptResultType | Should -Be $Expected.tlsRpt.resultType }
            $r.IsPermanent | Should -Be ($Sender.outcome -eq 'bounced')
            @($seen.AllMail | Where-Object Domain -EQ $Domain) | Should -BeNullOrEmpty
            $r.FailedMessagePath | Should -BeLike (Join-Path $failedDir 'all/*.eml')
            Test-Path $r.FailedMessagePath | Should -BeTrue
            (Get-Content -Raw $r.FailedMessagePath) | Should -Match "(?m)^Subject: lab $token"
            $e = @($seen.AllErrors | Where-Object Target -EQ $Domain)
            $e.Count | Should -Be 1
            $e[0].Message | Should -Match ([regex]::Escape($r.FailedMessagePath))
            $e[0].Message | Should -Match ([regex]::Escape($Expected.exchangeOnlineNdr))
            # never a plaintext or unauthenticated session where DANE applies: no MAIL FROM was sent to a failing DANE host
            $r.Transcript | Should -Not -Match '(?m)^C: MAIL FROM'
        }

        It 'writes exactly one error per domain that did not get the message' {
            $failing = @($lab.Catalogue.scenarios | Where-Object { $_.peers.postfixSender.outcome -ne 'delivered' }).Count
            $seen.AllErrors.Count | Should -Be $failing
            @($seen.AllErrors.Target | Sort-Object -Unique).Count | Should -Be $failing
        }

        It 'delivers and defers the same domains as the lab''s Postfix DANE sender given the same message' {
            $eml = @($seen.All | Where-Object FailedMessagePath | Select-Object -First 1)[0].FailedMessagePath
            $domains = $seen.All.DomainName
            $postfix = Invoke-PostfixSender -Manifest sender -Log postfix-send -Eml $eml -Domains $domains
            $ours = @{}
            foreach ($r in $seen.All) { $ours[$r.DomainName] = if ($r.Delivered) { 'delivered' } elseif ($r.IsPermanent) { 'bounced' } else { 'deferred' } }
            foreach ($d in $domains) { "$d $($ours[$d])" | Should -Be "$d $($postfix[$d])" }
        }
    }

    Context 'three recipient domains, one failing' {
        It 'delivers to the two others, reports one error and nothing else' {
            @($seen.Three | Where-Object Delivered).DomainName | Sort-Object | Should -Be @('ee301.test', 'ta201.test')
            $seen.ThreeErrors.Count | Should -Be 1
            $seen.ThreeErrors[0].Id | Should -Be "DaneAuthenticationFailed,$cmd"
            $seen.ThreeErrors[0].Target | Should -Be 'mismatch.test'
            $seen.ThreeWarnings | Should -BeNullOrEmpty
            @($seen.ThreeMail | Where-Object Domain -EQ 'mismatch.test') | Should -BeNullOrEmpty
            @($seen.ThreeMail | Where-Object Domain -In 'ee301.test', 'ta201.test').Count | Should -Be 2
        }

        It 'under -ErrorAction Stop still delivers to the good domain and saves the failed one before stopping' {
            $seen.StopErrorId | Should -Be "DaneAuthenticationFailed,$cmd"
            @($seen.StopMail | Where-Object Domain -EQ 'ee311.test').Count | Should -Be 1
            @($seen.StopMail | Where-Object Domain -EQ 'mismatch.test').Count | Should -Be 0
            $seen.StopFiles | Should -Be 1
        }

        It 'never shows the Bcc recipient in a header' {
            foreach ($m in $seen.ThreeMail) {
                $headers = ($m.Text -split "`r?`n`r?`n", 2)[0]
                $headers | Should -Not -Match '(?m)^Bcc:'
                ($headers -split "`n" | Where-Object { $_ -match '^(To|Cc|From):' }) -join "`n" | Should -Not -Match 'ta201'
            }
        }
    }

    Context 'a man in the middle that strips STARTTLS' {
        It 'makes delivery to a DANE domain fail closed (downgrade.test)' {
            $r = $byDomain['downgrade.test']
            $r.Delivered | Should -BeFalse
            $r.ExchangeOnlineNdr | Should -Be '5.7.321 starttls-not-supported'
            $r.Transcript | Should -Not -Match '(?m)^C: MAIL FROM'
            ($seen.AllErrors | Where-Object Target -EQ 'downgrade.test').Id | Should -Be "StartTlsNotOffered,$cmd"
        }

        It 'lets a domain without DANE go on in plaintext under -DaneMode Enforce' {
            $r = $seen.PlainEnforce[0]
            $r.Status | Should -Be 'Delivered' -Because $r.Reason
            $r.DaneOutcome | Should -Be 'NoDane'
            $r.TlsVersion | Should -BeNullOrEmpty
            $r.Transcript | Should -Not -Match '(?m)^C: STARTTLS'
            $seen.StripErrors | Should -BeNullOrEmpty
            $m = @($seen.StripMail | Where-Object { $_.Text -match "strip enforce $token" })
            $m.Count | Should -Be 1
            $m[0].Text | Should -Match 'with ESMTP id' -Because 'the receiving Postfix saw no TLS'
        }

        It 'defers the same domain under -DaneMode Mandatory (dane-required), sending nothing' {
            $r = $seen.PlainMandatory[0]
            $r.Status | Should -Be 'Deferred'
            $r.ReasonCode | Should -Be 'DaneRequired'
            $r.TlsRptResultType | Should -Be 'dane-required'
            $seen.MandatoryErrors.Count | Should -Be 1
            $seen.MandatoryErrors[0].Id | Should -Be "DaneRequired,$cmd"
            @($seen.StripMail | Where-Object { $_.Text -match "strip mandatory $token" }) | Should -BeNullOrEmpty
            Test-Path $r.FailedMessagePath | Should -BeTrue
        }

        It 'still delivers to a DANE domain under -DaneMode Mandatory' {
            $seen.DaneMandatory[0].Status | Should -Be 'Delivered'
            $seen.DaneMandatory[0].DaneOutcome | Should -Be 'Authenticated'
            # The negotiated suite, as Test-DaneDomain reports it (not the bulk cipher alone).
            $seen.DaneMandatory[0].CipherAlgorithm | Should -Match '^TLS_'
        }

        It 'keeps the pre-flight policy down to the address through Export-Clixml without -Depth' {
            $back = Import-Clixml (Join-Path $failedDir 'delivery.xml')
            $back.StatusText | Should -Be 'Delivered'
            $address = $back.Policy.MxHosts[0].Addresses[0]
            $address.OutcomeText | Should -Be 'Authenticated'
            $address.Address | Should -Match '^127\.'
        }
    }

    Context '-WhatIf' {
        It 'prints the plan per domain and sends nothing' {
            $seen.WhatIf | Should -Match 'What if: Performing the operation "Send-DaneMail" on target "ee311\.test: probe@ee311\.test via 10 mx\.ee311\.test \[127\.0\.11\.1, fd00:da4e::11:1\]: DANE required'
            $seen.WhatIf | Should -Match 'two-mx\.test: probe@two-mx\.test via .*mx1\.two-mx\.test.*; then .*mx2\.two-mx\.test'
            $seen.WhatIf | Should -Match 'nsec3-nodata\.test: .*opportunistic STARTTLS'
            $seen.WhatIfMail | Should -BeNullOrEmpty
            $seen.WhatIfFiles | Should -BeFalse
        }

        It 'never claims a pass: the plan comes from DNS alone (DESIGN section 6: DnsPass, not Pass)' {
            $seen.WhatIfMandatory | Should -Match 'mismatch\.test: probe@mismatch\.test via 10 mx\.mismatch\.test .*: DANE required'
            # Only PKIX usages: no usable record, so -DaneMode Mandatory cannot use it; DNS alone says DnsPass, never Pass.
            $seen.WhatIfMandatory | Should -Match 'pkix-only\.test: probe@pkix-only\.test: would not be sent: -DaneMode Mandatory requires usable TLSA records and no MX host has any \(dane-required\)'
            $seen.WhatIfMandatory | Should -Not -Match 'DnsPass'
            $seen.WhatIfMandatory | Should -Not -Match '\bPass\b'
            $seen.WhatIfMandatory | Should -Not -Match 'authenticated'
        }
    }

    Context 'MTA-STS (RFC 8461), the lab CA trusted with -TrustedRootCertificate' {
        It '<Id>: delivered or kept as the catalogue''s combined verdict (ExchangeOnlineOutboundStatus) says' -ForEach $stsScenarios {
            $r = $stsByDomain[$Domain]
            $r | Should -Not -BeNullOrEmpty
            $r.MtaStsPolicyMode | Should -Be $Expected.mode -Because 'the sender applies the policy Get-MtaStsPolicy finds'
            $mail = @($seen.StsMail | Where-Object Domain -EQ $Domain)
            $e = @($seen.StsErrors | Where-Object Target -EQ $Domain)
            if ($Expected.outboundStatus -in 'Pass', 'Degraded', 'NotApplicable') {
                $r.Status | Should -Be 'Delivered' -Because $r.Reason
                $mail.Count | Should -Be 1
                $r.FailedMessagePath | Should -BeNullOrEmpty
                $e | Should -BeNullOrEmpty
                # testing mode (RFC 8461 section 5): delivered, the failure reported with its RFC 8460 result type
                if ($Expected.mode -eq 'Testing') {
                    $r.TlsRptResultType | Should -Be $Expected.outboundResultType
                    $seen.StsWarnings | Where-Object { $_ -like "$($Domain): delivered, but * fails the MTA-STS policy (testing)*$($Expected.outboundResultType)*" } | Should -Not -BeNullOrEmpty
                }
            }
            else {
                $r.Delivered | Should -BeFalse
                $r.Status | Should -Be 'Deferred' -Because 'Exchange Online retries (4.x.x) before the final NDR'
                $r.ExchangeOnlineNdr | Should -BeLike "$($Expected.outboundNdr)*"
                $r.TlsRptResultType | Should -Be $Expected.outboundResultType
                $mail | Should -BeNullOrEmpty
                Test-Path $r.FailedMessagePath | Should -BeTrue -Because 'the message is kept as for DANE failures'
                $r.Attempts | ForEach-Object { $_.Transcript | Should -Not -Match '(?m)^C: MAIL FROM' }
                $e.Count | Should -Be 1
                $e[0].Message | Should -Match ([regex]::Escape($Expected.outboundNdr))
                if ($Expected.outboundNdr -match '^5\.(4\.8|7\.5) ') {
                    $r.ReasonCode | Should -Be 'MtaStsRefused'
                    $e[0].Id | Should -Be "MtaStsValidationFailed,$cmd"
                    $e[0].Action | Should -Match ([regex]::Escape("($($Expected.outboundResultType); Exchange Online: $($Expected.outboundNdr)"))
                    $e[0].Action | Should -Match '-MtaStsMode None'
                }
            }
        }

        It '<Id>: delivers where the lab''s MTA-STS Postfix sender delivered and keeps the message where it deferred, or differs as the catalogue documents (byDesign)' -ForEach $stsPeerScenarios {
            $r = $stsByDomain[$Domain]
            $r | Should -Not -BeNullOrEmpty
            $ours = if ($r.Delivered) { 'delivered' } elseif ($r.IsPermanent) { 'bounced' } else { 'deferred' }
            $mail = @($seen.StsMail | Where-Object Domain -EQ $Domain)
            if ($ByDesign) {
                # sts-wildcard-deep (RFC 8461 section 4.1: one label, the daemon any depth), sts-dane (a DANE pass excuses MTA-STS, DESIGN 6a)
                $ByDesign | Should -Not -Be $Peer.outcome -Because 'byDesign names a difference from the peer'
                $Why | Should -Match 'DaneTools' -Because 'the catalogue says why DaneTools differs'
                $ours | Should -Be $ByDesign -Because $Why
            }
            else {
                $ours | Should -Be $Peer.outcome -Because $r.Reason
            }
            if ($ours -eq 'delivered') {
                $mail.Count | Should -Be 1
                if ($Peer.via) { $r.HostName | Should -Be $Peer.via -Because 'the MX host that takes the mail is the one Postfix used' }
            }
            else {
                $mail | Should -BeNullOrEmpty
                Test-Path $r.FailedMessagePath | Should -BeTrue -Because 'the message is kept where the peer deferred'
                $r.Attempts | ForEach-Object { $_.Transcript | Should -Not -Match '(?m)^C: MAIL FROM' }
            }
        }

        It 'delivers and defers the same domains as the lab''s MTA-STS Postfix sender given the same message, but where the catalogue documents a difference (byDesign)' {
            $eml = @($seen.Sts | Where-Object FailedMessagePath | Select-Object -First 1)[0].FailedMessagePath
            $postfix = Invoke-PostfixSender -Manifest stsSender -Log postfix-sts -Eml $eml -Domains $stsPeerScenarios.Domain
            foreach ($c in $stsPeerScenarios) {
                $r = $stsByDomain[$c.Domain]
                $ours = if ($r.Delivered) { 'delivered' } elseif ($r.IsPermanent) { 'bounced' } else { 'deferred' }
                "$($c.Domain) $($postfix[$c.Domain])" | Should -Be "$($c.Domain) $($c.Peer.outcome)" -Because 'the peer still does what the catalogue recorded'
                "$($c.Domain) $ours" | Should -Be "$($c.Domain) $(if ($c.ByDesign) { $c.ByDesign } else { $postfix[$c.Domain] })"
            }
        }

        It 'sts-mx-mismatch.test: the MX host no pattern covers is never connected to (RFC 8461 section 4.1)' {
            $r = $stsByDomain['sts-mx-mismatch.test']
            $a = @($r.Attempts)
            $a.Count | Should -Be 1
            $a[0].MtaStsRefused | Should -BeTrue
            $a[0].Address | Should -BeNullOrEmpty
        }

        It 'sts-badcert.test: the session is closed with QUIT after STARTTLS, before MAIL FROM (RFC 8461 section 4.2)' {
            $r = $stsByDomain['sts-badcert.test']
            $r.MtaStsOutcome | Should -Be 'CertificateInvalid'
            $r.Transcript | Should -Match '(?m)^C: STARTTLS'
            $r.Transcript | Should -Match '(?m)^C: QUIT'
            $r.Transcript | Should -Not -Match '(?m)^C: MAIL FROM'
        }

        It 'delivers where the enforce policy would refuse under -MtaStsMode None' {
            @($seen.StsNone | Where-Object Delivered).DomainName | Sort-Object | Should -Be @('sts-badcert.test', 'sts-mx-mismatch.test')
            @($seen.StsNone.MtaStsPolicyMode | Sort-Object -Unique) | Should -Be @('NoPolicy')
            $seen.StsNoneErrors | Should -BeNullOrEmpty
            @($seen.StsNoneMail).Count | Should -Be 2
        }

        It '-WhatIf names the hosts MTA-STS would refuse and why, and what it requires of the others' {
            $seen.WhatIfSts | Should -Match 'sts-mx-mismatch\.test: probe@sts-mx-mismatch\.test: would not be sent: the MTA-STS policy \(enforce\) refuses every MX host: \d+ mx\.sts-mx-mismatch\.test .*matches no mx pattern .*\(validation-failure\), 5\.4\.8 MX hosts of sts-mx-mismatch\.test failed MTA-STS validation'
            $seen.WhatIfSts | Should -Match 'sts-enforce\.test: probe@sts-enforce\.test via \d+ mx\.sts-enforce\.test .*MTA-STS enforce: STARTTLS, TLS 1\.2\+ and a WebPKI-valid certificate for mx\.sts-enforce\.test required'
            $seen.WhatIfSts | Should -Match 'sts-dane\.test: probe@sts-dane\.test via \d+ mx\.sts-dane\.test .*DANE required.*DANE applies and decides'
            @($seen.AllMail + $seen.StsMail | Where-Object { $_.Text -match "whatifsts $token" }) | Should -BeNullOrEmpty
        }
    }
}
