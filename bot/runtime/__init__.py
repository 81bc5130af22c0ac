"""The composition root (`Services`) and the job queue it builds: web, CLI and workers import it from below."""
