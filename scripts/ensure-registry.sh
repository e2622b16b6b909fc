#!/usr/bin/env bash
# Makes sure the CNCF distribution registry (Debian's docker-registry package) is installed:
# the registry tests in packages/testkit start it on 127.0.0.1.
set -u

have_registry() { command -v docker-registry >/dev/null 2>&1; }

have_registry && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  install_registry() { apt-get install -y -qq --no-install-recommends docker-registry >/dev/null 2>&1; }
  # The package lists may be missing or stale on a fresh machine: update once, then retry.
  install_registry || { apt-get update -qq >/dev/null 2>&1; install_registry; }
fi

have_registry && exit 0
echo 'provenant tests need the docker-registry package (Debian: apt-get install docker-registry)' >&2
exit 1
