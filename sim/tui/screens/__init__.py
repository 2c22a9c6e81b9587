"""The simulator's screens: one module per screen (and the small dialogs)."""
