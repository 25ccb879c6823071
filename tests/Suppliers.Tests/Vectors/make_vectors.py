#!/usr/bin/env python3
"""Test vectors for docs/proof-of-work.md and docs/rewards.md, written from the docs alone (not from the C# code).

Run: python3 make_vectors.py > vectors.json  (the tests read vectors.json; this script is not run by them)."""
import hashlib, json, struct, uuid

P = 2**31 - 1

def seed(b):
    return bytes((b + i) % 256 for i in range(32))

def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

def chacha20_block(key, counter, nonce):
    c = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    k = list(struct.unpack("<8I", key))
    n = list(struct.unpack("<3I", nonce))
    s = c + k + [counter] + n
    x = s[:]
    def qr(a, b, cc, d):
        x[a] = (x[a] + x[b]) & 0xFFFFFFFF; x[d] = rotl(x[d] ^ x[a], 16)
        x[cc] = (x[cc] + x[d]) & 0xFFFFFFFF; x[b] = rotl(x[b] ^ x[cc], 12)
        x[a] = (x[a] + x[b]) & 0xFFFFFFFF; x[d] = rotl(x[d] ^ x[a], 8)
        x[cc] = (x[cc] + x[d]) & 0xFFFFFFFF; x[b] = rotl(x[b] ^ x[cc], 7)
    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return [(x[i] + s[i]) & 0xFFFFFFFF for i in range(16)]

def row(sd, matrix, r, n):
    out, counter = [], 0
    while len(out) < n:
        for w in chacha20_block(sd, counter, struct.pack("<3I", matrix, r, 0)):
            v = w & 0x7FFFFFFF
            if v != P and len(out) < n:
                out.append(v)
        counter += 1
    return out

def product(sd, n):
    a = [row(sd, 0, r, n) for r in range(n)]
    b = [row(sd, 1, r, n) for r in range(n)]
    return [[sum(a[i][k] * b[k][j] for k in range(n)) % P for j in range(n)] for i in range(n)]

def guid_bytes(g):
    return uuid.UUID(g).bytes  # the 32 hex digits as bytes

def sample(challenge, root, salt, n, k):
    limit = 2**32 - (2**32 % n)
    drawn, out, counter = set(), [], 0
    while len(out) < k:
        d = hashlib.sha256(b"ionet:v1:pow:sample:" + guid_bytes(challenge) + root + salt + struct.pack("<I", counter)).digest()
        for w in struct.unpack("<8I", d):
            if len(out) == k:
                break
            if w >= limit:
                continue
            i = w % n
            if i not in drawn:
                drawn.add(i); out.append(i)
        counter += 1
    return out

def mth(leaves):  # RFC 6962 Merkle Tree Hash over leaf hashes
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()

def row_leaf(i, values):
    return hashlib.sha256(b"\x00" + struct.pack("<I", i) + b"".join(struct.pack("<I", v) for v in values)).digest()

def payout_leaf(block, device, worker, amount):
    return hashlib.sha256(b"\x00" + b"ionet:v1:payout:" + struct.pack("<Q", block) + guid_bytes(device) + worker + struct.pack("<Q", amount)).digest()

challenge = "0f8fad5b-d9cb-469f-a165-70867728950e"
c = product(seed(3), 6)
payouts = [
    ("0f8fad5b-d9cb-469f-a165-70867728950e", bytes([5]) * 32, 105556),
    ("7c9e6679-7425-40de-944b-e07fc1f90ae7", bytes([6]) * 32, 844444),
    ("ffffffff-d9cb-469f-a165-70867728950e", bytes([7]) * 32, 50000),
]
print(json.dumps({
    "rowOfA": {"seed": seed(3).hex(), "matrix": 0, "row": 5, "n": 40, "values": row(seed(3), 0, 5, 40)},
    "product": {"seed": seed(3).hex(), "n": 6, "c": [v for r in c for v in r],
                "root": mth([row_leaf(i, c[i]) for i in range(6)]).hex()},
    "sample": {"challenge": challenge, "root": seed(1).hex(), "salt": seed(2).hex(), "n": 100, "k": 12,
               "rows": sample(challenge, seed(1), seed(2), 100, 12)},
    "payouts": {"block": 42, "items": [{"device": d, "worker": w.hex(), "amount": a} for d, w, a in payouts],
                "leaves": [payout_leaf(42, d, w, a).hex() for d, w, a in payouts],
                "root": mth([payout_leaf(42, d, w, a) for d, w, a in payouts]).hex()},
}, indent=2))
