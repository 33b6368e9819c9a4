"""The offline policy: a deterministic `Model` that answers without a language model, driving
the same loop and tools as Claude and reading their structured results.

`question` reads what a question names, `evidence` turns tool results into weighted evidence,
`rank` ranks locations from it, and `policy` decides the next tool call.
"""

from swe_agent.agent.offline.policy import OfflinePolicy

__all__ = ["OfflinePolicy"]
