using System;
using System.Collections.Generic;
using System.Text;
using MailKit;

namespace DaneTools.Core.Smtp;

/// <summary>Keeps the SMTP dialogue as lines (<c>S: 220 ...</c>, <c>C: EHLO ...</c>); TLS bytes are never seen here.</summary>
internal sealed class SmtpTranscriptLogger : IProtocolLogger
{
    private readonly List<string> _lines = new();
    private readonly StringBuilder _server = new();
    private readonly StringBuilder _client = new();
    private readonly object _gate = new();

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return _lines.ToArray(); }
    }

    /// <summary>Gets the server's lines only, without the <c>S: </c> prefix.</summary>
    public IReadOnlyList<string> ServerLines
    {
        get
        {
            lock (_gate)
            {
                var result = new List<string>();
                foreach (var line in _lines) if (line.StartsWith("S: ", StringComparison.Ordinal)) result.Add(line.Substring(3));
                return result;
            }
        }
    }

    /// <summary>Gets whether the client has sent STARTTLS.</summary>
    public bool StartTlsSent
    {
        get
        {
            lock (_gate)
            {
                foreach (var line in _lines) if (line.StartsWith("C: STARTTLS", StringComparison.OrdinalIgnoreCase)) return true;
                return false;
            }
        }
    }

    public void LogConnect(Uri uri)
    {
        lock (_gate) _lines.Add($"Connected to {uri}");
    }

    public void LogClient(byte[] buffer, int offset, int count) => Append(_client, "C: ", buffer, offset, count);

    public void LogServer(byte[] buffer, int offset, int count) => Append(_server, "S: ", buffer, offset, count);

    public void Dispose()
    {
    }

    private void Append(StringBuilder pending, string prefix, byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            // Latin-1 keeps every byte visible; SMTP replies are ASCII.
            pending.Append(Encoding.GetEncoding(28591).GetString(buffer, offset, count));
            int newline;
            while ((newline = pending.ToString().IndexOf('\n')) >= 0)
            {
                var line = pending.ToString(0, newline).TrimEnd('\r');
                pending.Remove(0, newline + 1);
                _lines.Add(prefix + line);
            }
        }
    }
}
