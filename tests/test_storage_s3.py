"""Production storage: uploads and letters on S3-compatible storage (moto's real HTTP S3 server on loopback)."""

import hashlib
import os
import subprocess
import sys

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from moto.server import ThreadedMotoServer

from fonds.models import Letter
from fonds.services.documents import document_upload
from fonds.services.letters import letter_store_pdf
from workflows import demo, services


def png() -> bytes:
    """A real 2×2 PNG made by Pillow (uploads are decoded and re-encoded)."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


BUCKET = "fondsflow-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def s3_env(endpoint):
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_ADDRESSING_STYLE": "path"}


def test_the_settings_switch_to_s3_from_the_environment_and_sign_urls_with_v4(s3_endpoint):
    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage as s\n"
        "name = s.save('probe/Verwendungsnachweis Ä.pdf', ContentFile(b'%PDF-1.7 probe'))\n"
        "print(type(s._wrapped).__name__, s.open(name).read().decode(), 'X-Amz-Signature' in s.url(name))\n"
    )
    env = {**os.environ, **s3_env(s3_endpoint), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                            cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "%PDF-1.7", "probe", "True"]


def test_letters_and_uploads_are_stored_on_s3_and_served_only_through_the_checked_view(
        s3_endpoint, world):
    options = {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
               "access_key": "testing", "secret_key": "testing", "addressing_style": "path",
               "signature_version": "s3v4", "file_overwrite": False, "default_acl": None, "querystring_auth": True}
    storages = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}
    alice, bob = world["users"]["alice"], world["users"]["bob"]
    with override_settings(STORAGES=storages):
        application = demo.draft(world, world["dia"], alice, "Ampeln", [("Ampeln", "2000", "2380")])
        services.submit_and_start(actor=alice, application=application)
        letter = application.letters.get(kind=Letter.Kind.RECEIPT)  # queued by the submission
        pdf = b"%PDF-1.7 stored on S3"
        letter = letter_store_pdf(letter=letter, pdf=pdf)
        document = document_upload(actor=alice, application=application, kind="photo",
                                   uploaded_file=SimpleUploadedFile("foto.png", png(), "image/png"))

        s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
        stored = s3.get_object(Bucket=BUCKET, Key=letter.pdf.name)["Body"].read()
        assert stored == pdf and hashlib.sha256(stored).hexdigest() == letter.sha256
        stored = s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
        assert stored.startswith(b"\x89PNG") and hashlib.sha256(stored).hexdigest() == document.sha256
        assert document.file.name.endswith(".png") and "foto" not in document.file.name

        owner, stranger = Client(), Client()
        owner.force_login(alice)
        stranger.force_login(bob)
        response = owner.get(f"/briefe/{letter.pk}/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
        assert stranger.get(f"/briefe/{letter.pk}/").status_code == 404
        assert stranger.get(f"/dokumente/{document.pk}/").status_code == 404
