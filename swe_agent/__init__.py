"""swe-agent: a coding assistant that uses sleep-time compute and a MemGPT-style paged context."""

__version__ = "0.1.0"
