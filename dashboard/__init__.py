"""dprk-timeline: a sourced timeline of Russia–North Korea cooperation since 2023."""

__version__ = "0.1.0"
