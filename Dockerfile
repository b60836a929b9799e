# The maxhub image: the hub (`maxhub serve`) and the CLI on a slim Debian base. The data folder is a volume.
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libarchive-dev libsqlite3-dev zstd \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY schemas schemas
RUN swift build -c release --product maxhub --static-swift-stdlib \
 && install -D .build/release/maxhub /out/maxhub

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libarchive13 libsqlite3-0 zstd ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/maxhub --create-home maxhub
COPY --from=build /out/maxhub /usr/local/bin/maxhub
USER maxhub
WORKDIR /var/lib/maxhub
VOLUME /var/lib/maxhub
EXPOSE 8080
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["maxhub"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--data", "/var/lib/maxhub"]
