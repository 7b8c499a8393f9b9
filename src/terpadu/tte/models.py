"""Signing certificates and the instance's certificate authority (the tte helper fills this in)."""
