using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DaneTools.Core.Smtp;
using MailKit;

namespace DaneTools.Core.Delivery;

/// <summary>
/// The SMTP dialogue as lines for the result and -Debug, with the message content left out (only its size is kept):
/// the transcript names what was said, not what was sent. No authentication is ever made, so no secret can appear.
/// </summary>
internal sealed class DeliveryTranscript : IProtocolLogger
{
    private readonly SmtpTranscriptLogger _inner = new();

    /// <summary>Gets the dialogue without the content, which the SMTP session reads to classify a failure.</summary>
    public SmtpTranscriptLogger Inner => _inner;
    private bool _inData;
    private long _dataBytes;
    private bool _expectDataReply;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public IReadOnlyList<string> Lines => _inner.Lines;

    public string? LastReplyCode { get; private set; }

    public string? DataReply { get; private set; }

    public void LogConnect(Uri uri) => _inner.LogConnect(uri);

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (_inData)
        {
            _dataBytes += count;
            return;
        }
        var text = Encoding.ASCII.GetString(buffer, offset, Math.Min(count, 64));
        if (text.StartsWith("BDAT ", StringComparison.OrdinalIgnoreCase))
        {
            // BDAT <size> LAST then the content: keep the command line only.
            int eol = Array.IndexOf(buffer, (byte)'\n', offset, count);
            int keep = eol < 0 ? count : eol - offset + 1;
            _inner.LogClient(buffer, offset, keep);
            _dataBytes = count - keep;
            _inData = true;
            return;
        }
        _inner.LogClient(buffer, offset, count);
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        var text = Encoding.ASCII.GetString(buffer, offset, count);
        if (_inData)
        {
            var summary = Encoding.ASCII.GetBytes($"[message content: {_dataBytes} bytes]\r\n");
            _inner.LogClient(summary, 0, summary.Length);
            _inData = false;
            _expectDataReply = true;
        }
        _inner.LogServer(buffer, offset, count);
        var lines = text.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
        var last = lines.LastOrDefault(l => l.Length >= 3);
        if (last is not null) LastReplyCode = last.Substring(0, 3);
        if (last is not null && last.StartsWith("354", StringComparison.Ordinal))
        {
            _inData = true;
            _dataBytes = 0;
        }
        else if (_expectDataReply && last is not null)
        {
            DataReply = last;
            _expectDataReply = false;
        }
    }

    public void Dispose()
    {
    }
}
