"""The fast check-digit tests agree with python-stdnum, the reference implementation."""

from __future__ import annotations

import random

from stdnum.cn import ric, uscc

from accounts.identifiers import government_uscc
from datasets.validation import citizen_id_valid, uscc_valid

from .conftest import citizen_id


def _mutations(number: str, rng: random.Random) -> list[str]:
    position = rng.randrange(len(number))
    replacement = rng.choice("0123456789XAZ")
    return [number, number[:position] + replacement + number[position + 1 :], number[:-1]]


def test_citizen_ids_agree_with_stdnum():
    rng = random.Random(1)
    cases = []
    for n in range(400):
        region = rng.choice(["340102", "110105", "440305", "999999", "340100"])
        cases += _mutations(citizen_id(n, region), rng)
    cases += ["11010519491231002X", "110105194912310021", "11010519490231002X"]
    for number in cases:
        assert citizen_id_valid(number) == ric.is_valid(number), number


def test_usccs_agree_with_stdnum():
    rng = random.Random(2)
    cases = []
    for n in range(400):
        cases += _mutations(government_uscc("340100", n), rng)
    cases += ["91110000600037341L", "9111000060003734IL", "A1110000600037341L"]
    for number in cases:
        assert uscc_valid(number) == uscc.is_valid(number), number


def test_usccs_with_any_ascii_characters_agree_with_stdnum():
    # The base-34 reading must refuse what int() would otherwise accept: signs, underscores,
    # letters outside the USCC alphabet. (stdnum upper-cases first, as the converter does.)
    rng = random.Random(3)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_+"
    for n in range(3000):
        valid = government_uscc("340100", n)
        position = rng.randrange(8, 18)
        for replacement in (rng.choice(alphabet), "_", "+", "a"):
            number = valid[:position] + replacement + valid[position + 1 :]
            assert uscc_valid(number.upper()) == uscc.is_valid(number), number
    assert not uscc_valid("9134010000000001_" + "X")
    assert not uscc_valid("91340100 00000001X")
