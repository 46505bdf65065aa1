# Writes exchange-online-report.eml: the Microsoft-shaped report above, gzip-compressed, in the RFC 8460 section 5.3
# MIME shape Exchange Online uses (sender, subject, TLS-Report-* headers, attachment name as in shared/EXCHANGE.md).
# Run: python3 make-eml.py (standard library only); the .eml is committed, this script documents how it was made.
import gzip
from email.message import EmailMessage
from email.policy import SMTP

name = "microsoft.com!contoso.com!1795996800!1796083199!133775712000000000+contoso.com.json"
msg = EmailMessage(policy=SMTP)
msg["From"] = "tlsrpt-noreply@microsoft.com"
msg["To"] = "tlsrpt@contoso.com"
msg["Date"] = "Tue, 01 Dec 2026 06:12:00 +0000"
msg["Message-ID"] = "<tlsrpt-133775712000000000@microsoft.com>"
msg["Subject"] = "Report Domain: contoso.com Submitter: microsoft.com Report-ID: <133775712000000000+contoso.com>"
msg["TLS-Report-Domain"] = "contoso.com"
msg["TLS-Report-Submitter"] = "microsoft.com"
msg.set_content("This is an aggregate TLS report from microsoft.com")
with open(name, "rb") as f:
    data = gzip.compress(f.read(), mtime=0)
msg.add_attachment(data, maintype="application", subtype="tlsrpt+gzip", filename=name + ".gz")
msg.set_type("multipart/report")
msg.set_param("report-type", "tlsrpt")
msg.set_boundary("----=_TlsRpt_133775712000000000")
with open("exchange-online-report.eml", "wb") as f:
    f.write(msg.as_bytes())
