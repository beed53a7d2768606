# Valkite in a container: built with the official Swift image, run on its slim
# variant (the Swift runtime libraries without the compiler) plus SQLite.
#
#   docker build -t valkite .
#   docker run -p 6379:6379 -v valkite-data:/data valkite --requirepass secret
#
# The build runs the README's steps (libsqlite3-dev, then `swift build -c
# release --product valkite-server`, as `make build` and CI do): keep them the
# same. See README "Docker" for the compose service that replaces valkey.

ARG SWIFT_VERSION=6.3.1

FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so they stay cached while the sources change.
COPY Package.swift Package.resolved ./
RUN swift package resolve
# Tests/ too: SwiftPM checks every target's directory before building one.
COPY Sources ./Sources
COPY Tests ./Tests
# Same flags as `make build`: no exclusivity checks in any module, SwiftNIO included.
RUN swift build -c release --product valkite-server -Xswiftc -enforce-exclusivity=unchecked \
    && install -D -m 755 "$(swift build -c release --show-bin-path)/valkite-server" /out/valkite-server

FROM swift:${SWIFT_VERSION}-bookworm-slim
# libsqlite3-0 for the server; sqlite3 to read the data in place
# (docker exec … sqlite3 -readonly /data/valkite.db).
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libsqlite3-0 sqlite3 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 999 --home-dir /data valkite \
    && mkdir -p /data && chown valkite:valkite /data
COPY --from=build /out/valkite-server /usr/local/bin/valkite-server
COPY scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
# As the valkey image: listen on every interface, data in the /data volume.
# Flags, VALKEY_* variables and a config file still override these.
ENV VALKEY_HOST="* -::*" \
    VALKEY_DIR=/data
VOLUME /data
WORKDIR /data
USER valkite
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["valkite-server"]
