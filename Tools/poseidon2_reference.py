#!/usr/bin/env python3
"""Independent reference for zkvm's Poseidon2 instance (Spec/hashing.md §7).

Poseidon2 over Goldilocks (p = 2^64 - 2^32 + 1), width t = 12, S-box x^7,
R_F = 8 external and R_P = 22 internal rounds (Grassi, Khovratovich,
Schofnegger, "Poseidon2: A Faster Version of the Poseidon Hash Function",
AFRICACRYPT 2023, ePrint 2023/323, Table 1 for 128-bit security and d = 7).

Written from the paper and Spec/hashing.md alone, in plain Python integers,
so it is an oracle for the Swift code rather than a copy of it.

  python3 Tools/poseidon2_reference.py check     # verify the internal matrix (irreducibility)
  python3 Tools/poseidon2_reference.py vectors   # print known-answer vectors (JSON)
"""
import hashlib
import json
import struct
import sys

P = 2**64 - 2**32 + 1
T = 12
RATE = 8
FULL_ROUNDS = 8
PARTIAL_ROUNDS = 22
CONSTANT_TAG = b"zkvm/poseidon2/goldilocks/t12/v1"
SPONGE_TAG = 0x7A6B766D  # "zkvm": capacity lane 9 of the sponge's initial state
LAYOUT_TAG = b"zkvm/weight-layout/v2"

# M4 of the Poseidon2 paper (Sect. 5.1); M_E = circ(2·M4, M4, M4).
M4 = [[5, 7, 1, 3], [4, 6, 1, 1], [1, 3, 5, 7], [1, 1, 4, 6]]

DIAGONAL_TAG = b"zkvm/poseidon2/goldilocks/t12/diagonal/v1"

# Internal matrix M_I = J + diag(D): x'_i = sum(x) + D[i]·x_i. D is the
# first candidate c = 0, 1, … (the first 12 words of
# word_stream(DIAGONAL_TAG ‖ u32 c)) whose M_I passes `diagonal_passes`.
D = None  # set by search_diagonal() in main()


def word_stream(tag, count):
    """The first `count` field elements of SHA-256(tag ‖ u32 counter),
    counter = 0, 1, …: each digest split into four little-endian u64
    words, words ≥ p skipped."""
    out, counter = [], 0
    while len(out) < count:
        digest = hashlib.sha256(tag + struct.pack("<I", counter)).digest()
        counter += 1
        for k in range(4):
            w = int.from_bytes(digest[8 * k:8 * k + 8], "little")
            if w < P and len(out) < count:
                out.append(w)
    return out


def round_constants():
    """8·12 + 22 round constants, in round order."""
    return word_stream(CONSTANT_TAG, FULL_ROUNDS * T + PARTIAL_ROUNDS)


# ---- polynomials over F_p (lists of coefficients, low degree first) ----

def poly_trim(a):
    while a and a[-1] == 0:
        a.pop()
    return a


def poly_mulmod(a, b, f):
    prod = [0] * (len(a) + len(b) - 1) if a and b else []
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                prod[i + j] = (prod[i + j] + x * y) % P
    return poly_mod(prod, f)


def poly_mod(a, f):
    a = poly_trim(list(a))
    inv = pow(f[-1], P - 2, P)
    while len(a) >= len(f):
        c = a[-1] * inv % P
        shift = len(a) - len(f)
        for i, y in enumerate(f):
            a[shift + i] = (a[shift + i] - c * y) % P
        poly_trim(a)
    return a


def poly_gcd(a, b):
    a, b = poly_trim(list(a)), poly_trim(list(b))
    while b:
        a, b = b, poly_mod(a, b)
    return a


def is_irreducible(f):
    """Rabin's test for a monic f of degree n: x^(p^n) = x mod f and
    gcd(x^(p^(n/q)) − x, f) = 1 for every prime q | n."""
    n = len(f) - 1
    powers = [[0, 1]]  # x^(p^k) mod f, k = 0..n
    for _ in range(n):
        powers.append(poly_compose_frobenius(powers[-1], f))
    def minus_x(g):
        g = list(g) + [0] * max(0, 2 - len(g))
        g[1] = (g[1] - 1) % P
        return poly_trim(g)
    if minus_x(powers[n]):
        return False
    for q in {q for q in range(2, n + 1) if n % q == 0 and all(q % r for r in range(2, q))}:
        if len(poly_gcd(f, minus_x(powers[n // q]))) != 1:
            return False
    return True


def poly_compose_frobenius(g, f):
    """g(x)^p mod f (the Frobenius map applied to g)."""
    result, base, e = [1], poly_mod(g, f), P
    while e:
        if e & 1:
            result = poly_mulmod(result, base, f)
        base = poly_mulmod(base, base, f)
        e >>= 1
    return result


def charpoly(a):
    """Characteristic polynomial det(xI − A) by Faddeev–LeVerrier (n < p)."""
    n = len(a)
    coeffs = [0] * n + [1]
    m = [[0] * n for _ in range(n)]
    for k in range(1, n + 1):
        for i in range(n):
            m[i][i] = (m[i][i] + coeffs[n - k + 1]) % P
        am = matmul(a, m)
        trace = sum(am[i][i] for i in range(n)) % P
        coeffs[n - k] = (-trace * pow(k, P - 2, P)) % P
        m = am
    return coeffs


def matmul(a, b):
    n = len(a)
    return [[sum(a[i][k] * b[k][j] for k in range(n)) % P for j in range(n)] for i in range(n)]


def internal_matrix(d):
    return [[(1 + (d[i] if i == j else 0)) % P for j in range(T)] for i in range(T)]


def diagonal_passes(d, powers=2 * T):
    """M_I is invertible and the characteristic polynomial of M_I^k is
    irreducible for k = 1 … 2t: the sufficient condition against
    infinitely long invariant subspace trails of Grassi, Rechberger and
    Schofnegger (ToSC 2021) that the Poseidon2 paper asks of M_I."""
    m = internal_matrix(d)
    power = m
    for _ in range(powers):
        f = charpoly(power)
        if f[0] == 0 or not is_irreducible(f):
            return False
        power = matmul(power, m)
    return True


def search_diagonal():
    candidate = 0
    while True:
        d = word_stream(DIAGONAL_TAG + struct.pack("<I", candidate), T)
        if diagonal_passes(d, powers=1) and diagonal_passes(d):
            return candidate, d
        candidate += 1


# ---- the permutation and the sponge ----

def m4(x):
    return [sum(M4[i][j] * x[j] for j in range(4)) % P for i in range(4)]


def external_layer(x):
    blocks = [m4(x[4 * b:4 * b + 4]) for b in range(3)]
    sums = [sum(blocks[b][i] for b in range(3)) for i in range(4)]
    return [(blocks[b][i] + sums[i]) % P for b in range(3) for i in range(4)]


def internal_layer(x, d):
    s = sum(x)
    return [(s + d[i] * x[i]) % P for i in range(T)]


def permute(state, d, rc):
    x = external_layer(state)
    k = 0
    for r in range(FULL_ROUNDS + PARTIAL_ROUNDS):
        full = r < FULL_ROUNDS // 2 or r >= FULL_ROUNDS // 2 + PARTIAL_ROUNDS
        if full:
            x = [pow((x[i] + rc[k + i]) % P, 7, P) for i in range(T)]
            k += T
            x = external_layer(x)
        else:
            x = list(x)
            x[0] = pow((x[0] + rc[k]) % P, 7, P)
            k += 1
            x = internal_layer(x, d)
    return x


def layout_element(description):
    """Capacity lane 10: the first word of word_stream(LAYOUT_TAG ‖ description)."""
    return word_stream(LAYOUT_TAG + description, 1)[0]


def sponge(elements, count, layout, d, rc):
    """The commitment sponge: capacity lanes 8, 9, 10 start as (count, tag, layout);
    the elements (salt then weights) are added to lanes 0…7 block by block
    (zero-padded), one permutation per block; the digest is lanes 0…3."""
    state = [0] * T
    state[8], state[9], state[10] = count % P, SPONGE_TAG, layout
    padded = list(elements) + [0] * (-len(elements) % RATE)
    for b in range(0, len(padded), RATE):
        for i in range(RATE):
            state[i] = (state[i] + padded[b + i]) % P
        state = permute(state, d, rc)
    return state[:4]


def main():
    global D
    offset, D = search_diagonal()
    rc = round_constants()
    command = sys.argv[1] if len(sys.argv) > 1 else "vectors"
    if command == "check":
        print(json.dumps({"candidate": offset, "diagonal": D, "passes": diagonal_passes(D)}))
    elif command == "vectors":
        zero = permute([0] * T, D, rc)
        counting = permute(list(range(T)), D, rc)
        near_p = permute([P - 1 - i for i in range(T)], D, rc)
        salt = [1, 2, 3, 4]
        weights = [-3 % P, 0, 7, 123456, -(2**31) % P, 2**31 - 1, 5, 6, 9, 10, 11]
        layout = layout_element(bytes([1, 2, 3]))
        print(json.dumps({
            "diagonal": D,
            "layout_element_010203": layout,
            "round_constants_first_last": [rc[0], rc[-1]],
            "permutation": {"zero": zero, "counting": counting, "near_p": near_p},
            "sponge": {"salt": salt, "weights": weights, "count": len(weights),
                       "digest": sponge(salt + weights, len(weights), layout, D, rc)},
            "sponge_empty": sponge([9, 8, 7, 6], 0, 0, D, rc),
        }, indent=1))
    else:
        sys.exit("usage: poseidon2_reference.py check|vectors")


if __name__ == "__main__":
    main()
