"""The monev dashboard drills down from its chart as from its table: an OPD operator on a phone taps the bar of
their OPD on the city page, then the bar of a program on the OPD page, and lands one level lower each time."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The centre of the first bar of the "progress per row" chart, in page pixels (ECharts draws on a canvas).
FIRST_BAR = """() => {
    const el = document.getElementById('chart-rows');
    el.scrollIntoView({block: 'center'});
    const chart = echarts.getInstanceByDom(el);
    const layout = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
    const box = el.getBoundingClientRect();
    return {x: box.left + layout.x + layout.width / 2, y: box.top + layout.y + layout.height / 2};
}"""


@pytest.fixture
def operator(city, chain):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting
    from terpadu.monev import services_evaluasi as sv
    from terpadu.monev.tests.conftest_evaluasi import fisik, pay

    with acting(None, via="command"):
        access.assign_role(city.staff_same, Role.objects.get(code="operator-opd"), city.dinas_a)
        sv.muat_skala()
    authz.forget(city.staff_same)
    for line in chain.dpa.values():
        pay(line, 2, line.pagu / 2, tahun=chain.tahun)  # visible bars: half of the first sub kegiatan paid
    fisik(chain.sub, 2, 40, tahun=chain.tahun)
    return city.staff_same


def tap_first_bar(page) -> None:
    page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-rows'))")
    point = page.evaluate(FIRST_BAR)
    page.mouse.click(point["x"], point["y"])


def test_tapping_a_bar_drills_down_like_the_tables_link(phone, chain, operator):
    phone.emulate_media(reduced_motion="reduce")  # the chart draws its bars at once (no animation to wait for)
    sign_in(phone, operator.username)
    expect(phone.get_by_role("button", name="Sign in")).to_have_count(0)
    phone.goto(f"/monev/?tahun={chain.tahun}&bulan=3")
    expect(phone.get_by_role("link", name=chain.sub.unit.nama)).to_be_visible()

    tap_first_bar(phone)
    expect(phone).to_have_url(re.compile(rf"level=opd&parent={chain.sub.unit_id}\b"))
    expect(phone.locator("h2")).to_contain_text(chain.sub.unit.nama)

    # One level down, each bar leads where its row's link in the table leads.
    phone.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-rows'))")
    chart_urls = phone.evaluate(
        "() => JSON.parse(document.getElementById('monev-chart-data').textContent).rows.map(r => r.url)"
    )
    table_urls = phone.evaluate(
        "() => Array.from(document.querySelectorAll('tbody td:nth-child(2) a')).map(a => a.getAttribute('href'))"
    )
    program = f"level=program&parent={chain.sub.unit_id}%3A{chain.sub.kode_program}"
    assert len(chart_urls) == len(table_urls) >= 1
    assert [parse_qs(urlsplit(url).query) for url in chart_urls] == [parse_qs(href.lstrip("?")) for href in table_urls]
    assert any(program in url for url in chart_urls)
