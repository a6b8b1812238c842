# The partnernet API for a shared deployment (see docker-compose.yml).
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY partnernet partnernet
COPY graph graph
COPY loaders loaders
COPY api api
COPY visualisations visualisations
RUN pip install --no-cache-dir .
RUN useradd --create-home partnernet
USER partnernet
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["partnernet", "serve", "--host", "0.0.0.0", "--port", "8000"]
