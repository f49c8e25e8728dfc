"""
A SAML 2.0 IdP built on pysaml2 (with xmlsec1), sharing no code with Entrada: the independent
implementation the generic `saml` connection kind is proven against (test/idp/pysaml2-idp.test.ts).

It trusts the one SP whose metadata file it is given, signs every user in as the configured
person without a login form, and answers an AuthnRequest on HTTP-Redirect with a signed
Response and signed Assertion by HTTP-POST. Keys are generated at start. Its metadata is at
/metadata. Prints "listening <base URL>" once ready.

Test knob: `audience=<entity ID>` beside the SAMLRequest makes the signed assertion name that
audience instead of the SP's, as a response meant for another service provider would.
"""
import argparse
import datetime
import os
import shutil
import sys
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256


def write_key_pair(directory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pysaml2 test IdP")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256())
    )
    key_file, cert_file = os.path.join(directory, "idp.key"), os.path.join(directory, "idp.crt")
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


POLICY = {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}}


class OtherAudience(Policy):
    """The configured policy, except that the assertion's AudienceRestriction names `audience`."""

    def __init__(self, audience, mds):
        super().__init__(restrictions=POLICY, mds=mds)
        self.audience = audience

    def conditions(self, sp_entity_id):
        return super().conditions(self.audience)


def idp_server(base, sp_metadata, key_file, cert_file):
    xmlsec = shutil.which("xmlsec1") or sys.exit("xmlsec1 not found: run scripts/provision.sh (Debian's xmlsec1)")
    config = IdPConfig()
    config.load({
        "entityid": f"{base}/idp",
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)]},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_EMAILADDRESS],
            "want_authn_requests_signed": False,
            "policy": POLICY,
        }},
        "key_file": key_file,
        "cert_file": cert_file,
        "metadata": {"local": [sp_metadata]},
        "xmlsec_binary": xmlsec,
    })
    return Server(config=config)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sp-metadata", required=True, help="the SP's metadata XML file")
    p.add_argument("--email", required=True)
    p.add_argument("--given-name", required=True)
    p.add_argument("--surname", required=True)
    p.add_argument("--persistent-id", required=True, help="the person's persistent NameID")
    args = p.parse_args()

    http = ThreadingHTTPServer(("127.0.0.1", 0), None)
    base = f"http://127.0.0.1:{http.server_address[1]}"
    idp = idp_server(base, args.sp_metadata, *write_key_pair(tempfile.mkdtemp(prefix="pysaml2-idp-")))
    # pysaml2's own attribute maps turn these into urn:oid names (mail, givenName, sn).
    identity = {"mail": [args.email], "givenName": [args.given_name], "sn": [args.surname]}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/metadata":
                return self.answer(200, "application/samlmetadata+xml", create_metadata_string(None, config=idp.config))
            if url.path != "/sso" or "SAMLRequest" not in query:
                return self.answer(404, "text/plain", b"not found")
            request = idp.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
            response_args = idp.response_args(request.message, [BINDING_HTTP_POST])
            name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=args.persistent_id,
                             sp_name_qualifier=response_args["sp_entity_id"], name_qualifier=idp.config.entityid)
            audience = {"release_policy": OtherAudience(query["audience"], idp.metadata)} if "audience" in query else {}
            response = idp.create_authn_response(
                identity, userid=args.email, name_id=name_id, sign_response=True, sign_assertion=True, **audience,
                sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256,
                authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
                **response_args,
            )
            page = idp.apply_binding(BINDING_HTTP_POST, str(response), response_args["destination"],
                                     query.get("RelayState", ""), response=True)
            self.answer(200, "text/html", page["data"].encode())

        def answer(self, status, content_type, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    http.RequestHandlerClass = Handler
    print(f"listening {base}", flush=True)
    http.serve_forever()


if __name__ == "__main__":
    main()
