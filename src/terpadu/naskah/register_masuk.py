"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'masuk' part."""


def register() -> None:
    pass
