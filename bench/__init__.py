"""Measure the calf pain explorer and write docs/performance.md: ``python -m bench --help``.

One module per measure (tap_to_zone, tap_to_detail, pain_to_ranking, cold_load, api_load,
growth, soak); browser.py, floor.py, server.py and stats.py are what they share; report.py
writes the markdown. Everything runs on 127.0.0.1, and every loop is bounded in count and time.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The pain map every server-side measure asks about (API load, soak, growth).
TRACE_PAIN = ("instep", "knee-back")
