"""Secure email through Django's SMTP backend to a real (local) mail server: the message the
relay receives carries the plan PDF, and the share records the server's acceptance."""

import email
import email.policy

import pytest

from carecoord.sharing import services

from .helpers import PRIORITY, agreed_plan, pdf_text, recipient, smtp_sink

pytestmark = pytest.mark.django_db


def test_the_plan_goes_through_a_real_smtp_server(network, settings):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    with smtp_sink() as relay:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = relay.host, relay.port
        settings.EMAIL_USE_TLS = False  # the local relay speaks plain SMTP
        settings.SHARING_FROM_EMAIL = "care-plans@carecoord.test"
        [sent] = services.share_plan_version(user=network["nurse.nc"], version=version,
                                             recipients=[pcp])
    assert (sent.status, sent.answer) == (
        "sent", "Accepted by the mail server for referrals@asylumhill.test")
    [(sender, rcpts, raw)] = relay.messages
    assert sender == "<care-plans@carecoord.test>" and rcpts == ["referrals@asylumhill.test"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert "Shared plan of care, version 1" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "plan-de-cuidado-SR-v1.pdf"
    assert attachment.get_content_type() == "application/pdf"
    text = pdf_text(attachment.get_content())
    assert "Plan de cuidado de Sofia Rivera" in text and PRIORITY in text
