"""Argon2id with OWASP's recommended cost (m=19 MiB, t=2, p=1) instead of Django's 100 MiB default.

Django's default costs ~100 MB of memory per concurrent sign-in, which multiplies by the number of
gunicorn workers on a small city server. OWASP's Password Storage Cheat Sheet lists m=19456 KiB, t=2, p=1
as an equivalent-strength configuration. Existing hashes with other parameters are upgraded at the next
successful sign-in (Django's must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    memory_cost = 19456
    time_cost = 2
    parallelism = 1
