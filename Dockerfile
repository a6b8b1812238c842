# The partnernet API for a shared deployment (see docker-compose.yml).
# Stage 1 builds the wheel; stage 2 installs that wheel (what users get), not the source tree.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src src
COPY graph graph
COPY loaders loaders
COPY api api
COPY visualisations visualisations
RUN pip wheel --no-cache-dir --no-deps -w /dist .

FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /dist /dist
RUN pip install --no-cache-dir /dist/partnernet-*.whl && rm -rf /dist
RUN useradd --create-home partnernet
USER partnernet
WORKDIR /home/partnernet
EXPOSE 8000
# /health needs the read token when one is set (PARTNERNET_API_READ_TOKEN)
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import os, urllib.request as u; t = os.environ.get('PARTNERNET_API_READ_TOKEN'); u.urlopen(u.Request('http://127.0.0.1:8000/health', headers={'Authorization': 'Bearer ' + t} if t else {}))"
# --create: a first start on an empty volume creates the (SQLite) store
CMD ["partnernet", "serve", "--create", "--host", "0.0.0.0", "--port", "8000"]
