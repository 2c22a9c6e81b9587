"""Test support for the xAPI/LRS tests: a real Ralph LRS, a stub LRS for faults."""
