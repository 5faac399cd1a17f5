"""bimail-desktop: the system mailbox of a BI server, set up from the desktop."""

__version__ = "0.1.0"
