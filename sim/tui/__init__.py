"""The full-screen simulator (Textual). Entry point: :func:`sim.tui.app.run_app`."""
