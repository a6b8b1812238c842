# The partnernet API for a shared deployment (see docker-compose.yml).
# Stage 0 fetches the pinned front-end packages (npm ci checks the lockfile's integrity
# hashes); stage 1 vendors them into the package and builds the wheel; stage 2 installs that
# wheel (what users get), not the source tree. Nothing is loaded from a CDN at run time.
FROM node:20-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json frontend/.npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim AS build
WORKDIR /src
COPY --from=frontend /src/frontend/node_modules frontend/node_modules
COPY frontend frontend
COPY tools/vendor_frontend.py tools/vendor_frontend.py
COPY pyproject.toml README.md ./
COPY src src
COPY graph graph
COPY loaders loaders
COPY api api
COPY visualisations visualisations
RUN python tools/vendor_frontend.py
RUN pip wheel --no-cache-dir --no-deps -w /dist .

FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /dist /dist
RUN pip install --no-cache-dir /dist/partnernet-*.whl && rm -rf /dist
# compile exact betweenness's kernel now (Numba caches it beside the module) rather than
# on the first request
RUN python -c "import igraph; from partnernet.graph.analysis.pendant_brandes import exact_sums; exact_sums(igraph.Graph([(0, 1), (1, 2), (2, 0), (2, 3)]))"
RUN useradd --create-home partnernet
USER partnernet
WORKDIR /home/partnernet
EXPOSE 8000
# /health needs the read token when one is set (PARTNERNET_API_READ_TOKEN)
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import os, urllib.request as u; t = os.environ.get('PARTNERNET_API_READ_TOKEN'); u.urlopen(u.Request('http://127.0.0.1:8000/health', headers={'Authorization': 'Bearer ' + t} if t else {}))"
# --create: a first start on an empty volume creates the (SQLite) store
CMD ["partnernet", "serve", "--create", "--host", "0.0.0.0", "--port", "8000"]
