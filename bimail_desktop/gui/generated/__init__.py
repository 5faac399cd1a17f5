"""Python modules compiled from ui/*.ui by pyside6-uic — generated, do not edit.

Regenerate with `python -m bimail_desktop.gui.build_forms`; a test fails when they are out
of date.
"""
