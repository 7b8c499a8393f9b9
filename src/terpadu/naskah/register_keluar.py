"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'keluar' part."""


def register() -> None:
    pass
