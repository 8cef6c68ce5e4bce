"""Exports: the static HTML report and chart files."""

# How exported pages get plotly.js. Here, not in report.py, so the command line can offer the choice
# without importing plotly and the export code ('dprk-timeline validate' never needs them).
PLOTLYJS_MODES = ("inline", "directory", "cdn")
