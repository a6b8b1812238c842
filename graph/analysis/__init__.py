"""The NetworkX analysis layer: pure functions, graph in, plain data out.

Projections (:mod:`graph.analysis.projections`) build the graphs the measures run
on; each measure documents which projection it expects.
"""
