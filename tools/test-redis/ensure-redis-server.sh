#!/usr/bin/env bash
# Makes sure redis-server and redis-cli are on PATH before the tests, which start their own
# throwaway servers on free loopback ports (never 6379). Run by `pnpm test` and by `.ci/run`.
#
# Where it may — apt-get present, and root or passwordless sudo — it installs Debian's
# redis-server (Redis 7). Otherwise it changes nothing, prints the one command to run on this
# machine, and fails, so the tests do not start only to fail one by one.
set -euo pipefail

have_redis() { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; }
say() { echo "[@mcp-persist/test-redis] $*" >&2; }

if have_redis; then exit 0; fi

# Root needs no sudo; otherwise only sudo that will not stop to ask for a password.
sudo_cmd=none
if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd="sudo"
fi

if command -v apt-get >/dev/null 2>&1 && [ "$sudo_cmd" != none ]; then
  say "redis-server is not installed: installing Debian's redis-server with apt-get (the tests run their own servers on free loopback ports)."
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  if have_redis; then
    say "installed $(redis-server --version | cut -d' ' -f1-3)."
    exit 0
  fi
  say "apt-get finished but redis-server is still not on PATH."
  exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
  command_to_run="sudo apt-get update && sudo apt-get install -y redis-server"
elif command -v brew >/dev/null 2>&1; then
  command_to_run="brew install redis"
elif command -v dnf >/dev/null 2>&1; then
  command_to_run="sudo dnf install -y redis"
elif command -v apk >/dev/null 2>&1; then
  command_to_run="sudo apk add redis"
else
  command_to_run="(install Redis 7 or later with your package manager: redis-server and redis-cli on PATH)"
fi
say "the tests need redis-server and redis-cli on PATH, and this script cannot install them here (it installs with apt-get only as root or with passwordless sudo). Run:"
echo "    $command_to_run" >&2
say "then run the tests again."
exit 1
