"""The benchmark behind `scripts/bench` (see docs/performance.md).

Modules: `data` (synthetic pages, pure), `wikictl` (the bench wiki: devwiki commands, a small
API client, the server's request log), `naive` (the baseline index job), `measure` (run one
job in a subprocess and read its cost from the request log), `report` (targets, tables, JSON),
`main` (the command line).
"""
