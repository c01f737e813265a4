#!/usr/bin/env bash
# Mixed load and memory (issue 10): 32 connections for a few minutes, one request in five a registration, against
# the app in Production on a fresh SQLite database with the demo content; prints requests, registrations stored and
# the peak resident memory (RSS) of the app process, sampled every 2 s. See bench/README.md ("Mixed load and memory").
#
#   bench/mixed.sh             180 s
#   MIXED_SECONDS=300 bench/mixed.sh
#
# Environment: MIXED_PORT (5107), MIXED_SECONDS (180), MIXED_CONNECTIONS (32), BENCH_LOCK (/tmp/lpr-build.lock,
# held while building and measuring). Needs wrk, curl and sqlite3 (apt-get install wrk curl sqlite3). Listens on
# 127.0.0.1 only; the app is stopped at the end.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
PORT=${MIXED_PORT:-5107}
SECONDS_TOTAL=${MIXED_SECONDS:-180}
CONNECTIONS=${MIXED_CONNECTIONS:-32}
LOCK=${BENCH_LOCK:-/tmp/lpr-build.lock}
HOST_NAME=bench.lpr.test
WORK=$(mktemp -d /tmp/lpr-mixed.XXXXXX)
log() { printf '[mixed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in wrk curl sqlite3; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install wrk curl sqlite3)" >&2; exit 2; }
done

log "building (Release)"
flock "$LOCK" dotnet build "$ROOT/src/LprEvents.Web" -c Release -v q -nologo >/dev/null
APP_DLL=$ROOT/src/LprEvents.Web/bin/Release/net10.0/LprEvents.Web.dll

APP_PID=
cleanup() {
  [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log "starting the app on 127.0.0.1:$PORT (Production, SQLite in $WORK)"
(
  cd "$(dirname "$APP_DLL")"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$PORT \
  Site__PublicBaseUrl=https://$HOST_NAME ReverseProxy__KnownProxies__0=127.0.0.1 \
  ConnectionStrings__Default="Data Source=$WORK/lprevents.db" Database__CreateIfMissing=true Seed__Demo=true \
  Media__RootPath=$WORK/media Email__PickupDirectory=$WORK/mail Registration__RateLimitPermits=100000000 \
  Serilog__WriteTo__1__Args__configure__0__Args__path=$WORK/logs/lprevents-.log Serilog__MinimumLevel__Default=Warning \
  exec dotnet "$APP_DLL" >"$WORK/app.out" 2>&1
) &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null -H "Host: $HOST_NAME" "http://127.0.0.1:$PORT/health/ready" && break
  sleep 1
done
APP_PID=$(pgrep -f "exec dotnet $APP_DLL" -n 2>/dev/null || pgrep -P "$APP_PID" -n || echo "$APP_PID")
DOTNET_PID=$(pgrep -f "$APP_DLL" -n)

# An event whose registration is open, its form's cookie, token and default choices.
SLUG=$(sqlite3 "$WORK/lprevents.db" "SELECT Slug FROM Events WHERE Status = 'Published' AND RegistrationOpensAtUtc < datetime('now') AND RegistrationClosesAtUtc > datetime('now') ORDER BY StartsAtUtc LIMIT 1;")
[[ -n $SLUG ]] || { echo "no open event in the demo content" >&2; exit 1; }
FORM=$(curl -fs -c "$WORK/cookies" -H "Host: $HOST_NAME" -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/veranstaltungen/$SLUG/anmeldung")
TOKEN=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$FORM" | head -1 | sed 's/.*value="//; s/"$//')
[[ -n $TOKEN ]] || TOKEN=$(grep -o '__RequestVerificationToken[^>]*value="[^"]*"' <<<"$FORM" | head -1 | sed 's/.*value="//; s/"$//')
COOKIE=$(awk '$6 ~ /Antiforgery/ { print $6 "=" $7 }' "$WORK/cookies")
REGION=$(grep -o '<option value="[0-9]*" selected' <<<"$FORM" | head -1 | grep -o '[0-9]*' || true)
[[ -n $REGION ]] || REGION=$(grep -o '<option value="[0-9]*"' <<<"$FORM" | head -1 | grep -o '[0-9]*')
FIELDS="&RegionId=$REGION"
while read -r name value; do
  [[ -n $name ]] && FIELDS+="&$(sed 's/\[/%5B/; s/\]/%5D/' <<<"$name")=$value"
done < <(grep -o 'type="radio" [^>]*name="Sessions\[[0-9]*\]"[^>]*value="[0-9]*"' <<<"$FORM" \
  | sed 's/.*name="\([^"]*\)".*value="\([0-9]*\)".*/\1 \2/' | awk '!seen[$1]++')

peak=0
sample() {
  while kill -0 "$DOTNET_PID" 2>/dev/null; do
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$DOTNET_PID/status" 2>/dev/null || echo 0)
    echo "$rss" >>"$WORK/rss"
    sleep 2
  done
}

log "load: $CONNECTIONS connections for $SECONDS_TOTAL s on /veranstaltungen/$SLUG (one request in five a registration)"
before=$(sqlite3 "$WORK/lprevents.db" "SELECT COUNT(*) FROM Participants;")
sample & SAMPLER=$!
MIXED_SLUG=$SLUG MIXED_COOKIE=$COOKIE MIXED_TOKEN=$TOKEN MIXED_FIELDS=$FIELDS MIXED_HOST=$HOST_NAME MIXED_RUN=$(date +%s) \
  flock "$LOCK" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --latency -s "$BENCH_DIR/mixed.lua" "http://127.0.0.1:$PORT" | tee "$WORK/wrk.txt"
kill "$SAMPLER" 2>/dev/null || true
after=$(sqlite3 "$WORK/lprevents.db" "SELECT COUNT(*) FROM Participants;")
waiting=$(sqlite3 "$WORK/lprevents.db" "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Pending';")
peak=$(sort -n "$WORK/rss" | tail -1)
last=$(tail -1 "$WORK/rss")
echo "registrations stored: $((after - before)); outbox waiting: $waiting"
echo "RSS peak: $((peak / 1024)) MiB, at the end: $((last / 1024)) MiB (samples every 2 s: $(wc -l <"$WORK/rss"))"
