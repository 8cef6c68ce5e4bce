"""What the dashboard and the report show: figures, labels, the table and the event detail."""
