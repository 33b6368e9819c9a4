"""DuckDB persistence under <repo>/.swe_agent/: one module per family of tables."""

from swe_agent.store.db import STORE_DIR, Store, open_store, store_path

__all__ = ["STORE_DIR", "Store", "open_store", "store_path"]
