#!/usr/bin/env bash
# Startup time and memory of `npm start`, measured as an admin sees them:
#   bench/startup.sh [CHECKOUT] [RUNS]
# CHECKOUT (default: this one) is the folder `npm start` runs in, e.g. a worktree of an older
# commit for a before/after comparison. Each run: spawn `npm start` against a local fake Slack
# and a fresh SQLite file, poll /healthz every 20 ms, print the time to the first 200 and the
# RSS of every process under npm (and of npm itself), then SIGTERM npm and note its exit code.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkout="$(cd "${1:-$here}" && pwd)"
runs="${2:-5}"
work="$(mktemp -d)"
trap 'kill "$fake_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$here/node_modules/.bin/tsx" "$here/bench/fakeSlackServer.ts" >"$work/fake.url" &
fake_pid=$!
until [[ -s "$work/fake.url" ]]; do sleep 0.1; done
api_url="$(head -n 1 "$work/fake.url")"
port=39123
descendants() { local child; for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done; }
for run in $(seq 1 "$runs"); do
  started=$(date +%s%N)
  (cd "$checkout" && exec env -i PATH="$PATH" HOME="$HOME" SLACK_APP_USER_SLUG=A0APPTEST1 SLACK_WORKSPACE_NAME=acme \
    SLACK_API_BOT_TOKEN=xoxb-startup-bench-1 SLACK_SIGNING_SECRET=startup-bench-signing-secret SLACK_API_URL="$api_url" \
    PORT="$port" DATABASE_URL="sqlite:$work/run-$run.db" LOG_LEVEL=warn npm start >"$work/run-$run.log" 2>&1) &
  npm_pid=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.02; done
  ready_ms=$((($(date +%s%N) - started) / 1000000))
  app_pids="$(descendants "$npm_pid" | paste -sd, -)"
  app_mb=$(ps -o rss= -p "$app_pids" | awk '{s+=$1} END {printf "%.0f", s/1024}')
  npm_mb=$(ps -o rss= -p "$npm_pid" | awk '{printf "%.0f", $1/1024}')
  names="$(ps -o comm= -p "$app_pids" | paste -sd' ' -)"
  kill -TERM "$npm_pid"
  set +e; wait "$npm_pid"; code=$?; set -e
  sleep 0.5
  orphans=0
  for pid in ${app_pids//,/ }; do if kill -0 "$pid" 2>/dev/null; then orphans=$((orphans + 1)); kill -KILL "$pid"; fi; done
  echo "run $run: ready in ${ready_ms} ms; app RSS ${app_mb} MB ($names) + npm ${npm_mb} MB; SIGTERM to npm: exit $code, $orphans process(es) left running"
done
