"""Who may reach the naskah module's routes: merged into tests/authz_expectations.py (see its docstring)."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, SIGNED_IN, Expect, World, _pk  # noqa: F401


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    built: dict = {}
    from terpadu.naskah.tests.test_masuk_support import walk_objects  # masuk: letters and dispositions

    built.update(walk_objects(world))
    from terpadu.naskah.tests.test_pencarian import walk_objects as cari_objects  # cari: numbering

    built.update(cari_objects(world))
    from terpadu.naskah.tests.test_keluar_fixtures import walk_objects as keluar_objects  # keluar: outgoing

    built.update(keluar_objects(world))
    from terpadu.naskah.tests.test_tata_views import walk_objects as tata_objects  # tata: kinds, templates

    built.update(tata_objects(world))
    return built


EXPECTATIONS: dict[str, Expect] = {}

# -- masuk: incoming letters, the inbox, dispositions ---------------------------------------------
# masuk_naskah is addressed to the Kepala Dinas Alfa (pimpinan) and disposed to staff_same (a party from
# then on); no persona holds naskah.register (pencatat-surat) and admin-sistem has no naskah.view.
_MASUK_READERS = frozenset({"staff_same", "pimpinan"})
EXPECTATIONS.update(
    {
        "naskah:inbox": Expect(SIGNED_IN),
        "naskah:register": Expect(frozenset(), note="pencatat-surat only; no persona has it"),
        "naskah:agenda": Expect(frozenset(), note="pencatat-surat only; no persona has it"),
        "naskah:disposisi_list": Expect(SIGNED_IN),
        "naskah:disposisi_keluar": Expect(SIGNED_IN),
        "naskah:disposisi_tree": Expect(_MASUK_READERS, kwargs=_pk("masuk_naskah")),
        "naskah:disposisi_panel": Expect(_MASUK_READERS, kwargs=_pk("masuk_naskah")),
        "naskah:lembar_disposisi": Expect(_MASUK_READERS, kwargs=_pk("masuk_naskah")),
        "naskah:disposisi_create": Expect(
            frozenset({"pimpinan"}), kwargs=_pk("masuk_naskah"), note="an addressee with subordinates"
        ),
        "naskah:disposisi_cancel": Expect(
            frozenset({"pimpinan"}), kwargs=_pk("masuk_disposisi_batal"), post=True, note="the giver"
        ),
        "naskah:disposisi_complete": Expect(
            frozenset({"staff_same"}), kwargs=_pk("masuk_disposisi"), note="the receiver"
        ),
        "api-naskah-masuk-list": Expect(frozenset(), post=True, note="naskah.register: no persona has it"),
        "api-naskah-inbox-list": Expect(SIGNED_IN),
        "api-naskah-inbox-baca": Expect(_MASUK_READERS, kwargs=_pk("masuk_naskah"), post=True),
        "api-naskah-disposisi-list": Expect(SIGNED_IN),
        "api-naskah-disposisi-detail": Expect(_MASUK_READERS, kwargs=_pk("masuk_disposisi")),
        "api-naskah-disposisi-batal": Expect(
            frozenset({"pimpinan"}), kwargs=_pk("masuk_disposisi_batal_api"), post=True, note="the giver"
        ),
        "api-naskah-disposisi-baca": Expect(
            frozenset({"staff_same"}), kwargs=_pk("masuk_disposisi"), post=True, note="the receiver"
        ),
        "api-naskah-disposisi-selesai": Expect(
            frozenset({"staff_same"}),
            kwargs=_pk("masuk_disposisi"),
            post=True,
            data=lambda w: {"tindak_lanjut": "Sudah dihadiri"},
            note="the receiver",
        ),
        "api-naskah-disposisi-pohon": Expect(
            _MASUK_READERS, kwargs=lambda w: {"naskah_pk": w.extra["masuk_naskah"].pk}
        ),
    }
)

# -- cari: search, export, numbering, number formats ------------------------------------------------
# Searching is open to every signed-in user (the gate shows each their own share); exporting needs
# naskah.export (pimpinan); numbering needs naskah.number (pencatat-surat: no persona has it); number
# formats need naskah.configure (admin-sistem).
EXPECTATIONS.update(
    {
        "naskah:search": Expect(SIGNED_IN, query={"q": "alfa"}),
        "naskah:search_export": Expect(frozenset({"pimpinan"}), query={"format": "csv"}),
        "naskah:number_index": Expect(frozenset(), note="naskah.number: pencatat-surat only"),
        "naskah:number_reserve": Expect(frozenset(), post=True, note="naskah.number: pencatat-surat only"),
        "naskah:number_insert": Expect(frozenset(), post=True, note="naskah.number: pencatat-surat only"),
        "naskah:number_void": Expect(frozenset(), kwargs=_pk("cari_cadangan"), post=True),
        "naskah:format_list": Expect(ADMIN_ONLY),
        "naskah:format_create": Expect(ADMIN_ONLY),
        "naskah:format_edit": Expect(ADMIN_ONLY, kwargs=_pk("cari_format")),
        "naskah:format_preview": Expect(ADMIN_ONLY, query={"pola": "{urut}/{tahun}"}),
        "api-naskah-cari-list": Expect(SIGNED_IN, query={"q": "alfa"}),
        "api-naskah-nomor-list": Expect(frozenset(), note="naskah.number: pencatat-surat only"),
        "api-naskah-nomor-detail": Expect(frozenset(), kwargs=_pk("cari_cadangan")),
        "api-naskah-nomor-sisipan": Expect(frozenset(), post=True),
        "api-naskah-nomor-batal": Expect(frozenset(), kwargs=_pk("cari_cadangan"), post=True),
        "api-naskah-nomor-laporan": Expect(frozenset(), query={"tahun": "2026"}),
        "api-naskah-format-list": Expect(ADMIN_ONLY),
        "api-naskah-format-detail": Expect(ADMIN_ONLY, kwargs=_pk("cari_format")),
    }
)

# -- keluar: outgoing naskah, verification, signing, sending, public verification -------------------
# Drafted by staff_same for the pimpinan (Kepala Dinas Alfa, unit scope naskah.view/export); "paraf" naskah
# wait for the pimpinan's paraf (signer: Kepala Dinas Beta). admin-sistem and staff_other see none of them.
_KELUAR_READERS = frozenset({"staff_same", "pimpinan"})
_PIMPINAN = frozenset({"pimpinan"})
_DRAFTER = frozenset({"staff_same"})


def _code(name: str):
    def provide(world: World) -> dict:
        return {"code": world.extra[name].kode_verifikasi}

    return provide


def _sign_reached(response) -> bool:
    """The walk has no CA: the signer gets past the gate and the signing itself answers 400 (no certificate)."""
    return response.status_code == 400 and response.json().get("error", {}).get("status") == 400


EXPECTATIONS.update(
    {
        "naskah:draft_list": Expect(SIGNED_IN),
        "naskah:to_verify": Expect(SIGNED_IN),
        "naskah:to_sign": Expect(SIGNED_IN),
        "naskah:sent": Expect(SIGNED_IN),
        "naskah:create": Expect(SIGNED_IN, note="every pegawai may draft"),
        "naskah:detail": Expect(_KELUAR_READERS, kwargs=_pk("keluar_draft")),
        "naskah:edit": Expect(_DRAFTER, kwargs=_pk("keluar_draft")),
        "naskah:rantai": Expect(_DRAFTER, kwargs=_pk("keluar_draft")),
        "naskah:submit": Expect(_DRAFTER, kwargs=_pk("keluar_submit"), post=True),
        "naskah:approve": Expect(_PIMPINAN, kwargs=_pk("keluar_paraf"), post=True, note="the step's holder"),
        "naskah:return": Expect(
            _PIMPINAN, kwargs=_pk("keluar_kembali"), post=True, data=lambda w: {"catatan": "Perbaiki"}
        ),
        "naskah:sign": Expect(_PIMPINAN, kwargs=_pk("keluar_ready"), post=True, note="the signing position's holder"),
        "naskah:send": Expect(_PIMPINAN, kwargs=_pk("keluar_signed"), post=True, note="the signer"),
        "naskah:grant": Expect(
            _PIMPINAN,
            kwargs=_pk("keluar_signed"),
            post=True,
            data=lambda w: {"pegawai": w.city.pegawai_same.pk, "alasan": "Audit"},
        ),
        "naskah:revoke": Expect(_PIMPINAN, kwargs=_pk("keluar_akses"), post=True),
        "naskah:dokumen": Expect(_KELUAR_READERS, kwargs=_pk("keluar_signed")),
        "naskah:versi_pdf": Expect(_KELUAR_READERS, kwargs=lambda w: {"pk": w.extra["keluar_draft"].pk, "nomor": 1}),
        "naskah:versi_compare": Expect(_KELUAR_READERS, kwargs=_pk("keluar_draft")),
        "naskah:lampiran": Expect(_KELUAR_READERS, kwargs=_pk("keluar_lampiran")),
        "naskah:paket": Expect(_KELUAR_READERS, kwargs=_pk("keluar_signed"), note="naskah.export or a party"),
        "naskah_public:verify": Expect(EVERYONE, kwargs=_code("keluar_signed")),
        "naskah_public:pdf": Expect(EVERYONE, kwargs=_code("keluar_signed"), note="biasa only"),
        "api-naskah-verifikasi": Expect(EVERYONE, kwargs=_code("keluar_signed")),
        "api-naskah-keluar-list": Expect(SIGNED_IN),
        "api-naskah-keluar-detail": Expect(_KELUAR_READERS, kwargs=_pk("keluar_draft")),
        "api-naskah-keluar-versi": Expect(_KELUAR_READERS, kwargs=_pk("keluar_draft")),
        "api-naskah-keluar-ajukan": Expect(_DRAFTER, kwargs=_pk("keluar_submit_api"), post=True),
        "api-naskah-keluar-paraf": Expect(_PIMPINAN, kwargs=_pk("keluar_paraf_api"), post=True),
        "api-naskah-keluar-kembalikan": Expect(
            _PIMPINAN, kwargs=_pk("keluar_kembali_api"), post=True, data=lambda w: {"catatan": "Perbaiki"}
        ),
        "api-naskah-keluar-tandatangani": Expect(
            _PIMPINAN,
            kwargs=_pk("keluar_ready"),
            post=True,
            data=lambda w: {"backend": "ca", "passphrase": "tanpa-sertifikat"},
            allowed_when=_sign_reached,
        ),
        "api-naskah-keluar-kirim": Expect(_PIMPINAN, kwargs=_pk("keluar_signed_api"), post=True),
        "api-naskah-keluar-akses": Expect(
            _PIMPINAN,
            kwargs=_pk("keluar_signed"),
            post=True,
            data=lambda w: {"pegawai": w.city.pegawai_same.pk, "alasan": "Audit"},
        ),
        "api-naskah-keluar-paket": Expect(_KELUAR_READERS, kwargs=_pk("keluar_signed")),
    }
)

# -- tata: kinds, templates, disposition instructions (naskah.configure: admin-sistem / admin-naskah) --------
EXPECTATIONS.update(
    {
        "naskah:tata_jenis_list": Expect(ADMIN_ONLY),
        "naskah:tata_jenis_toggle": Expect(ADMIN_ONLY, kwargs=_pk("tata_jenis"), post=True),
        "naskah:tata_template_list": Expect(ADMIN_ONLY),
        "naskah:tata_template_create": Expect(ADMIN_ONLY),
        "naskah:tata_template_edit": Expect(ADMIN_ONLY, kwargs=_pk("tata_template")),
        "naskah:tata_template_preview": Expect(ADMIN_ONLY, post=True, note="answers the form's errors as a fragment"),
        "naskah:tata_template_pdf": Expect(ADMIN_ONLY, kwargs=_pk("tata_template")),
        "naskah:tata_instruksi_list": Expect(ADMIN_ONLY),
        "naskah:tata_instruksi_edit": Expect(ADMIN_ONLY, kwargs=_pk("tata_instruksi")),
        "naskah:tata_instruksi_move": Expect(ADMIN_ONLY, kwargs=_pk("tata_instruksi"), post=True),
        "naskah:tata_instruksi_toggle": Expect(ADMIN_ONLY, kwargs=_pk("tata_instruksi"), post=True),
        "api-naskah-jenis-list": Expect(SIGNED_IN),
        "api-naskah-jenis-detail": Expect(SIGNED_IN, kwargs=_pk("tata_jenis")),
        "api-naskah-instruksi-list": Expect(SIGNED_IN),
        "api-naskah-instruksi-detail": Expect(SIGNED_IN, kwargs=_pk("tata_instruksi")),
        "api-naskah-template-list": Expect(ADMIN_ONLY),
        "api-naskah-template-detail": Expect(ADMIN_ONLY, kwargs=_pk("tata_template")),
    }
)
