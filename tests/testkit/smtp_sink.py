"""A real SMTP server for the tests: an aiosmtpd handler (Debian python3-aiosmtpd) that keeps each
message it accepts as <n>.json in a directory, decoded by Python's own e-mail package, so the
outbox's output is read back by a parser independent of the GMime that wrote it.

Recipients answer by their local part: "inesistente" is refused for good (550), "piena" for now
(452); every other address is accepted.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Recorder DIR
"""
import itertools
import json
import os
from email import policy
from email.parser import BytesParser


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.numbers = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Recorder needs the directory to write messages into")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if local == "inesistente":
            return "550 5.1.1 Casella inesistente"
        if local == "piena":
            return "452 4.2.2 Casella piena, riprovare piu' tardi"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in message.items()},
            "body": message.get_content().replace("\r\n", "\n"),  # the wire's CRLF as "\n"
            "seven_bit": all(b < 128 for b in raw),
            "raw": raw.decode("latin-1"),
        }
        path = os.path.join(self.directory, "%04d.json" % next(self.numbers))
        # Written whole before the 250: the test reads it as soon as the client returns.
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 Accettato"
