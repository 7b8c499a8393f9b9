"""One surat dinas from draft to completed disposition, every persona on a 360×740 phone in its own browser.

staf.alfa drafts and submits; the Kepala Bidang returns it once and approves the new version; the Kepala Dinas
Alfa signs (instance CA, passphrase, a session past 2FA) and sends; the Kepala Dinas Beta reads it (the sender
sees the read receipt) and disposes it to staf.beta, who completes it. No page of the flow scrolls sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, PHONE, horizontal_overflow, shoot, sign_in, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "kata-sandi-ttd-123"
HAL = "Undangan rapat koordinasi data"
RETURN_NOTE = "Tambahkan waktu dan tempat rapat."
INSTRUCTION = "Tindak lanjuti"
DEADLINE = dt.date(2031, 3, 14)


@pytest.fixture
def world(city, settings, tmp_path):
    """The city plus what the flow needs: reference data, the Kepala Bidang and Kepala Dinas Beta as users,
    the instance CA and a certificate for the Kepala Dinas Alfa."""
    from conftest import make_pegawai

    from terpadu.accounts import services as access
    from terpadu.accounts.models import User
    from terpadu.arsip import services as arsip
    from terpadu.core.context import acting
    from terpadu.naskah import tata
    from terpadu.organisasi import services as org
    from terpadu.organisasi.models import Pegawai
    from terpadu.tte import services as tte

    settings.TERPADU_TTE_CA_KEY_FILE = str(tmp_path / "keys" / "tte-ca.pem")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with acting(None, via="command"):
        arsip.load_reference()
        tata.load_reference()
        kabid = make_pegawai(org, "Kabid Alfa", city.kabid_a, golongan="IV/a")
        kabid_user = access.create_user("kabid.alfa", PASSWORD, pegawai=kabid)
        kepala_beta = access.create_user("kepala.beta", PASSWORD, pegawai=Pegawai.objects.get(nama="Kepala Beta"))
        tte.init_ca()
        tte.enrol(city.pimpinan.pegawai, PASSPHRASE)
    User.objects.update(language="en")
    return SimpleNamespace(city=city, kabid=kabid_user, kepala_beta=kepala_beta)


@pytest.fixture
def new_phone(browser, browser_context_args):
    """Each persona in a browser of its own (own cookies), all 360×740 phones."""
    contexts = []

    def open_phone():
        args = {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
        contexts.append(browser.new_context(**args))
        return contexts[-1].new_page()

    yield open_phone
    for context in contexts:
        context.close()


def fits(page) -> bool:
    found = horizontal_overflow(page)
    assert found["scrollWidth"] <= PHONE["width"], f"{page.url} scrolls sideways: {found}"
    return True


def pick(page, field, typed: str, choice: str) -> None:
    """Type into a picker and click the matching option."""
    field.fill(typed)
    option = page.get_by_role("option", name=re.compile(choice))
    expect(option).to_be_visible()
    option.click()
    expect(field).to_have_value(re.compile(f"^{choice}"))


def status_is(page, label: str) -> None:
    expect(page.locator("#status")).to_have_text(label)


def alert(page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


# -- the steps -------------------------------------------------------------------------------------


def draft_and_submit(drafter) -> str:
    """staf.alfa fills the draft form on the phone, checks the default chain and submits; returns the detail URL."""
    sign_in(drafter, "staf.alfa")
    drafter.goto("/naskah/baru/")
    drafter.get_by_label("Kind of naskah").select_option(label="Surat Dinas")
    drafter.get_by_role("button", name="Use this kind's template").click()
    expect(drafter.get_by_text("Template: Surat Dinas")).to_be_visible()
    expect(drafter.get_by_label("Kind", exact=True)).to_have_value(re.compile(r"\d+"))
    assert fits(drafter)

    drafter.get_by_label("Classification").select_option(label="000.1.5 Rapat Pimpinan")
    drafter.get_by_label("Subject (hal)").fill(HAL)
    drafter.get_by_label("Summary").fill("Mengundang Kepala Dinas Beta ke rapat koordinasi data.")
    pick(drafter, drafter.get_by_label("Signing position"), "Kepala Dinas Alfa", "Kepala Dinas Alfa — Dinas Alfa")
    first = drafter.get_by_role("group", name="Recipient 1")
    first.get_by_label("Role").select_option(label="Addressee")
    pick(drafter, first.get_by_label("Position", exact=True), "Kepala Dinas Beta", "Kepala Dinas Beta — Dinas Beta")
    shoot(drafter, "360-naskah-draft-form")
    drafter.get_by_role("button", name="Save", exact=True).click()

    alert(drafter, "Saved as a new version.")
    status_is(drafter, "Draft")
    expect(drafter.locator("#recipients")).to_contain_text("Kepala Dinas Beta")
    assert fits(drafter)
    detail_url = drafter.url

    drafter.get_by_role("link", name="Verification chain").click()
    expect(drafter.get_by_role("heading", name="Verification chain")).to_be_visible()
    expect(drafter.locator("#id_rantai-0-jabatan")).to_have_value("Kepala Bidang Alfa Satu — Bidang Alfa Satu")
    assert fits(drafter)
    drafter.get_by_role("button", name="Use the default (up the hierarchy)").click()
    alert(drafter, "The verification chain was saved.")

    drafter.get_by_role("button", name="Submit", exact=True).click()
    alert(drafter, "Submitted for verification.")
    status_is(drafter, "Being verified")
    expect(drafter.locator("#steps")).to_contain_text("Kepala Bidang Alfa Satu — Waiting")
    return detail_url


def open_from_list(page, list_url: str, heading: str) -> None:
    page.goto(list_url)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert fits(page)
    page.get_by_role("link", name=HAL).click()
    expect(page.get_by_text(HAL, exact=True).first).to_be_visible()


def return_once(verifier, drafter, world, detail_url: str) -> None:
    signed_in(verifier, world.kabid, world.url, verified=True)
    open_from_list(verifier, "/naskah/perlu-paraf/", "Waiting for my paraf")
    # The note is typed into the return form itself (its label must not point at the paraf form's notes).
    return_form = verifier.locator("form", has=verifier.get_by_role("button", name="Return to the drafter"))
    return_form.get_by_label("What must change").fill(RETURN_NOTE)
    verifier.get_by_role("button", name="Return to the drafter").click()
    alert(verifier, "Returned to the drafter.")
    status_is(verifier, "Returned")
    assert fits(verifier)

    drafter.goto(detail_url)
    status_is(drafter, "Returned")
    expect(drafter.locator("#steps")).to_contain_text(RETURN_NOTE)
    drafter.get_by_role("link", name="Edit").click()
    expect(drafter.get_by_label("Subject (hal)")).to_have_value(HAL)
    drafter.get_by_label("Summary").fill("Rapat koordinasi data, Senin pukul 09.00 di ruang rapat Dinas Alfa.")
    drafter.get_by_label("Note on this version").fill("Waktu dan tempat ditambahkan")
    assert fits(drafter)
    drafter.get_by_role("button", name="Save", exact=True).click()
    alert(drafter, "Saved as a new version.")
    expect(drafter.locator("#versions")).to_contain_text("v2")
    expect(drafter.locator("#versions")).to_contain_text("Waktu dan tempat ditambahkan")
    drafter.get_by_role("button", name="Submit", exact=True).click()
    alert(drafter, "Submitted for verification.")
    status_is(drafter, "Being verified")


def approve(verifier, detail_url: str) -> None:
    verifier.goto(detail_url)
    expect(verifier.locator("#steps")).to_contain_text("Round 2")
    verifier.get_by_label("Notes").fill("Sudah sesuai.")
    verifier.get_by_role("button", name="Approve (paraf)").click()
    alert(verifier, "Paraf given.")
    status_is(verifier, "Awaiting signature")
    expect(verifier.locator("#steps")).to_contain_text("Approved (paraf)")


def sign_and_send(signer, world) -> None:
    from terpadu.naskah.models import Naskah

    signed_in(signer, world.city.pimpinan, world.url, verified=True)
    open_from_list(signer, "/naskah/perlu-ttd/", "Waiting for my signature")
    sign_card = signer.locator("#sign")
    expect(sign_card.get_by_text("Signing needs a session that passed two-factor authentication.")).to_have_count(0)
    expect(sign_card.get_by_label("Signing method")).to_have_value(re.compile(r"^ca"))
    sign_card.get_by_label("Passphrase").fill(PASSPHRASE)
    assert fits(signer)
    shoot(signer, "360-naskah-sign")
    sign_card.get_by_role("button", name="Sign and number").click()

    alert(signer, "Signed and numbered.")
    status_is(signer, "Signed")
    naskah = Naskah.objects.get(hal=HAL)
    assert naskah.nomor and naskah.status == Naskah.Status.DITANDATANGANI
    expect(signer.get_by_role("heading", name=naskah.nomor, level=1)).to_be_visible()
    expect(signer.get_by_role("definition").filter(has_text=naskah.nomor)).to_have_text(naskah.nomor)
    expect(signer.locator("#sign")).to_have_count(0)
    assert fits(signer)

    signer.get_by_role("button", name="Send", exact=True).click()
    alert(signer, "Sent.")
    status_is(signer, "Sent")
    expect(signer.locator("#recipients")).to_contain_text("delivered")
    expect(signer.locator("#recipients")).not_to_contain_text("read")


def read_from_inbox(recipient, signer, world, detail_url: str) -> None:
    signed_in(recipient, world.kepala_beta, world.url, verified=True)
    recipient.goto("/naskah/masuk/")
    item = recipient.locator("#inbox-rows a", has_text=HAL)
    expect(item).to_have_attribute("data-unread", "")
    expect(item).to_have_class(re.compile(r"\bfw-bold\b"))
    assert fits(recipient)
    shoot(recipient, "360-naskah-inbox")
    item.click()
    expect(recipient).to_have_url(re.compile(re.escape(detail_url) + "$"))
    status_is(recipient, "Sent")
    assert fits(recipient)

    signer.reload()
    expect(signer.locator("#recipients")).to_contain_text(re.compile(r"read .*\(Kepala Beta"))


def dispose(recipient) -> None:
    panel = recipient.locator("#disposisi-panel")
    expect(panel.get_by_role("heading", name="Dispose")).to_be_visible()
    panel.get_by_label("To").select_option(label="Pengelola Beta — Dinas Beta")
    panel.get_by_label(INSTRUCTION).check()
    panel.get_by_label("Note").fill("Siapkan bahan paparan data.")
    panel.get_by_label("Deadline").fill(DEADLINE.isoformat())
    assert fits(recipient)
    shoot(recipient, "360-naskah-dispose")
    panel.get_by_role("button", name="Send the disposition").click()

    node = recipient.locator("#disposisi-panel [data-disposisi]")
    expect(node).to_have_count(1)
    expect(recipient.locator("#disposisi-panel")).to_contain_text("1 disposition(s) sent.")
    expect(node).to_contain_text("Kepala Dinas Beta → Pengelola Beta")
    expect(node).to_contain_text(INSTRUCTION)
    expect(node).to_contain_text(f"deadline {date_format(DEADLINE)}")
    expect(node).to_have_attribute("data-status", "terkirim")
    assert fits(recipient)


def complete(assignee) -> None:
    sign_in(assignee, "staf.beta")
    assignee.goto("/naskah/disposisi/")
    row = assignee.locator("[data-disposisi]", has_text=HAL)
    expect(row).to_contain_text("Kepala Dinas Beta")
    expect(row).to_contain_text("Sent (unread)")
    expect(row).to_contain_text(date_format(DEADLINE))
    assert fits(assignee)
    row.get_by_role("link", name=HAL).click()

    panel = assignee.locator("#disposisi-panel")
    expect(panel.get_by_role("heading", name="Complete the disposition from Kepala Dinas Beta")).to_be_visible()
    assert fits(assignee)
    panel.get_by_label("Follow-up").fill("Bahan paparan sudah disiapkan dan dikirim.")
    panel.get_by_role("button", name="Complete", exact=True).click()
    expect(assignee.locator("#disposisi-panel")).to_contain_text("The disposition was completed.")
    expect(assignee.locator("#disposisi-panel [data-disposisi]")).to_have_attribute("data-status", "selesai")
    assert fits(assignee)


# -- the test --------------------------------------------------------------------------------------


def test_a_surat_dinas_goes_from_draft_to_a_completed_disposition_on_phones(world, new_phone, live_server):
    from terpadu.naskah.models import Disposisi, Naskah

    world.url = live_server.url
    drafter, verifier, signer, recipient, assignee = (new_phone() for _ in range(5))

    detail_url = draft_and_submit(drafter)
    return_once(verifier, drafter, world, detail_url)
    approve(verifier, detail_url)
    sign_and_send(signer, world)
    read_from_inbox(recipient, signer, world, detail_url)
    dispose(recipient)
    complete(assignee)

    recipient.reload()
    node = recipient.locator("#disposisi-panel [data-disposisi]")
    expect(node).to_have_attribute("data-status", "selesai")
    expect(node).to_contain_text("Completed")
    expect(node).to_contain_text("Bahan paparan sudah disiapkan dan dikirim.")
    shoot(recipient, "360-naskah-flow-completed")
    assert fits(recipient)

    naskah = Naskah.objects.get(hal=HAL)
    recipient.goto(f"/naskah/{naskah.pk}/disposisi/")  # the tree page of its own
    expect(recipient.locator("[data-disposisi]")).to_have_attribute("data-status", "selesai")
    assert fits(recipient)

    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.TERKIRIM
    assert naskah.versi.count() == 2
    assert Disposisi.objects.get(naskah=naskah).status == Disposisi.Status.SELESAI
