from decimal import Decimal

import pytest


@pytest.mark.django_db
def test_the_chain_fixture_builds_an_approved_dpa(chain):
    assert chain.rka.total == sum(b.pagu for b in chain.dpa.values())
    assert sum(k.nilai for k in chain.rka.anggaran_kas.all()) == chain.rka.total
    assert chain.dpa["5.2.02.10.02.0004"].pagu == Decimal("50000000")
