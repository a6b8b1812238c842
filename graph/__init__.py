"""The partnership graph: schema, stores and the NetworkX analysis layer."""
