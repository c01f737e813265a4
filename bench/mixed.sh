#!/usr/bin/env bash
# Mixed load, memory and the outbox under load (issue 10): wrk with 32 connections for a few minutes, one request in
# five a registration (each queues a confirmation e-mail), against the published app in Production on a fresh SQLite
# database with the demo content, sending its e-mails by SMTP to the local sink bench/SmtpSink. Prints wrk's figures,
# the registrations stored, the e-mails received during the load and after it, the outbox backlog over time and the
# peak resident memory (RSS) of the app process, sampled every 2 s. See bench/README.md ("Mixed load and memory").
#
#   bench/mixed.sh                       180 s
#   MIXED_SECONDS=300 bench/mixed.sh     the issue's 5 minutes
#   bench/mixed.sh --no-publish          reuse the app and sink published by the last run
#
# The app runs with the Environment= lines of deploy/systemd/lprevents@.service, as in production.
# Environment: MIXED_PORT (5107), MIXED_SMTP_PORT (5108), MIXED_SECONDS (180), MIXED_CONNECTIONS (32), MIXED_DRAIN
# (seconds to wait for the backlog after the load, 180), MIXED_ENV (extra NAME=value settings for the app, separated by
# spaces, e.g. "DOTNET_gcServer=0" to compare runtime settings), BENCH_LOCK (/tmp/lpr-build.lock, held while building and
# measuring). Needs wrk, curl, sqlite3 and the .NET SDK. Listens on 127.0.0.1 only; app, sink and wrk are stopped at
# the end. Output and the time series stay in bench/.data/mixed/run.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DATA=$BENCH_DIR/.data/mixed
PORT=${MIXED_PORT:-5107}
SMTP_PORT=${MIXED_SMTP_PORT:-5108}
SECONDS_TOTAL=${MIXED_SECONDS:-180}
CONNECTIONS=${MIXED_CONNECTIONS:-32}
DRAIN=${MIXED_DRAIN:-180}
LOCK=${BENCH_LOCK:-/tmp/lpr-build.lock}
HOST_NAME=bench.lpr.test
PUBLISH=1
for arg in "$@"; do
  case $arg in
    --no-publish) PUBLISH=0 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --no-publish)" >&2; exit 2 ;;
  esac
done

log() { printf '[mixed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for tool in wrk curl sqlite3 dotnet; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install wrk curl sqlite3; the .NET SDK)" >&2; exit 2; }
done
for port in "$PORT" "$SMTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set MIXED_PORT / MIXED_SMTP_PORT" >&2
    exit 1
  fi
done

APP_PID="" SINK_PID="" SAMPLER_PID=""
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
cleanup() {
  stop "$SAMPLER_PID"; stop "$APP_PID"; stop "$SINK_PID"
  SAMPLER_PID="" APP_PID="" SINK_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

WORK=$DATA/run
rm -rf "$WORK"
mkdir -p "$WORK"
if [[ $PUBLISH == 1 || ! -x $DATA/sink/SmtpSink || ! -f $DATA/publish/LprEvents.Web.dll ]]; then
  log "publishing the app and the SMTP sink (Release) to bench/.data/mixed"
  rm -rf "$DATA/publish" "$DATA/sink"
  flock "$LOCK" dotnet publish "$ROOT/src/LprEvents.Web" -c Release -o "$DATA/publish" -v quiet -nologo >"$WORK/publish.log" 2>&1 \
    || { tail -30 "$WORK/publish.log" >&2; exit 1; }
  flock "$LOCK" dotnet publish "$BENCH_DIR/SmtpSink" -c Release -o "$DATA/sink" -v quiet -nologo >>"$WORK/publish.log" 2>&1 \
    || { tail -30 "$WORK/publish.log" >&2; exit 1; }
fi

"$DATA/sink/SmtpSink" "$SMTP_PORT" "$WORK/sink.stats" >"$WORK/sink.out" 2>&1 &
SINK_PID=$!

log "starting the app on 127.0.0.1:$PORT (Production, SQLite and media in $WORK, SMTP to 127.0.0.1:$SMTP_PORT)"
# The environment the systemd unit gives the app (Production, MALLOC_ARENA_MAX, ...), then this run's settings.
mapfile -t UNIT_ENV < <(sed -n 's/^Environment=//p' "$ROOT/deploy/systemd/lprevents@.service")
(
  cd "$DATA/publish"
  exec env "${UNIT_ENV[@]}" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
    Site__PublicBaseUrl="https://$HOST_NAME" ReverseProxy__KnownProxies__0=127.0.0.1 \
    ConnectionStrings__Default="Data Source=$WORK/lprevents.db" Database__CreateIfMissing=true Seed__Demo=true \
    Media__RootPath="$WORK/media" Serilog__WriteTo__1__Args__configure__0__Args__path="$WORK/logs/lprevents-.log" \
    Registration__RateLimitPermits=100000 \
    Email__Mode=Smtp Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$SMTP_PORT" Email__Smtp__UseTls=false \
    Email__From="Landespräventionsrat Sachsen <veranstaltungen@$HOST_NAME>" \
    ${MIXED_ENV:-} dotnet LprEvents.Web.dll
) >"$WORK/app.out" 2>&1 &
APP_PID=$!
ready=0
for _ in $(seq 600); do
  if curl -fs -o /dev/null -H "Host: $HOST_NAME" "http://127.0.0.1:$PORT/health/live"; then ready=1; break; fi
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.2
done
if [[ $ready != 1 ]]; then
  echo "the app did not start; its output:" >&2
  tail -30 "$WORK/app.out" >&2
  exit 1
fi

# An event whose registration is open, its form's antiforgery cookie and token, and the form's default choices.
SLUG=$(sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT Slug FROM Events WHERE Status = 'Published' AND RegistrationOpensAtUtc < datetime('now') AND RegistrationClosesAtUtc > datetime('now') ORDER BY StartsAtUtc LIMIT 1;")
[[ -n $SLUG ]] || { echo "no event with open registration in the demo content" >&2; exit 1; }
FORM=$(curl -fs -D "$WORK/form.headers" -H "Host: $HOST_NAME" -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/veranstaltungen/$SLUG/anmeldung")
TOKEN=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$FORM" | head -1 | sed 's/.*value="//; s/"$//' || true)
[[ -n $TOKEN ]] || TOKEN=$(grep -o '__RequestVerificationToken[^>]*value="[^"]*"' <<<"$FORM" | head -1 | sed 's/.*value="//; s/"$//' || true)
[[ -n $TOKEN ]] || { echo "no antiforgery token in the registration form of $SLUG" >&2; exit 1; }
# The antiforgery cookie is Secure (the app sees https through X-Forwarded-Proto): taken from the header, since curl
# keeps no Secure cookie over http.
COOKIE=$(tr -d '\r' <"$WORK/form.headers" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*[Aa]ntiforgery[^;]*\);.*/\1/p' | head -1)
[[ -n $COOKIE ]] || { echo "no antiforgery cookie from the registration form of $SLUG" >&2; exit 1; }
REGION=$(grep -o '<option value="[0-9]*" selected' <<<"$FORM" | head -1 | grep -o '[0-9]*' || true)
[[ -n $REGION ]] || REGION=$(grep -o '<option value="[0-9][0-9]*"' <<<"$FORM" | head -1 | grep -o '[0-9]*' || true)
FIELDS="&RegionId=$REGION"
while read -r name value; do
  [[ -n $name ]] && FIELDS+="&$(sed 's/\[/%5B/; s/\]/%5D/' <<<"$name")=$value"
done < <(grep -o 'type="radio" [^>]*name="Sessions\[[0-9]*\]"[^>]*value="[0-9]*"' <<<"$FORM" \
  | sed 's/.*name="\([^"]*\)".*value="\([0-9]*\)".*/\1 \2/' | awk '!seen[$1]++' || true)

# One registration by hand first: the load is only meaningful when a post really registers.
export MIXED_SLUG=$SLUG MIXED_COOKIE=$COOKIE MIXED_TOKEN=$TOKEN MIXED_FIELDS=$FIELDS MIXED_HOST=$HOST_NAME MIXED_RUN=$(date +%s)
probe_body="FirstName=Last&LastName=Test&Email=mixed-probe-$MIXED_RUN%40example.org&Organisation=Bench&OrganisationType=Kommune&Function=Test&PhotoConsent=false&PrivacyConsent=true$FIELDS&__RequestVerificationToken=$TOKEN"
probe_status=$(curl -s -o "$WORK/probe.html" -w '%{http_code}' -H "Host: $HOST_NAME" -H "X-Forwarded-Proto: https" -H "Cookie: $COOKIE" \
  --data "$probe_body" "http://127.0.0.1:$PORT/veranstaltungen/$SLUG/anmeldung")
stored=$(sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT COUNT(*) FROM Participants WHERE Email = 'mixed-probe-$MIXED_RUN@example.org';")
if [[ $stored != 1 ]]; then
  echo "a registration POST did not register (HTTP $probe_status); the page is in $WORK/probe.html" >&2
  exit 1
fi

sink_stat() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$WORK/sink.stats" 2>/dev/null || true; }
pending() { sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Pending';" 2>/dev/null || echo "?"; }
sample() { # seconds since the load began, RSS KiB, e-mails received by the sink, outbox pending
  local t0; t0=$(date +%s)
  while kill -0 "$APP_PID" 2>/dev/null; do
    printf '%s %s %s %s\n' "$(($(date +%s) - t0))" "$(awk '/VmRSS/ { print $2 }' "/proc/$APP_PID/status" 2>/dev/null || echo 0)" \
      "$(sink_stat received)" "$(pending)" >>"$WORK/series"
    sleep 2
  done
}

exec 9>"$LOCK"
log "waiting for the lock $LOCK"
flock 9
before=$(sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT COUNT(*) FROM Participants;")
mails_before=$(sink_stat received); mails_before=${mails_before:-0}
log "load: $CONNECTIONS connections for $SECONDS_TOTAL s on /veranstaltungen/$SLUG and four public pages (one request in five a registration)"
sample & SAMPLER_PID=$!
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --timeout 10s --latency -s "$BENCH_DIR/mixed.lua" "http://127.0.0.1:$PORT" | tee "$WORK/wrk.txt"
load_end=$(date +%s)
mails_load=$(sink_stat received); mails_load=${mails_load:-0}
pending_end=$(pending)
after=$(sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT COUNT(*) FROM Participants;")
log "load over; waiting up to $DRAIN s for the outbox to drain"
drained=""
for _ in $(seq "$DRAIN"); do
  if [[ $(pending) == 0 ]]; then drained=$(($(date +%s) - load_end)); break; fi
  sleep 1
done
stop "$SAMPLER_PID"; SAMPLER_PID=""
flock -u 9
mails_total=$(sink_stat received)
twice=$(sink_stat recipients_twice)
distinct=$(sink_stat distinct)
queued=$(sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT COUNT(*) FROM OutboxMessages;")
failed=$(sqlite3 "$WORK/lprevents.db" ".timeout 10000" "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Failed';")
peak=$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' "$WORK/series")
last=$(tail -1 "$WORK/series" | awk '{ print $2 }')
max_pending=$(awk '$4 ~ /^[0-9]+$/ { if ($4 > m) m = $4 } END { print m + 0 }' "$WORK/series")
errors=$( (grep -c '"@l":"\(Error\|Fatal\)"' "$WORK"/logs/*.log 2>/dev/null || true) | awk -F: '{ s += $NF } END { print s + 0 }')

{
  echo "### Mixed load $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "$(nproc) cores; Release, Production, SQLite${MIXED_ENV:+, $MIXED_ENV}; wrk -t2 -c$CONNECTIONS for $SECONDS_TOTAL s, one request in five a registration; SMTP sink bench/SmtpSink on 127.0.0.1."
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| requests/s (wrk) | $(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk.txt") |"
  echo "| latency p50 / p99 (wrk) | $(awk '$1 == "50%" { a = $2 } $1 == "99%" { b = $2 } END { print a " / " b }' "$WORK/wrk.txt") |"
  echo "| non-2xx/3xx, socket errors (wrk) | $(awk '/Non-2xx/ { n = $NF } /Socket errors/ { s = $0 } END { print (n ? n : 0) ", " (s ? s : "none") }' "$WORK/wrk.txt") |"
  echo "| registrations stored during the load | $((after - before)) |"
  echo "| e-mails queued in all | $queued |"
  echo "| e-mails received by the sink during the load | $((mails_load - mails_before)) ($(( (mails_load - mails_before) / SECONDS_TOTAL ))/s) |"
  echo "| outbox backlog: largest sampled / at the end of the load | $max_pending / $pending_end |"
  if [[ -n $drained ]]; then drain_text="$drained s"; else drain_text="not within $DRAIN s ($(pending) left)"; fi
  echo "| backlog drained after the load | $drain_text |"
  echo "| e-mails received in all / distinct Message-IDs / recipients twice / failed | ${mails_total:-0} / ${distinct:-0} / ${twice:-0} / $failed |"
  echo "| RSS peak / at the end | $((peak / 1024)) MiB / $((${last:-0} / 1024)) MiB |"
  echo "| Error/Fatal log lines | $errors |"
} | tee "$WORK/report.md"
