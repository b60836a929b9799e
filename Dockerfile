# The maxhub image: the CLI (and, later, the hub server) on a slim Debian base.
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libarchive-dev zstd && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY schemas schemas
RUN swift build -c release --product maxhub --static-swift-stdlib \
 && install -D .build/release/maxhub /out/maxhub

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libarchive13 zstd ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/maxhub --create-home maxhub
COPY --from=build /out/maxhub /usr/local/bin/maxhub
USER maxhub
WORKDIR /var/lib/maxhub
ENTRYPOINT ["maxhub"]
CMD ["--help"]
