using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Smtp;
using DaneTools.Core.Reporting;
using DaneTools.Core.Outbound;
using DaneTools.Core.Sts;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DaneTools.Core.Delivery;

/// <summary>
/// Delivers one message as a sending MTA under RFC 7672: per recipient domain the policy engine's DNS decisions
/// (<see cref="DaneDomainChecker"/>, DNS only), then the MX hosts in preference order, every address of a host, one SMTP
/// transaction per domain with its recipients grouped. Where DANE applies STARTTLS is required and the certificate must
/// match a usable TLSA record inside the TLS handshake; a host that fails is skipped, never used in plaintext or
/// unauthenticated. Where DANE does not apply and the recipient domain's MTA-STS policy says <c>enforce</c> (RFC 8461 section 5),
/// a host no mx pattern covers is not tried, and a session without STARTTLS, with TLS below 1.2 or with a certificate that is not
/// WebPKI-valid for the MX host name is closed before MAIL FROM; <c>testing</c> only reports. A message not delivered is written
/// as .eml to <see cref="DaneMailOptions.FailedMessagePath"/>.
/// </summary>
/// <remarks>
/// The TCP connection is made here, to the exact address, and the TLSA base domain is given to MailKit as the host so that
/// it is sent as SNI (RFC 7672 section 8.1). A 4xx reply moves on to the next address or host (RFC 5321 section 5.1); a 5xx
/// reply to MAIL or DATA, or to every RCPT, is final. Bcc recipients are in the envelope only.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7672#section-2.2"/>
public sealed class DaneMailSender
{
    private readonly DaneDomainChecker _checker;
    private readonly MtaStsPolicyChecker _mtaSts;
    private readonly Action<string>? _trace;
    private readonly Action<string>? _debug;

    /// <summary>Creates a sender.</summary>
    /// <param name="resolver">The validating resolver (shared; may cache across domains).</param>
    /// <param name="trace">Receives one line per decision (<c>&lt;domain&gt;: &lt;phase&gt;: &lt;fact&gt;</c>), for -Verbose; any thread; null for none.</param>
    /// <param name="debug">Receives the SMTP transcript lines of every try (no message content, no secrets), for -Debug; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is null.</exception>
    public DaneMailSender(IValidatedResolver resolver, Action<string>? trace = null, Action<string>? debug = null)
    {
        if (resolver is null) throw new ArgumentNullException(nameof(resolver));
        _checker = new DaneDomainChecker(resolver, trace: trace);
        _mtaSts = new MtaStsPolicyChecker(resolver, trace);
        _trace = trace;
        _debug = debug;
    }

    /// <summary>
    /// Reads or composes the message, groups the recipients by domain and makes the read-only DANE pre-flight of every
    /// domain (MX, addresses, TLSA; no SMTP connection) and, unless <see cref="DaneMailOptions.MtaStsMode"/> is None, its MTA-STS
    /// discovery and policy fetch (RFC 8461 section 3, HTTPS). Sends nothing.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="options">Port, EHLO name, time limits, failed-message folder, DANE mode; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the pre-flight.</param>
    /// <returns>The job: one plan per recipient domain, plus the recipients that are not addresses.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="ArgumentException">No sender, an unparsable sender, no recipient, or an option out of range.</exception>
    /// <exception cref="FileNotFoundException">The .eml or an attachment does not exist.</exception>
    /// <exception cref="FormatException">The .eml is not an RFC 5322 message.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Dns.DnsTransportException">The resolver could not be reached at all.</exception>
    public async Task<DaneMailJob> PrepareAsync(DaneMailMessage message, DaneMailOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (message is null) throw new ArgumentNullException(nameof(message));
        options = Snapshot(options ?? new DaneMailOptions());
        var mime = await DaneMimeComposer.ComposeAsync(message, cancellationToken).ConfigureAwait(false);

        // Envelope: the given recipients, or (for an .eml without overrides) the To, Cc and Bcc headers.
        var given = message.AllRecipients().ToList();
        var recipients = given.Count > 0 || message.MimeMessagePath is null
            ? given
            : mime.To.Mailboxes.Concat(mime.Cc.Mailboxes).Concat(mime.Bcc.Mailboxes).Select(m => m.ToString()).ToList();
        // Bcc never travels in a header (the envelope keeps the recipients).
        mime.Headers.RemoveAll(HeaderId.Bcc);
        mime.Headers.RemoveAll(HeaderId.ResentBcc);
        if (recipients.Count == 0) throw new ArgumentException("The message has no recipient (To, Cc or Bcc).", nameof(message));

        string sender = DaneMimeComposer.ReadSender(message, mime);
        var invalid = new List<KeyValuePair<string, string>>();
        var envelope = new Dictionary<string, List<MailboxAddress>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in recipients)
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, DomainNameInput.WithoutProxyPrefix(text), out var mailbox) || mailbox.Address.IndexOf('@') <= 0)
            {
                invalid.Add(new KeyValuePair<string, string>(text ?? string.Empty, "it is not an e-mail address"));
                continue;
            }
            var domain = DomainNameInput.Normalize(mailbox.Domain);
            if (domain.Kind != DomainNameInputKind.Valid)
            {
                invalid.Add(new KeyValuePair<string, string>(text!, domain.Error ?? "its domain is not a mail domain"));
                continue;
            }
            if (!seen.Add(mailbox.Address)) continue;
            if (!envelope.TryGetValue(domain.DomainName!, out var list))
            {
                envelope[domain.DomainName!] = list = new List<MailboxAddress>();
                order.Add(domain.DomainName!);
            }
            list.Add(new MailboxAddress(string.Empty, mailbox.Address));
        }

        var checkOptions = new DaneCheckOptions
        {
            SmtpPort = options.SmtpPort,
            HeloName = options.HeloName,
            DnsOnly = true,
            ValidationTime = options.ValidationTime,
            TimeoutSeconds = options.TimeoutSeconds,
        };
        var plans = await Task.WhenAll(order.Select(async d =>
        {
            // The MTA-STS policy is fetched beside the DANE pre-flight (DESIGN section 6a); problems are data, never exceptions.
            using var stsCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sts = options.MtaStsMode == MtaStsMailMode.Opportunistic ? _mtaSts.CheckAsync(d, options.MtaStsFetch, stsCancel.Token) : null;
            var policy = await _checker.CheckAsync(d, checkOptions, cancellationToken).ConfigureAwait(false);
            MtaStsPolicyResult? stsResult = null;
            if (sts is not null && policy.MxKind is DaneMxKind.Mx or DaneMxKind.ImplicitMx)
            {
                stsResult = await sts.ConfigureAwait(false);
            }
            else if (sts is not null)
            {
                // No MX host to judge (null MX, no such domain, MX lookup failed): the plan need not wait for the policy.
                stsCancel.Cancel();
                _ = sts.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
            var plan = new DaneDeliveryPlan(d, envelope[d].Select(m => m.Address).ToList().AsReadOnly(), policy, options.Mode, options.SmtpPort,
                options.MtaStsMode, stsResult);
            _trace?.Invoke($"{d}: Send: plan: {plan.Summary}");
            return plan;
        })).ConfigureAwait(false);
        return new DaneMailJob(mime, sender, plans, invalid, envelope, options);
    }

    /// <summary>
    /// Delivers the message to the recipients of one planned domain: MX hosts in preference order, every address, next host
    /// on failure. When the message is not delivered to every recipient there, writes it as .eml to the failed-message folder.
    /// </summary>
    /// <param name="job">The prepared job.</param>
    /// <param name="plan">One of <paramref name="job"/>'s plans.</param>
    /// <param name="cancellationToken">Cancels delivery; nothing is written then (the caller still holds the message).</param>
    /// <returns>The result; connection, TLS, DANE and SMTP failures are outcomes, not exceptions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> or <paramref name="plan"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="plan"/> is not one of <paramref name="job"/>'s plans.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DaneDeliveryResult> DeliverAsync(DaneMailJob job, DaneDeliveryPlan plan, CancellationToken cancellationToken = default)
    {
        if (job is null) throw new ArgumentNullException(nameof(job));
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (!job.Plans.Contains(plan)) throw new ArgumentException("The plan does not belong to this job.", nameof(plan));
        var clock = Stopwatch.StartNew();
        var policy = plan.Policy;
        var recipients = job.Envelope[plan.DomainName];
        string domain = plan.DomainName;
        var attempts = new List<DaneDeliveryAttempt>();

        DaneDeliveryResult Finish(DaneDeliveryStatus status, DaneDeliveryReason code, string reason, DaneFailureKind kind, string ndr, string tlsRpt,
            DaneDeliveryAttempt? used, IReadOnlyList<string> rejected, string reply)
        {
            string file = string.Empty;
            if (status != DaneDeliveryStatus.Delivered || rejected.Count > 0)
            {
                file = WriteFailed(job, domain, out var writeError);
                if (writeError is not null) reason += $" The message could not be written to {job.Options.FailedMessagePath}: {writeError}";
            }
            _trace?.Invoke($"{domain}: Send: {status}: {reason}" + (file.Length > 0 ? $" (written to {file})" : string.Empty));
            return new DaneDeliveryResult(plan, job.MessageId, status, code, code == DaneDeliveryReason.PolicyDecided ? policy.ReasonCode : code.ToString(), reason, kind, ndr, tlsRpt, used, rejected, reply, file,
                attempts.AsReadOnly(), DateTime.UtcNow, clock.Elapsed);
        }

        switch (policy.MxKind)
        {
            case DaneMxKind.LookupFailed:
                return Finish(DaneDeliveryStatus.Deferred, DaneDeliveryReason.PolicyDecided, policy.Reason, policy.FailureKind,
                    DaneFailureCodes.ExchangeOnlineFinal(policy.FailureKind), DaneFailureCodes.TlsRptResultType(policy.FailureKind), null, Array.Empty<string>(), string.Empty);
            case DaneMxKind.NullMx:
            case DaneMxKind.DomainDoesNotExist:
                return Finish(DaneDeliveryStatus.Failed, DaneDeliveryReason.PolicyDecided, policy.Reason, policy.FailureKind,
                    DaneFailureCodes.ExchangeOnlineFinal(policy.FailureKind), string.Empty, null, Array.Empty<string>(), string.Empty);
        }

        var now = job.Options.ValidationTime ?? DateTime.UtcNow;
        var webPki = new WebPkiValidator(job.Options.MtaStsFetch!.ExtraTrustRoots, job.Options.MtaStsFetch.UseSystemTrust);
        DaneDeliveryAttempt? lastTried = null;
        string lastTemporaryReply = string.Empty;
        bool daneRequiredSkip = false;
        for (int h = 0; h < policy.MxHosts.Count; h++)
        {
            var host = policy.MxHosts[h];
            cancellationToken.ThrowIfCancellationRequested();
            if (host.Requirement == DaneRequirement.HostUnusable || host.Outcome == DaneHostOutcome.DnsFailure)
            {
                attempts.Add(Skipped(host, host.Outcome == DaneHostOutcome.DnsFailure ? host.Outcome : DaneHostOutcome.DnsFailure, host.FailureKind, host.Reason, job.Options.SmtpPort));
                _trace?.Invoke($"{domain}: Send: {host.HostName}: skipped: {host.Reason}");
                continue;
            }
            if (job.Options.Mode == DaneMailMode.Mandatory && host.Requirement != DaneRequirement.DaneMandatory)
            {
                daneRequiredSkip = true;
                string why = $"-DaneMode Mandatory: {host.HostName} has no secure usable TLSA record ({host.Reason.TrimEnd('.')}), so it is not used (dane-required).";
                attempts.Add(Skipped(host, DaneHostOutcome.TlsFailure, DaneFailureKind.None, why, job.Options.SmtpPort));
                _trace?.Invoke($"{domain}: Send: {host.HostName}: skipped: {why}");
                continue;
            }
            if (plan.MtaStsRefuses(host))
            {
                // RFC 8461 section 4.1: an MX host no pattern covers is not used at all; no connection.
                var sts = plan.MtaStsHosts[h];
                string why = $"Refused by the MTA-STS policy (enforce): {Problem(sts)}; not tried.";
                attempts.Add(Skipped(host, DaneHostOutcome.NoDane, DaneFailureKind.None, why, job.Options.SmtpPort, sts));
                _trace?.Invoke($"{domain}: Send: {host.HostName}: skipped: {why}");
                continue;
            }
            var judge = plan.MtaStsJudges(host) ? plan.MtaSts!.Policy : null;
            foreach (var address in host.Addresses)
            {
                var attempt = await TryAddressAsync(job, host, address, recipients, now, judge, plan.MtaStsEnforces(host), webPki, cancellationToken).ConfigureAwait(false);
                attempts.Add(attempt.Attempt);
                lastTried = attempt.Attempt;
                if (attempt.Attempt.Delivered)
                {
                    var status = DaneDeliveryStatus.Delivered;
                    var code = attempt.Rejected.Count > 0 ? DaneDeliveryReason.PartiallyDelivered : DaneDeliveryReason.Delivered;
                    string reason = $"Delivered to {attempt.Attempt.HostName} [{attempt.Attempt.Address}] ({attempt.Attempt.Outcome}" +
                        (attempt.Attempt.TlsVersion is null ? ", plaintext" : $", {attempt.Attempt.TlsVersion}") + $"): {attempt.Reply}" +
                        (attempt.Rejected.Count > 0 ? $"; refused: {string.Join("; ", attempt.Rejected)}" : string.Empty);
                    string ndr = attempt.Rejected.Count > 0 ? EnhancedCode(attempt.Rejected[0]) : string.Empty;
                    // testing mode (RFC 8461 section 5): delivered, and the failure reported with its RFC 8460 result type.
                    var tested = attempt.Attempt.MtaSts;
                    string testingType = tested is { Outcome: MtaStsHostOutcome.MxNotListed or MtaStsHostOutcome.CertificateInvalid } ? tested.ResultType : string.Empty;
                    if (testingType.Length > 0) reason += $". MTA-STS testing: {Problem(tested!)}, reported, delivered";
                    return Finish(status, code, reason, DaneFailureKind.None, ndr, testingType, attempt.Attempt, attempt.Rejected, attempt.Reply);
                }
                if (attempt.Reply.StartsWith("4", StringComparison.Ordinal)) lastTemporaryReply = attempt.Reply;
                if (attempt.Permanent)
                {
                    string reason = $"{attempt.Attempt.HostName} [{attempt.Attempt.Address}] refused the message permanently: {attempt.Reply}";
                    return Finish(DaneDeliveryStatus.Failed, DaneDeliveryReason.Rejected, reason, DaneFailureKind.None, EnhancedCode(attempt.Reply), string.Empty,
                        attempt.Attempt, attempt.Rejected, attempt.Reply);
                }
            }
        }

        // Not delivered: the NDR follows the most preferred host's failure (DESIGN section 6); a 4xx reply is reported as such.
        var first = attempts.FirstOrDefault(a => a.FailureKind != DaneFailureKind.None || a.MtaStsRefused);
        if (attempts.Count == 0 || (daneRequiredSkip && first is null && lastTemporaryReply.Length == 0))
        {
            string why = daneRequiredSkip
                ? $"-DaneMode Mandatory: no MX host of {domain} has a secure usable TLSA record; the message is deferred, never sent without DANE (RFC 7672 section 6, dane-required)."
                : $"No MX host of {domain} could be tried.";
            return Finish(DaneDeliveryStatus.Deferred, daneRequiredSkip ? DaneDeliveryReason.DaneRequired : DaneDeliveryReason.NoHostTookMail, why, DaneFailureKind.None,
                string.Empty, daneRequiredSkip ? "dane-required" : string.Empty, lastTried, Array.Empty<string>(), string.Empty);
        }
        var kind = first?.FailureKind ?? DaneFailureKind.None;
        string summary = string.Join(" ", attempts.Select(a => $"{a.HostName}{(a.Address.Length > 0 ? " [" + a.Address + "]" : string.Empty)}: {a.Reason}"));
        if (first is { MtaStsRefused: true, MtaSts: { } refused })
        {
            // Exchange Online's codes for the same refusal (OutboundVerdictCombiner): 5.4.8 not listed, 5.7.5 certificate or TLS.
            string stsNdr = refused.Outcome == MtaStsHostOutcome.MxNotListed
                ? OutboundVerdictCombiner.MxNotListedNdr(domain)
                : OutboundVerdictCombiner.CertificateNdr(refused.Reason);
            return Finish(DaneDeliveryStatus.Deferred, DaneDeliveryReason.MtaStsRefused, $"No MX host of {domain} took the message (temporary). {summary}",
                DaneFailureKind.None, stsNdr, refused.ResultType, lastTried ?? attempts[attempts.Count - 1], Array.Empty<string>(), lastTemporaryReply);
        }
        string ndrCode = kind != DaneFailureKind.None ? DaneFailureCodes.ExchangeOnlineFinal(kind) : EnhancedCode(lastTemporaryReply);
        return Finish(DaneDeliveryStatus.Deferred, DaneDeliveryReason.NoHostTookMail, $"No MX host of {domain} took the message (temporary). {summary}", kind,
            ndrCode, DaneFailureCodes.TlsRptResultType(kind), lastTried ?? attempts[attempts.Count - 1], Array.Empty<string>(), lastTemporaryReply);
    }

    private sealed class TryResult
    {
        public TryResult(DaneDeliveryAttempt attempt, bool permanent, string reply, IReadOnlyList<string> rejected)
        {
            Attempt = attempt;
            Permanent = permanent;
            Reply = reply;
            Rejected = rejected;
        }

        public DaneDeliveryAttempt Attempt { get; }

        public bool Permanent { get; }

        public string Reply { get; }

        public IReadOnlyList<string> Rejected { get; }
    }

    // judge: the MTA-STS policy that judges this session (a host without DANE, enforce or testing), or null; enforce: it refuses.
    private async Task<TryResult> TryAddressAsync(DaneMailJob job, DaneMxHostResult host, DaneAddressResult address, List<MailboxAddress> recipients,
        DateTime now, MtaStsPolicy? judge, bool enforce, WebPkiValidator webPki, CancellationToken cancellationToken)
    {
        var options = job.Options;
        var clock = Stopwatch.StartNew();
        var requirement = host.Requirement;
        string serverName = address.ServerName;
        string where = $"{host.HostName} [{address.Address}]";
        var transcript = new DeliveryTranscript();
        TlsaMatchResult? match = null;
        using var session = new SmtpSession(options.HeloName ?? SmtpProbeOptions.DefaultHeloName(), TimeSpan.FromSeconds(options.TimeoutSeconds),
            transcript.Inner, transcript, logger => new DeliveryClient(logger));
        // TLS required without authentication, or opportunistic TLS: any certificate (RFC 7672 section 2.2). DANE: the
        // chain must match a usable TLSA record inside the handshake, so nothing is sent to a server that fails.
        if (requirement == DaneRequirement.DaneMandatory)
        {
            session.AcceptChain = chain =>
            {
                match = DaneDomainChecker.MatchChain(host.TlsaRecords, host.ReferenceIdentifiers, now, chain);
                return match.IsAuthenticated;
            };
        }
        var client = (DeliveryClient)session.Client;

        MtaStsHostResult? sts = null;
        DaneDeliveryAttempt Attempt(DaneHostOutcome outcome, DaneFailureKind kind, bool delivered, string reason, string? replyCode = null)
        {
            var lines = transcript.Lines;
            if (_debug is not null)
            {
                foreach (var line in lines) _debug($"{host.DomainName}: {where}: {line}");
            }
            _trace?.Invoke($"{host.DomainName}: Send: {where} SNI {serverName}: {outcome}: {reason}");
            return new DaneDeliveryAttempt(host.HostName, address.Address, options.SmtpPort, serverName, requirement, outcome, kind, delivered,
                replyCode ?? transcript.LastReplyCode, reason, session.TlsVersion, session.CipherAlgorithm,
                outcome == DaneHostOutcome.Authenticated ? match?.MatchedRecord : null, lines, clock.Elapsed, sts,
                judge is not null && enforce && sts is { Outcome: not MtaStsHostOutcome.Valid });
        }
        // RFC 8461 section 4.2 on this session: the chain it captured, for the MX host name, over TLS 1.2+.
        MtaStsHostResult Judge(string? error) => MtaStsHostResult.Evaluate(judge, host.HostName,
            new[] { new MtaStsHostResult.Session(address.Address, error is null && session.IsSecure ? session.PresentedChain.ToList() : null,
                error is null ? session.TlsVersion : null, error) },
            webPki, now);

        string need = requirement switch
        {
            DaneRequirement.DaneMandatory => "DANE authentication is mandatory",
            DaneRequirement.TlsMandatory => "TLS is mandatory (secure TLSA RRset)",
            _ => "no DANE applies",
        };

        try
        {
            // StartTls makes a missing STARTTLS a hard error; opportunistic only where DANE does not apply (DESIGN section 7).
            var secure = requirement == DaneRequirement.None ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.StartTls;
            await session.OpenAsync(IPAddress.Parse(address.Address), options.SmtpPort, serverName, secure, cancellationToken).ConfigureAwait(false);
            if (requirement != DaneRequirement.None && !session.IsSecure)
                return new TryResult(Attempt(DaneHostOutcome.TlsFailure, DaneFailureKind.StartTlsNotSupported, false, $"{need}, but the session is not encrypted."), false, string.Empty, Array.Empty<string>());
            if (requirement == DaneRequirement.DaneMandatory && match is not { IsAuthenticated: true })
                return new TryResult(Attempt(DaneHostOutcome.AuthFailure, DaneFailureKind.TlsaInvalid, false, $"{need}, but no TLSA match was recorded."), false, string.Empty, Array.Empty<string>());
            if (judge is not null)
            {
                sts = Judge(session.IsSecure ? null : "the server offered no STARTTLS");
                if (enforce && sts.Outcome != MtaStsHostOutcome.Valid)
                {
                    // Nothing of the message is sent to a host the policy refuses (RFC 8461 section 5): QUIT, then the next host.
                    await session.QuitAsync(cancellationToken).ConfigureAwait(false);
                    return new TryResult(Attempt(DaneHostOutcome.NoDane, DaneFailureKind.None, false,
                        $"Refused by the MTA-STS policy (enforce): {Problem(sts)}; QUIT before MAIL FROM."), false, string.Empty, Array.Empty<string>());
                }
            }

            await client.SendAsync(FormatOptions.Default, job.Message, Sender(job), recipients, cancellationToken).ConfigureAwait(false);
            string reply = transcript.DataReply ?? "250";
            // The message was accepted; a server that drops the line at QUIT changes nothing.
            await session.QuitAsync(cancellationToken).ConfigureAwait(false);
            string how = session.IsSecure
                ? (requirement == DaneRequirement.DaneMandatory ? $"DANE authenticated ({match?.MatchedRecord})" : requirement == DaneRequirement.TlsMandatory ? "TLS without authentication" : "opportunistic TLS")
                : "plaintext (no DANE applies and the server offered no STARTTLS)";
            return new TryResult(Attempt(Established(requirement), DaneFailureKind.None, true, $"Accepted over {how}: {reply}"), false, reply, client.Rejected.ToList());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (SmtpSession.IsSessionFailure(ex))
        {
            var failure = session.Classify(ex);
            if (failure == SmtpFailure.CommandRejected) return Refused((SmtpCommandException)ex, client.Rejected.ToList(), recipients.Count, where, requirement, Attempt);
            if (failure == SmtpFailure.CertificateRejected && match is { IsAuthenticated: false })
            {
                return new TryResult(Attempt(DaneHostOutcome.AuthFailure, DaneDomainChecker.FailureOf(match), false,
                    $"DANE authentication failed ({match.Outcome}): {match.Reason}; the session was closed before MAIL FROM."), false, string.Empty, Array.Empty<string>());
            }
            // Every other failure: this address cannot take mail now. Without DANE it is opportunistic (NoDane), with DANE a TLS failure.
            var outcome = requirement == DaneRequirement.None ? DaneHostOutcome.NoDane : DaneHostOutcome.TlsFailure;
            var (kind, why, replyCode) = Describe(failure, ex, where, need, options);
            // A greeted host whose TLS failed has no TLS session for MTA-STS (starttls-not-supported); a connection failure is not MTA-STS's matter.
            if (judge is not null && failure is SmtpFailure.StartTlsRefused or SmtpFailure.TlsHandshakeFailed or SmtpFailure.CertificateRejected)
            {
                sts = Judge(why);
                if (enforce) why = $"Refused by the MTA-STS policy (enforce): {Problem(sts)}.";
            }
            string reply = ex is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}".Trim() : string.Empty;
            return new TryResult(Attempt(outcome, kind, false, why, replyCode), false, reply, Array.Empty<string>());
        }
    }

    private static DaneHostOutcome Established(DaneRequirement requirement) => requirement switch
    {
        DaneRequirement.DaneMandatory => DaneHostOutcome.Authenticated,
        DaneRequirement.TlsMandatory => DaneHostOutcome.TlsOnly,
        _ => DaneHostOutcome.NoDane,
    };

    /// <summary>The failure kind (NDR, TLS-RPT) and reason of a session that did not get as far as the mail transaction.</summary>
    private static (DaneFailureKind Kind, string Reason, string? ReplyCode) Describe(SmtpFailure failure, Exception ex, string where, string need, DaneMailOptions options)
    {
        string? code = ex is SmtpCommandException c ? ((int)c.StatusCode).ToString(CultureInfo.InvariantCulture) : null;
        string answered = ex is SmtpCommandException command ? $"{where} answered {(int)command.StatusCode} {command.Message}".Trim() + " before the message could be sent." : string.Empty;
        return failure switch
        {
            SmtpFailure.Timeout when ex is OperationCanceledException => (DaneFailureKind.ConnectionFailed, $"The connection to {where} timed out after {options.TimeoutSeconds} s.", code),
            SmtpFailure.Timeout => (DaneFailureKind.ConnectionFailed, $"{where} did not answer within {options.TimeoutSeconds} s.", code),
            SmtpFailure.ConnectionFailed when ex is SocketException socket =>
                (DaneFailureKind.ConnectionFailed, $"The connection to {where} port {options.SmtpPort} failed: {socket.SocketErrorCode}.", code),
            SmtpFailure.StartTlsNotOffered => (DaneFailureKind.StartTlsNotSupported,
                $"{need}, but the server's EHLO reply does not offer STARTTLS; the host is skipped, never used in plaintext.", code),
            SmtpFailure.StartTlsRefused => (DaneFailureKind.TlsHandshakeFailed, answered, code),
            SmtpFailure.TlsHandshakeFailed or SmtpFailure.CertificateRejected when ex is SslHandshakeException =>
                (DaneFailureKind.TlsHandshakeFailed, $"The TLS handshake failed: {ex.InnerException?.Message ?? ex.Message}", code),
            SmtpFailure.TlsHandshakeFailed when ex is System.Security.Authentication.AuthenticationException =>
                (DaneFailureKind.TlsHandshakeFailed, $"The TLS handshake failed: {ex.Message}", code),
            SmtpFailure.TlsHandshakeFailed => (DaneFailureKind.TlsHandshakeFailed, $"The session with {where} broke: {ex.Message}", code),
            _ when ex is SmtpCommandException => (DaneFailureKind.ConnectionFailed, answered, code),
            _ => (DaneFailureKind.ConnectionFailed, $"The session with {where} broke: {ex.Message}", code),
        };
    }

    /// <summary>A 4xx or 5xx reply in the mail transaction (MAIL, RCPT, DATA): the address took the session but not the message.</summary>
    private static TryResult Refused(SmtpCommandException ex, List<string> rejected, int recipients, string where, DaneRequirement requirement,
        Func<DaneHostOutcome, DaneFailureKind, bool, string, string?, DaneDeliveryAttempt> attempt)
    {
        int code = (int)ex.StatusCode;
        string reply = $"{code} {ex.Message}".Trim();
        bool permanent = code >= 500 && code < 600;
        string what = ex.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => "refused the sender",
            SmtpErrorCode.RecipientNotAccepted => "refused the recipients",
            SmtpErrorCode.MessageNotAccepted when rejected.Count == recipients => "refused every recipient",
            SmtpErrorCode.MessageNotAccepted => "refused the message",
            _ => "answered",
        };
        if (rejected.Count == recipients && rejected.Count > 0)
        {
            permanent = rejected.All(r => r.Contains(": 5"));
            reply = rejected[0].Substring(rejected[0].IndexOf(": ", StringComparison.Ordinal) + 2);
        }
        return new TryResult(attempt(Established(requirement), DaneFailureKind.None, false, $"{where} {what}: {reply} ({(permanent ? "permanent" : "temporary")}).",
            reply.Substring(0, Math.Min(3, reply.Length))), permanent, reply, rejected);
    }

    private static DaneDeliveryAttempt Skipped(DaneMxHostResult host, DaneHostOutcome outcome, DaneFailureKind kind, string reason, int port,
        MtaStsHostResult? mtaStsRefusal = null) =>
        new(host.HostName, string.Empty, port, host.TlsaBaseDomain.Length > 0 ? host.TlsaBaseDomain : host.HostName, host.Requirement, outcome, kind, false, null,
            reason, null, null, null, Array.Empty<string>(), TimeSpan.Zero, mtaStsRefusal, mtaStsRefusal is not null);

    private static MailboxAddress Sender(DaneMailJob job) => new(string.Empty, job.Sender);

    /// <summary>An MTA-STS host failure as one clause: the reason and its RFC 8460 result type.</summary>
    internal static string Problem(MtaStsHostResult sts) => $"{sts.Reason.TrimEnd('.')} ({sts.ResultType})";

    /// <summary>Reads the enhanced status code and text of a reply (<c>550 5.1.1 text</c> gives <c>5.1.1 text</c>).</summary>
    internal static string EnhancedCode(string reply)
    {
        var text = reply;
        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && !char.IsDigit(text[0])) text = text.Substring(colon + 2);
        text = text.Trim();
        if (text.Length >= 4 && char.IsDigit(text[0]) && text[3] == ' ') text = text.Substring(4);
        return text;
    }

    private static string WriteFailed(DaneMailJob job, string domain, out string? error)
    {
        error = null;
        try
        {
            Directory.CreateDirectory(job.Options.FailedMessagePath);
            string name = string.Format(CultureInfo.InvariantCulture, "{0:yyyyMMddTHHmmssfff}Z-{1}-{2}.eml", DateTime.UtcNow, domain,
                Guid.NewGuid().ToString("N").Substring(0, 8));
            string path = Path.Combine(job.Options.FailedMessagePath, name);
            using (var stream = File.Create(path))
            {
                job.Message.WriteTo(FormatOptions.Default, stream);
            }
            return path;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
        {
            error = ex.Message;
            return string.Empty;
        }
    }

    private static DaneMailOptions Snapshot(DaneMailOptions o)
    {
        if (o.SmtpPort < 1 || o.SmtpPort > 65535) throw new ArgumentOutOfRangeException(nameof(o.SmtpPort), o.SmtpPort, "The SMTP port must be 1 to 65535.");
        if (o.TimeoutSeconds < 1) throw new ArgumentOutOfRangeException(nameof(o.TimeoutSeconds), o.TimeoutSeconds, "The time limit must be at least 1 second.");
        if (string.IsNullOrWhiteSpace(o.FailedMessagePath)) throw new ArgumentException("The failed-message folder is empty.", nameof(o));
        DateTime? validationTime = o.ValidationTime is DateTime t
            ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))
            : null;
        var fetch = o.MtaStsFetch ?? new MtaStsFetchOptions();
        return new DaneMailOptions
        {
            SmtpPort = o.SmtpPort,
            HeloName = string.IsNullOrWhiteSpace(o.HeloName) ? null : o.HeloName,
            TimeoutSeconds = o.TimeoutSeconds,
            FailedMessagePath = Path.GetFullPath(o.FailedMessagePath),
            Mode = o.Mode,
            ValidationTime = validationTime,
            MtaStsMode = o.MtaStsMode,
            MtaStsFetch = new MtaStsFetchOptions
            {
                MaxBodyBytes = fetch.MaxBodyBytes,
                TimeoutSeconds = fetch.TimeoutSeconds,
                HttpsPort = fetch.HttpsPort,
                ExtraTrustRoots = fetch.ExtraTrustRoots.ToList().AsReadOnly(),
                UseSystemTrust = fetch.UseSystemTrust,
                ValidationTime = fetch.ValidationTime ?? validationTime,
            },
        };
    }

    /// <summary>The MailKit client that records refused recipients and goes on with the others (one transaction per domain).</summary>
    private sealed class DeliveryClient : DaneSmtpClient
    {
        private readonly List<string> _rejected = new();

        public DeliveryClient(IProtocolLogger logger)
            : base(logger)
        {
        }

        public IReadOnlyList<string> Rejected => _rejected;

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            _rejected.Add($"{mailbox.Address}: {(int)response.StatusCode} {response.Response}");
    }
}
