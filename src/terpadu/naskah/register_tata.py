"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'tata' part."""


def register() -> None:
    pass
