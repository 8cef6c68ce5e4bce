"""Reading and checking data: the schema, the CSV reader, validation, registries, filters."""
