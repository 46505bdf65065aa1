# Opens a page in Debian's chromium, headless and offline, for the report tests (issue 16): the DOM after load, the
# console messages, the requests the page made, and optionally a screenshot. No DevTools protocol: chromium's own
# command line (--dump-dom, --screenshot), its log on stderr and its net log.

function Get-ChromiumPath {
    $exe = Get-Command chromium -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $exe) { throw "chromium is not installed: run 'bash tests/install-deps.sh' as root (it installs Debian's chromium)." }
    $exe.Source
}

function Invoke-HeadlessChromium {
    # -Path: the page (a local file). -Screenshot: write a PNG instead of dumping the DOM.
    # Returns Dom (the serialised DOM after load; empty with -Screenshot), Console (console messages), Requests (URLs
    # requested on behalf of the page, from the net log) and Log (chromium's stderr).
    # Nothing leaves the machine: every host name resolves to NXDOMAIN and every connection goes to a proxy on a closed
    # loopback port, so a request fails on the machine and shows in the net log. A chromium that has not finished after
    # -TimeoutSeconds is killed (with its children) and the call throws, so a hung browser cannot hang the suite.
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string] $Screenshot,
        [int] $TimeoutSeconds = 90
    )
    $exe = Get-ChromiumPath
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("danetools-chromium-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    $netLog = Join-Path $work 'net.json'
    $arguments = @(
        '--headless', '--disable-gpu', '--no-first-run', '--no-default-browser-check', "--user-data-dir=$work/profile",
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
        '--disable-default-apps', '--no-pings', '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=http://127.0.0.1:9',
        '--enable-logging=stderr', '--v=0', "--log-net-log=$netLog", '--window-size=1200,1600'
    )
    # Chromium refuses to run as root with its sandbox; the suite runs as root for the lab.
    if ((& id -u) -eq '0') { $arguments += '--no-sandbox' }
    if ($Screenshot) { $arguments += "--screenshot=$Screenshot" } else { $arguments += '--dump-dom' }
    $arguments += ([System.Uri]::new((Resolve-Path -LiteralPath $Path).Path)).AbsoluteUri

    $info = [System.Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $info.WorkingDirectory = $work
    try {
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $process.WaitForExit()
            throw "chromium did not finish within $TimeoutSeconds s on $Path (killed)."
        }
        $process.WaitForExit()
        $log = $stderr.GetAwaiter().GetResult()
        $dom = $stdout.GetAwaiter().GetResult()
        if ($process.ExitCode -ne 0) { throw "chromium exited $($process.ExitCode) on ${Path}: $log" }
        if ($Screenshot -and -not (Test-Path $Screenshot)) { throw "chromium wrote no screenshot for ${Path}: $log" }
        if (-not $Screenshot -and $dom -notmatch '<html') { throw "chromium dumped no DOM for ${Path}: $log" }

        # Console messages (every level) show on stderr as 'INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)'.
        $console = @($log -split "`n" | Where-Object { $_ -match ':CONSOLE[:(]' })
        # Requests on behalf of the page carry the page's (file://) network isolation key; chromium's own background
        # fetches carry none, so they are not counted (and fail on the machine all the same).
        $requests = @()
        if (Test-Path $netLog) {
            $net = Get-Content -Raw $netLog | ConvertFrom-Json -AsHashtable
            $start = $net.constants.logEventTypes.URL_REQUEST_START_JOB
            $requests = @($net.events | Where-Object { $_.type -eq $start -and $_.params -and "$($_.params.network_isolation_key)" -like 'file://*' } |
                ForEach-Object { $_.params.url })
        }
        else { throw "chromium wrote no net log for ${Path}: $log" }
        [pscustomobject]@{ Dom = $dom; Console = $console; Requests = $requests; Log = $log }
    }
    finally {
        if ($process) { $process.Dispose() }
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
}

function ConvertFrom-DomText {
    # The text of a serialised DOM (tags dropped, entities decoded, white space collapsed), to look for what a reader sees.
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Html)
    $text = $Html -replace '(?s)<style.*?</style>', ' ' -replace '<[^>]*>', ' '
    ([System.Net.WebUtility]::HtmlDecode($text) -replace '\s+', ' ').Trim()
}

function Get-DomShape {
    # The element tree of a serialised DOM as one line per element, "depth name", in document order. Chromium escapes
    # '<' in text and attribute values, so every '<' starts a tag. The tbody the HTML parser adds to a table written
    # without one is left out, so the shape compares with Get-XmlShape's of the XHTML the page was written as.
    param([Parameter(Mandatory)] [string] $Html)
    $void = 'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'
    $stack = [System.Collections.Generic.List[string]]::new()
    $shape = foreach ($m in [regex]::Matches(($Html -replace '(?s)<!DOCTYPE[^>]*>', ''), '<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(/?)>')) {
        $name = $m.Groups[2].Value.ToLowerInvariant()
        if ($name -eq 'tbody') { continue }
        if ($m.Groups[1].Value) {
            if ($stack.Count -gt 0 -and $stack[$stack.Count - 1] -eq $name) { $stack.RemoveAt($stack.Count - 1) }
            continue
        }
        "$($stack.Count) $name"
        if ($m.Groups[3].Value -or $name -in $void) { continue }
        $stack.Add($name)
    }
    @($shape)
}

function Get-XmlShape {
    # The same shape for an XML document: "depth name" per element in document order, names lower-cased.
    param([Parameter(Mandatory)] [System.Xml.XmlNode] $Node, [int] $Depth = 0)
    foreach ($child in $Node.ChildNodes) {
        if ($child.NodeType -ne [System.Xml.XmlNodeType]::Element) { continue }
        "$Depth $($child.LocalName.ToLowerInvariant())"
        Get-XmlShape -Node $child -Depth ($Depth + 1)
    }
}

Export-ModuleMember -Function Get-ChromiumPath, Invoke-HeadlessChromium, ConvertFrom-DomText, Get-DomShape, Get-XmlShape
