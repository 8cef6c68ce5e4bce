"""Exports: the static HTML report and chart files."""
