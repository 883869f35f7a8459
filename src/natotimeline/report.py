"""Human-readable summaries for the terminal (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from .pipeline import RunSummary


def format_summary(s: RunSummary) -> str:
    return (
        f"run {s.run_id}: documents {s.docs_new} new, {s.docs_changed} changed, "
        f"{s.docs_unchanged} unchanged, {s.docs_rejected} rejected; "
        f"{s.n_events} events, {s.n_actors} actors, {s.n_figures} figures"
    )


def format_timeline(rows: Sequence[dict]) -> str:
    lines = ["", "Timeline:"]
    for r in rows:
        when = r["date_value"] or "undated"
        where = f" ({r['location']})" if r.get("location") else ""
        lines.append(
            f"  {when:<10} {r['date_precision']:<7} {r['event_type']:<14} {r['title']}{where}"
            f"  [{r['n_sources']} source{'s' if r['n_sources'] != 1 else ''}]"
        )
    if len(lines) == 2:
        lines.append("  (no events)")
    return "\n".join(lines)
