#!/usr/bin/env bash
# Outbox throughput benchmark (issue 10): see bench/README.md, section "Outbox".
#
#   bench/outbox.sh               queue BENCH_OUTBOX_COUNT e-mails, let the app (Release, Production, SMTP) send them
#                                 to a local SMTP sink, once with the machine otherwise idle and once while wrk loads a
#                                 public page
#   bench/outbox.sh --no-publish  reuse the app and sink published by the last run
#
# Environment: BENCH_OUTBOX_COUNT (3000), BENCH_OUTBOX_APP_PORT (5310), BENCH_OUTBOX_SMTP_PORT (5311),
# BENCH_OUTBOX_SMTP_CONNECTIONS (Email:Smtp:Connections, the app's default 4), BENCH_CONNECTIONS (wrk, 32),
# BENCH_LOCK (/tmp/lpr-build.lock, held while measuring). Needs wrk, sqlite3, curl and the .NET SDK. Listens on
# 127.0.0.1 only; the app, the sink and wrk are stopped at the end.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DATA=$BENCH_DIR/.data/outbox
COUNT=${BENCH_OUTBOX_COUNT:-3000}
APP_PORT=${BENCH_OUTBOX_APP_PORT:-5310}
SMTP_PORT=${BENCH_OUTBOX_SMTP_PORT:-5311}
SMTP_CONNECTIONS=${BENCH_OUTBOX_SMTP_CONNECTIONS:-}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LOCK=${BENCH_LOCK:-/tmp/lpr-build.lock}
HOST_NAME=bench.lpr.test
LIMIT_SECONDS=600
PUBLISH=1
for arg in "$@"; do
  case $arg in
    --no-publish) PUBLISH=0 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --no-publish)" >&2; exit 2 ;;
  esac
done

log() { printf '[outbox %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for tool in wrk sqlite3 curl dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install wrk sqlite3 curl; the .NET SDK)" >&2; exit 1; }
done

APP_PID="" SINK_PID="" WRK_PID=""
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
cleanup() {
  stop "$WRK_PID"; stop "$APP_PID"; stop "$SINK_PID"
  WRK_PID="" APP_PID="" SINK_PID=""
  flock -u 9 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in "$APP_PORT" "$SMTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set BENCH_OUTBOX_APP_PORT / BENCH_OUTBOX_SMTP_PORT" >&2
    exit 1
  fi
done

rm -rf "$DATA/run"
mkdir -p "$DATA/run"
WORK=$DATA/run
if [[ $PUBLISH == 1 || ! -x $DATA/sink/SmtpSink || ! -f $DATA/publish/LprEvents.Web.dll ]]; then
  log "publishing the app and the SMTP sink (Release) to bench/.data/outbox"
  rm -rf "$DATA/publish" "$DATA/sink"
  flock "$LOCK" dotnet publish "$ROOT/src/LprEvents.Web" -c Release -o "$DATA/publish" -p:TreatWarningsAsErrors=false -v quiet -nologo >"$WORK/publish.log" 2>&1 \
    || { tail -30 "$WORK/publish.log" >&2; exit 1; }
  flock "$LOCK" dotnet publish "$BENCH_DIR/SmtpSink" -c Release -o "$DATA/sink" -v quiet -nologo >>"$WORK/publish.log" 2>&1 \
    || { tail -30 "$WORK/publish.log" >&2; exit 1; }
fi

app_vars() { # $1 folder, $2 background jobs (true/false)
  APP_VARS=(
    ASPNETCORE_ENVIRONMENT=Production
    ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT"
    Site__PublicBaseUrl="https://$HOST_NAME"
    ReverseProxy__KnownProxies__0=127.0.0.1
    ConnectionStrings__Default="Data Source=$1/lprevents.db"
    Database__CreateIfMissing=true
    Media__RootPath="$1/media"
    Serilog__WriteTo__1__Args__configure__0__Args__path="$1/logs/lprevents-.log"
    Seed__Demo=true
    BackgroundJobs__Enabled="$2"
    Email__Mode=Smtp
    Email__Smtp__Host=127.0.0.1
    Email__Smtp__Port="$SMTP_PORT"
    Email__Smtp__UseTls=false
    Email__From="Landespräventionsrat Sachsen <veranstaltungen@$HOST_NAME>"
  )
  [[ -n $SMTP_CONNECTIONS ]] && APP_VARS+=(Email__Smtp__Connections="$SMTP_CONNECTIONS")
  return 0
}
start_app() { # folder jobs
  app_vars "$1" "$2"
  (cd "$DATA/publish" && exec env "${APP_VARS[@]}" dotnet LprEvents.Web.dll) >>"$1/app.out" 2>&1 &
  APP_PID=$!
  for _ in $(seq 300); do
    curl -fs -o /dev/null -H "Host: $HOST_NAME" "http://127.0.0.1:$APP_PORT/health/live" && return 0
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -30 "$1/app.out" >&2
  exit 1
}
stat_of() { # key
  sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$WORK/sink.stats" 2>/dev/null || true
}

# Realistic messages: a confirmation with about 2 KB of text, 5 KB of HTML and a calendar file, each due now.
queue_messages() { # db
  sqlite3 "$1" <<SQL
.timeout 10000
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $COUNT)
INSERT INTO OutboxMessages (Kind, ToAddress, ToName, Subject, TextBody, HtmlBody, AttachmentName, AttachmentContentType,
                            AttachmentContent, Status, Attempts, CreatedAtUtc, NextAttemptAtUtc)
SELECT 'confirmed', printf('bench%06d@example.org', x), 'Teilnehmende Person ' || x, 'Anmeldung bestätigt: Fachtag Prävention ' || x,
       replace(printf('%.*c', 40, '#'), '#', 'Ihre Anmeldung ist bestätigt. Wir freuen uns auf Sie in Chemnitz. ')
         || char(10) || 'https://$HOST_NAME/anmeldung/' || lower(hex(randomblob(32))),
       '<!DOCTYPE html><html lang="de"><body>' || replace(printf('%.*c', 60, '#'), '#', '<p>Ihre Anmeldung ist bestätigt. Wir freuen uns.</p>')
         || '<a href="https://$HOST_NAME/anmeldung/' || lower(hex(randomblob(32))) || '">Meine Anmeldung</a></body></html>',
       'veranstaltung.ics', 'text/calendar',
       'BEGIN:VCALENDAR' || char(13, 10) || 'VERSION:2.0' || char(13, 10) || 'PRODID:-//bench//DE' || char(13, 10) || 'METHOD:PUBLISH'
         || char(13, 10) || 'BEGIN:VEVENT' || char(13, 10) || 'UID:bench-' || x || '@$HOST_NAME' || char(13, 10)
         || 'DTSTAMP:20261201T090000Z' || char(13, 10) || 'DTSTART:20270110T090000Z' || char(13, 10) || 'DTEND:20270110T150000Z'
         || char(13, 10) || 'SUMMARY:Fachtag Prävention' || char(13, 10) || 'END:VEVENT' || char(13, 10) || 'END:VCALENDAR' || char(13, 10),
       'Pending', 0, strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 minute'), strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 minute')
FROM c;
SQL
}

# One measurement: a fresh database (migrated and seeded by a first start without background jobs), COUNT messages
# queued, then the app started with its sender; the sink's clock gives the rate from the first to the last message.
RESULTS=()
phase() { # name, load (0/1)
  local name=$1 load=$2 folder=$WORK/$1
  mkdir -p "$folder"
  start_app "$folder" false
  stop "$APP_PID"; APP_PID=""
  queue_messages "$folder/lprevents.db"
  rm -f "$WORK/sink.stats"
  "$DATA/sink/SmtpSink" "$SMTP_PORT" "$WORK/sink.stats" >"$folder/sink.out" 2>&1 &
  SINK_PID=$!
  local wrk_out=$folder/wrk.txt
  log "$name: $COUNT e-mails queued; starting the app with its sender$([[ $load == 1 ]] && echo ", then wrk -c$CONNECTIONS on /veranstaltungen (uncached)")"
  local started; started=$(date +%s%3N)
  start_app "$folder" true
  if [[ $load == 1 ]]; then
    # Uncached pages (queries and rendering every time): the event list with a unique query per request. The sender
    # starts with the app, so the first second or so of sending is without load.
    wrk -t2 -c"$CONNECTIONS" -d"${LIMIT_SECONDS}s" --timeout 5s -s "$BENCH_DIR/unique-query.lua" \
      -H "Host: $HOST_NAME" -H "X-Forwarded-Proto: https" -H "Authorization: Bearer bench" \
      "http://127.0.0.1:$APP_PORT/veranstaltungen" >"$wrk_out" 2>&1 &
    WRK_PID=$!
  fi
  local received=0
  for _ in $(seq $((LIMIT_SECONDS * 5))); do
    received=$(stat_of received); received=${received:-0}
    ((received >= COUNT)) && break
    sleep 0.2
  done
  local ended; ended=$(date +%s%3N)
  if [[ -n $WRK_PID ]]; then
    kill -INT "$WRK_PID" 2>/dev/null || true # wrk prints its summary on SIGINT
    for _ in $(seq 50); do kill -0 "$WRK_PID" 2>/dev/null || break; sleep 0.1; done
    stop "$WRK_PID"; WRK_PID=""
  fi
  sleep 1 # the last completions reach the database
  stop "$APP_PID"; APP_PID=""
  local first last distinct twice conns rate wrk_rps pending sent
  first=$(stat_of first_ms); last=$(stat_of last_ms); distinct=$(stat_of distinct); twice=$(stat_of recipients_twice); conns=$(stat_of connections)
  received=$(stat_of received)
  stop "$SINK_PID"; SINK_PID=""
  rate=$(awk -v n="$received" -v a="$first" -v b="$last" 'BEGIN { if (b > a) printf "%.0f", (n - 1) * 1000 / (b - a); else print "n/a" }')
  pending=$(sqlite3 "$folder/lprevents.db" "SELECT count(*) FROM OutboxMessages WHERE Status = 'Pending' AND Kind = 'confirmed' AND ToAddress LIKE 'bench%';")
  sent=$(sqlite3 "$folder/lprevents.db" "SELECT count(*) FROM OutboxMessages WHERE Status = 'Sent' AND Kind = 'confirmed' AND ToAddress LIKE 'bench%';")
  wrk_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$wrk_out" 2>/dev/null || true)
  log "$name: $received received ($distinct distinct Message-IDs, $twice recipients twice) over $conns connections; $rate e-mails/s; $pending still pending, $sent sent; app start to last mail $(((ended - started) / 1000)) s${wrk_rps:+; wrk $wrk_rps req/s}"
  RESULTS+=("| $name | $COUNT | $received | $distinct | $twice | $conns | $rate | $pending | ${wrk_rps:-–} |")
}

exec 9>"$LOCK"
log "waiting for the lock $LOCK"
flock 9
phase idle 0
phase "under load" 1
flock -u 9

CONNS_SETTING=${SMTP_CONNECTIONS:-4 (default)}
{
  echo "### Outbox $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "$(nproc) cores; Release, Production, SQLite; Email:Smtp:Connections $CONNS_SETTING; SMTP sink bench/SmtpSink on 127.0.0.1."
  echo
  echo "| run | queued | received | distinct Message-IDs | recipients twice | SMTP connections | e-mails/s | pending after | wrk req/s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${RESULTS[@]}"
} | tee "$WORK/report.md"
