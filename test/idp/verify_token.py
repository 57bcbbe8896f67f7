"""Independent verifier for keyless tokens (PyJWT, Debian's python3-jwt).

Usage: verify_token.py ISSUER AUDIENCE < token

Finds the key the way AWS does: <issuer without trailing slash>/.well-known/openid-configuration,
checks that its `issuer` equals ISSUER byte for byte, follows `jwks_uri` with PyJWKClient, picks
the key by the token's `kid`, and verifies signature, iss, aud, exp, nbf and iat. Prints
{"header", "claims", "discovery", "jwk"} as JSON; exits 1 with a message when anything fails.
"""
import json
import sys
import urllib.request

import jwt
from jwt import PyJWKClient


def main() -> int:
    issuer, audience = sys.argv[1], sys.argv[2]
    token = sys.stdin.read().strip()
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    with urllib.request.urlopen(url, timeout=10) as response:
        discovery = json.load(response)
    if discovery.get("issuer") != issuer:
        print(f"discovery issuer {discovery.get('issuer')!r} != {issuer!r}", file=sys.stderr)
        return 1
    header = jwt.get_unverified_header(token)
    client = PyJWKClient(discovery["jwks_uri"], cache_keys=False)
    signing_key = client.get_signing_key_from_jwt(token)
    algorithms = discovery["id_token_signing_alg_values_supported"]
    claims = jwt.decode(
        token,
        signing_key.key,
        algorithms=algorithms,
        audience=audience,
        issuer=issuer,
        options={"require": ["iss", "aud", "sub", "exp", "nbf", "iat", "jti"]},
    )
    jwk = next(k for k in client.get_jwk_set().keys if k.key_id == header["kid"])
    print(
        json.dumps(
            {
                "header": header,
                "claims": claims,
                "discovery": discovery,
                "jwk": {"kid": jwk.key_id, "kty": jwk.key_type, "use": jwk.public_key_use},
            }
        )
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # one line, for the test's failure message
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
