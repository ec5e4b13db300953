"""The enterprise facts interchange format (shared/spec/facts-format.md): schema, validation,
reading and writing JSON / JSON Lines / Excel."""
