"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'cari' part."""


def register() -> None:
    pass
