#!/bin/sh
# The container's entrypoint (see Dockerfile), like the valkey image's: flags
# alone (or a config file first) run the server, and a command line starting
# with `valkey-server` runs valkite-server with the same arguments, so a
# compose `command:` written for the valkey image works unchanged.
set -e
case "$1" in
    -* | *.conf) set -- valkite-server "$@" ;;
    valkey-server) shift; set -- valkite-server "$@" ;;
esac
exec "$@"
