"""The service layer: store -> graph -> cached results.

- :mod:`partnernet.service.cache`: the store's graph, loaded once and kept with the
  results computed on it.
- :mod:`partnernet.service.analyses`: every analysis as one call on a store, with the
  metadata a reader needs (projection, definitions, snapshot, version); built on
  :mod:`~partnernet.service.graphs` (annotated graph, projections, snapshot),
  :mod:`~partnernet.service.options` (checked options), :mod:`~partnernet.service.empty`
  (why a result is empty), :mod:`~partnernet.service.betweenness_plan` (exact, KADABRA or
  pivots) and :mod:`~partnernet.service.memo` (reports kept per snapshot);
  :mod:`~partnernet.service.matching` is matching (``analyses.match`` too).
- :mod:`partnernet.service.report`: the sections of the network report, as data.
- :mod:`partnernet.service.tables`: results shaped as rows for tables, CSV and XLSX.
"""
