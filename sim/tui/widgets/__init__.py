"""Widgets the simulator's screens are built from."""
