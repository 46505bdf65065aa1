using System.Collections.Generic;
using MimeKit;

namespace DaneTools.Core.Delivery;

/// <summary>A prepared message: the envelope, the per-domain plans and the invalid recipients, ready for
/// <see cref="DaneMailSender.DeliverAsync"/>. Holds the message internally; exposes no MimeKit type.</summary>
public sealed class DaneMailJob
{
    internal DaneMailJob(MimeMessage message, string sender, IReadOnlyList<DaneDeliveryPlan> plans,
        IReadOnlyList<KeyValuePair<string, string>> invalidRecipients, Dictionary<string, List<MailboxAddress>> envelope, DaneMailOptions options)
    {
        Message = message;
        Sender = sender;
        Plans = plans;
        InvalidRecipients = invalidRecipients;
        Envelope = envelope;
        Options = options;
        MessageId = message.MessageId ?? string.Empty;
        Subject = message.Subject ?? string.Empty;
    }

    /// <summary>Gets the envelope sender (MAIL FROM), empty for the null reverse-path.</summary>
    public string Sender { get; }

    /// <summary>Gets the Message-ID.</summary>
    public string MessageId { get; }

    /// <summary>Gets the subject.</summary>
    public string Subject { get; }

    /// <summary>Gets one plan per recipient domain, in the order the recipients were given.</summary>
    public IReadOnlyList<DaneDeliveryPlan> Plans { get; }

    /// <summary>Gets the recipients that are not addresses, each with why (key: the input, value: the reason).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> InvalidRecipients { get; }

    internal MimeMessage Message { get; }

    internal Dictionary<string, List<MailboxAddress>> Envelope { get; }

    internal DaneMailOptions Options { get; }
}
