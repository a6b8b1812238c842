"""Loaders: the reference graph, imports from common formats, generated samples."""
