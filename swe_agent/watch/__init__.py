"""The watcher and the daemon: sleep-time compute that follows the repository by itself."""
