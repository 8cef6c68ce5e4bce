"""The Dash app: layout, callbacks, view state, component ids and request security."""
