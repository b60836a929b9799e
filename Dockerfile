# The maxhub image: the hub (`maxhub serve`) and the CLI on a slim Debian base. The data folder is a volume.
#
#   podman build -t localhost/maxhub/hub:latest .        the default target: built from source in a Swift stage
#   make images                                          the `prebuilt` target: the binary built on this machine
#
# The `prebuilt` target (scripts/build-images.sh) needs no registry: it takes BASE=localhost/maxhub/base:bookworm
# and a small build context holding `maxhub` and `lib/`, the Swift runtime libraries the binary links (empty for a
# binary built with --static-swift-stdlib). The runtime packages are installed only when BASE lacks them.
ARG BASE=debian:bookworm-slim

FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libarchive-dev libsqlite3-dev zstd \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY schemas schemas
RUN swift build -c release --product maxhub --static-swift-stdlib \
 && install -D .build/release/maxhub /out/maxhub

FROM ${BASE} AS runtime
RUN missing=""; \
    for package in libarchive13 libsqlite3-0 zstd ca-certificates curl; do \
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"; \
    done; \
    if [ -n "$missing" ]; then \
        apt-get update && apt-get install -y --no-install-recommends $missing && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --system --home /var/lib/maxhub --create-home maxhub \
 && echo /usr/local/lib/maxhub >/etc/ld.so.conf.d/maxhub.conf
WORKDIR /var/lib/maxhub
VOLUME /var/lib/maxhub
EXPOSE 8080
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["maxhub"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--data", "/var/lib/maxhub"]

# A binary built on the host (its RUNPATH names the host's toolchain, so the libraries go where ld.so.conf.d says).
FROM runtime AS prebuilt
COPY lib/ /usr/local/lib/maxhub/
COPY maxhub /usr/local/bin/maxhub
RUN ldconfig
USER maxhub

FROM runtime
COPY --from=build /out/maxhub /usr/local/bin/maxhub
USER maxhub
