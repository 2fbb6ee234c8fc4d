"""A registered client's public key set (JWKS), checked when an administrator registers it and
used to verify the client's assertions."""

import jwt
from jwt.exceptions import PyJWKError

# SMART Backend Services: servers support RS384 and ES384.
ALGORITHMS = {"RS384": "RSA", "ES384": "EC"}
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
MIN_RSA_BITS = 2048


def key_set_problems(jwks) -> list[str]:
    """Why a JWK set cannot be registered (empty when it can)."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        return ['A JWK set is a JSON object with a non-empty "keys" list.']
    problems, kids = [], set()
    for number, key in enumerate(jwks["keys"], start=1):
        if not isinstance(key, dict):
            problems.append(f"Key {number} is not a JSON object.")
            continue
        name = f"Key {number} ({key.get('kid', 'no kid')})"
        if PRIVATE_MEMBERS & key.keys():
            problems.append(f"{name} holds private key material: register the public key only, "
                            "and treat this private key as exposed.")
            continue
        kid = key.get("kid")
        if not isinstance(kid, str) or not kid:
            problems.append(f"{name} has no kid: assertions name their key by kid.")
        elif kid in kids:
            problems.append(f"{name}: the kid is used by another key of the set.")
        kids.add(kid)
        if key.get("kty") not in ("RSA", "EC"):
            problems.append(f"{name}: kty must be RSA (for RS384) or EC (for ES384).")
            continue
        if key.get("kty") == "EC" and key.get("crv") != "P-384":
            problems.append(f"{name}: an EC key for ES384 is on the P-384 curve.")
            continue
        alg = key.get("alg", "RS384" if key["kty"] == "RSA" else "ES384")
        if ALGORITHMS.get(alg) != key["kty"]:
            problems.append(f"{name}: alg must be RS384 or ES384, matching its kty.")
            continue
        try:
            public_key = jwt.PyJWK(key, algorithm=alg).key
        except (PyJWKError, ValueError, TypeError) as error:
            problems.append(f"{name} cannot be read: {error}")
            continue
        if key["kty"] == "RSA" and public_key.key_size < MIN_RSA_BITS:
            problems.append(f"{name}: an RSA key has at least {MIN_RSA_BITS} bits.")
    return problems


def find_key(jwks: dict, kid: str, alg: str):
    """The verifying key named by an assertion's header, or None."""
    if alg not in ALGORITHMS:
        return None
    for key in jwks.get("keys", []):
        if key.get("kid") == kid and key.get("kty") == ALGORITHMS[alg] and key.get(
                "alg", alg) == alg:
            try:
                return jwt.PyJWK(key, algorithm=alg).key
            except (PyJWKError, ValueError, TypeError):
                return None
    return None
