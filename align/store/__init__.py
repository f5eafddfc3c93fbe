"""The stored frames: their schemas and the tables under the data folder, with provenance."""
