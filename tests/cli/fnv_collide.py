#!/usr/bin/env python3
"""Ids that collide in the hash the library's maps once used.

Until issue 10 the string maps (lib/util.c) hashed keys with unseeded
64-bit FNV-1a, prime 1099511628211 and offset basis 1469598103934665603
as that code wrote it (the standard basis is 14695981039346656037: a
digit was dropped, which changes the hashes but not the weakness), took
the slot from the low bits (hash & (capacity - 1)) and probed linearly. Keys
whose hashes agree in their low BITS bits then all start at the same
slot in any table of up to 2^BITS slots, and inserting n of them costs
n^2/2 probes.

The low BITS bits of FNV-1a depend only on the low BITS bits of the state
(xor and multiplication modulo 2^BITS), so this works modulo 2^BITS: at
each of STAGES stages it draws 4-character blocks until two of them take
the current state to the same next state (a birthday search, about
2^(BITS/2) blocks), and every id picks one block of each pair: 2^STAGES
ids, all with the same low BITS bits of their hash, none equal.

Usage: fnv_collide.py COUNT [BITS] > ids.txt  (one id a line; BITS 24 by
default: the same slot in every table of up to 2^24 slots, where 65,536
keys need 2^18).
"""
import itertools
import random
import sys

OFFSET = 1469598103934665603  # as the old lib/util.c had it
PRIME = 1099511628211
BLOCK = 4
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def fnv1a64(data, h=OFFSET):
    for b in data:
        h = ((h ^ b) * PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def collide(state, mask, rng):
    """Two different blocks taking `state` to the same state modulo mask+1."""
    seen = {}
    while True:
        block = "".join(rng.choice(ALPHABET) for _ in range(BLOCK)).encode()
        nxt = fnv1a64(block, state) & mask
        other = seen.setdefault(nxt, block)
        if other != block:
            return other, block, nxt


def main():
    count = int(sys.argv[1])
    bits = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    stages = max(1, (count - 1).bit_length())
    mask = (1 << bits) - 1
    rng = random.Random(10)  # seeded: the same ids on every run
    prefix = b"id-"
    state = fnv1a64(prefix) & mask
    pairs = []
    for _ in range(stages):
        a, b, state = collide(state, mask, rng)
        pairs.append((a, b))
    ids = []
    for choice in itertools.islice(itertools.product(*pairs), count):
        ids.append(prefix + b"".join(choice))
    # the property claimed, checked on the full 64-bit hash
    assert len({fnv1a64(i) & mask for i in ids}) == 1
    assert len(set(ids)) == len(ids)
    sys.stdout.write("".join(i.decode() + "\n" for i in ids))


if __name__ == "__main__":
    main()
