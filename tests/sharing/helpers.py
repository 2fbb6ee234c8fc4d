"""An agreed plan to share, recipients, and two small local servers: an HTTP server that
plays a practice's EMR (FHIR endpoint) and an SMTP sink that plays the mail relay."""

import datetime
import http.server
import io
import json
import socketserver
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone
from pypdf import PdfReader

from carecoord.careplans import services as plan_services
from carecoord.careplans.models import Action, CarePlan, FamilyPriority, Goal, Need, NeedDomain
from carecoord.sharing.models import Recipient
from tests import factories

TODAY = timezone.localdate()
PRIORITY = "Que Sofía pueda ir a la escuela sin convulsiones"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def add(network, plan, item, user="nurse.nc"):
    plan.refresh_from_db()
    return plan_services.add_item(user=network[user], plan=plan, expected_version=plan.version,
                                  item=item)


def agreed_plan(network):
    """Sofia's plan, written with her mother in Spanish and agreed (version 1)."""
    child = network.child_nc
    child.pcp = factories.clinician(network.practice_nc, phone="860-555-0199")
    child.save()
    plan = CarePlan.objects.get(child=child)
    add(network, plan, FamilyPriority(text=PRIORITY, translation="That Sofia can go to school "
                                      "without seizures", language=plan.language))
    need = add(network, plan, Need(domain=NeedDomain.objects.get(code="education"),
                                   description="Evaluación para un IEP", raised_by="school",
                                   family_priority="high", reach="within_reach"))
    goal = add(network, plan, Goal(need=need, statement="Sofia has an IEP with speech therapy",
                                   measure="IEP meeting held and speech therapy twice a week",
                                   target_date=days(90)))
    add(network, plan, Action(goal=goal, description="Send the seizure action plan to school",
                              owner="pcp", owner_name="Dr. Pediatra", due_on=days(14)))
    add(network, plan, Action(goal=goal, description="Schedule the PPT meeting", owner="school",
                              owner_name="Burns Elementary", due_on=days(21)))
    plan.refresh_from_db()
    return plan_services.agree(user=network["nurse.nc"], plan=plan,
                               expected_version=plan.version, agreed_on=TODAY, how="in_person",
                               guardian=child.household.guardians.get())


def recipient(practice=None, *, organization="", preferred="email", **routes) -> Recipient:
    r = Recipient(practice=practice, organization=organization, preferred_route=preferred,
                  **routes)
    r.full_clean()
    r.save()
    return r


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# ---------------------------------------------------------------- a practice's EMR


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Endpoint:
    url: str
    received: list = field(default_factory=list)


@contextmanager
def fhir_endpoint(status=201, answer=None):
    """A real HTTP server on this machine, in a thread, that records each request and answers
    `status` (with `answer` as its JSON body)."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(Received("POST", self.path, dict(self.headers), body))
            payload = json.dumps(answer or {"resourceType": "Bundle", "type": "collection"})
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(payload)))
            if 300 <= status < 400:
                self.send_header("Location", "https://elsewhere.example/fhir/Bundle")
            self.end_headers()
            self.wfile.write(payload.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Endpoint(f"http://127.0.0.1:{server.server_address[1]}/fhir/Bundle", received)
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port of this machine where nothing listens."""
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as s:
        return s.server_address[1]


def closed_port_url() -> str:
    return f"http://127.0.0.1:{closed_port()}/fhir/Bundle"


# ---------------------------------------------------------------- the mail relay


@dataclass
class Sink:
    host: str
    port: int
    messages: list = field(default_factory=list)  # (mail from, [rcpt to], raw message bytes)


@contextmanager
def smtp_sink():
    """A minimal SMTP server (RFC 5321's HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on
    this machine, in a thread, keeping every message it accepts. Python 3.12 drops `smtpd`
    and aiosmtpd is not a dependency, so it speaks the protocol itself."""
    messages = []

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str):
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self):
            self.reply("220 sink.test ESMTP")
            sender, rcpts = None, []
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                verb = line.decode("ascii", "replace").strip()
                upper = verb.upper()
                if upper.startswith("EHLO"):
                    self.reply("250-sink.test")
                    self.reply("250 8BITMIME")
                elif upper.startswith("HELO") or upper.startswith("NOOP"):
                    self.reply("250 OK")
                elif upper.startswith("MAIL FROM:"):
                    sender, rcpts = verb[10:].strip(), []
                    self.reply("250 OK")
                elif upper.startswith("RCPT TO:"):
                    rcpts.append(verb[8:].strip().strip("<>"))
                    self.reply("250 OK")
                elif upper == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while True:
                        data = self.rfile.readline()
                        if data in (b".\r\n", b".\n", b""):
                            break
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    messages.append((sender, rcpts, b"".join(lines)))
                    self.reply("250 OK: queued")
                elif upper == "RSET":
                    sender, rcpts = None, []
                    self.reply("250 OK")
                elif upper == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Sink("127.0.0.1", server.server_address[1], messages)
    finally:
        server.shutdown()
        server.server_close()
