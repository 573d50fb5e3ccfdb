"""Profitability and receivables computed by the database: rollups, dashboard series, aging, CSV."""
