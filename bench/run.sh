#!/usr/bin/env bash
# Load and scale benchmark of LprEvents (issue 9): see bench/README.md.
#
#   bench/run.sh            full run: 3 interleaved rounds of 5 s per page and mode (about 12 min, plus seeding once)
#   bench/run.sh --quick    1 round of 2 s (about 4 min once the databases are cached)
#
# Environment: BENCH_APP_PORT (5105), BENCH_NGINX_PORT (5106), BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS (32),
# BENCH_LOCK (/tmp/lpr-build.lock: held while measuring, so that builds of others do not distort the figures).
# Runs as root on Debian (installs wrk, nginx, sqlite3, nodejs with apt-get when missing). Everything listens on
# 127.0.0.1 only; every process it starts is stopped at the end.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DATA=$BENCH_DIR/.data
RESULTS=$BENCH_DIR/results
QUICK=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --quick)" >&2; exit 2 ;;
  esac
done

APP_PORT=${BENCH_APP_PORT:-5105}
NGINX_PORT=${BENCH_NGINX_PORT:-5106}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LOCK=${BENCH_LOCK:-/tmp/lpr-build.lock}
if [[ $QUICK == 1 ]]; then
  DURATION=${BENCH_DURATION:-2}; ROUNDS=${BENCH_ROUNDS:-1}; WARMUP=1
else
  DURATION=${BENCH_DURATION:-5}; ROUNDS=${BENCH_ROUNDS:-3}; WARMUP=2
fi
HOST_NAME=bench.lpr.test
PUBLIC_URL=https://$HOST_NAME
EVENT_SLUG=lasttest-veranstaltung-000001
SIZES=(100 100000)
# name|path: the pages measured. The search page exists only once search is merged; a page that does not answer
# 200 is skipped with a note.
PAGES=(
  "article|/aktuelles/lasttest-beitrag-000050"
  "event|/veranstaltungen/$EVENT_SLUG"
  "home|/"
  "news|/aktuelles"
  "region|/regionen/mittelsachsen"
  "search|/suche?q=Pr%C3%A4vention"
)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools ---------------------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v node >/dev/null || need+=(nodejs)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  log "installing ${need[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET SDK is needed (dotnet)" >&2; exit 1; }

# --- processes, stopped at the end whatever happens -------------------------------------------------------------
APP_PID=""
NGINX_PID=""
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
stop_app() { stop "$APP_PID"; APP_PID=""; }
stop_nginx() { stop "$NGINX_PID" QUIT; NGINX_PID=""; }
cleanup() {
  stop_app
  stop_nginx
  flock -u 9 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in "$APP_PORT" "$NGINX_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set BENCH_APP_PORT / BENCH_NGINX_PORT" >&2
    exit 1
  fi
done

mkdir -p "$DATA" "$RESULTS"
STARTED=$(date +%s)
WORK=$DATA/run
rm -rf "$WORK"
mkdir -p "$WORK"
TSV=$WORK/rounds.tsv
NOTES=$WORK/notes.txt
: >"$TSV"
: >"$NOTES"

# --- publish (Release) -----------------------------------------------------------------------------------------
PUBLISH=$DATA/publish
log "publishing Release to bench/.data/publish"
rm -rf "$PUBLISH"
flock "$LOCK" dotnet publish "$ROOT/src/LprEvents.Web" -c Release -o "$PUBLISH" -p:TreatWarningsAsErrors=false -v quiet -nologo >"$WORK/publish.log" 2>&1 \
  || { tail -30 "$WORK/publish.log" >&2; exit 1; }

# The app as an operator runs it in production behind a TLS-terminating proxy on 127.0.0.1: https by the
# X-Forwarded-Proto header of a known proxy; no background jobs (no e-mail is sent during the run); the
# registration rate limit raised (the clients differ by X-Forwarded-For anyway).
app_vars() { # $1 = folder of this run's database
  APP_VARS=(
    ASPNETCORE_ENVIRONMENT=Production
    ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT"
    Site__PublicBaseUrl="$PUBLIC_URL"
    ReverseProxy__KnownProxies__0=127.0.0.1
    ConnectionStrings__Default="Data Source=$1/lprevents.db"
    Database__CreateIfMissing=true
    Media__RootPath="$1/media"
    Email__PickupDirectory="$1/mail"
    Serilog__WriteTo__1__Args__configure__0__Args__path="$1/logs/lprevents-.log"
    BackgroundJobs__Enabled=false
    Registration__RateLimitPermits=100000
  )
}

# --- test databases (cached in bench/.data, resumable) ----------------------------------------------------------
seed() { # size articles events participants
  local folder=$DATA/db-$1
  mkdir -p "$folder"
  log "seed-load: $2 articles, $3 events, $4 participants into bench/.data/db-$1 (adds only what is missing)"
  app_vars "$folder"
  (cd "$PUBLISH" && exec env "${APP_VARS[@]}" dotnet LprEvents.Web.dll seed-load --articles "$2" --events "$3" --participants "$4" --yes) >"$WORK/seed-$1.log" 2>&1 \
    || { tail -30 "$WORK/seed-$1.log" >&2; exit 1; }
  grep -E '^seed-load:' "$WORK/seed-$1.log" >&2 || true
}
seed 100 100 10 200
seed 100000 100000 10000 200000

# --- helpers -----------------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # sum of utime+stime of the given pids
  local total=0 pid stat
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    stat=$(</proc/"$pid"/stat)
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
nginx_pids() { echo "$NGINX_PID" $(ps -o pid= --ppid "$NGINX_PID" 2>/dev/null); }
to_ms() { # wrk latency (850.00us, 1.23ms, 1.10s, 1.00m) in ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# Waits (at most 30 s) until the app has finished what an earlier round left in flight: a slow page keeps the
# server busy after wrk stops, which would distort the next measurement (nginx's too).
wait_idle() {
  local a b
  for _ in $(seq 100); do
    a=$(cpu_ticks "$APP_PID")
    sleep 0.3
    b=$(cpu_ticks "$APP_PID")
    ((b - a <= 2)) && return 0
  done
}

# One wrk run; appends a line to rounds.tsv. $1 size, $2 page, $3 mode, $4 round ("warmup" is not recorded), $5 url, rest: wrk options
measure() {
  local size=$1 page=$2 mode=$3 round=$4 url=$5
  shift 5
  local duration=$DURATION
  [[ $round == warmup ]] && duration=$WARMUP
  local pids
  if [[ $mode == nginx ]]; then pids=$(nginx_pids); else pids=$APP_PID; fi
  local before after out
  wait_idle
  before=$(cpu_ticks $pids)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${duration}s" --timeout 5s --latency -H "Host: $HOST_NAME" -H "X-Forwarded-Proto: https" "$@" "$url" 2>&1) || true
  after=$(cpu_ticks $pids)
  [[ $round == warmup ]] && return 0
  local requests rps p50 p99 non2xx sockerr cpu
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  sockerr=$(awk '/Socket errors:/ { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; print n }' <<<"$out")
  cpu=$(awk -v t="$((after - before))" -v hz="$CLK_TCK" -v n="${requests:-0}" 'BEGIN { if (n > 0) printf "%.4f", t * 1000 / hz / n; else print "NaN" }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$page" "$mode" "$round" "${requests:-0}" "${rps:-0}" "$p50" "$p99" "$cpu" "${non2xx:-0}" "${sockerr:-0}" >>"$TSV"
  [[ -n $requests ]] || { log "wrk failed for $page/$mode:"; echo "$out" >&2; }
}

start_nginx() { # $1 = folder with the saved pages
  local conf=$WORK/nginx/nginx.conf
  mkdir -p "$WORK/nginx/tmp" "$WORK/nginx/logs"
  cat >"$conf" <<EOF
user root;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $1;
    charset utf-8;
  }
}
EOF
  nginx -c "$conf" -g 'daemon off;' 9>&- &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/home.html" && return 0; sleep 0.1; done
  log "nginx did not start"; cat "$WORK/nginx/logs/error.log" >&2; exit 1
}

# --- one database size ---------------------------------------------------------------------------------------
run_size() {
  local size=$1 folder=$WORK/app-$1
  mkdir -p "$folder"
  cp "$DATA/db-$size/lprevents.db" "$folder/"
  for ext in -wal -shm; do [[ -f $DATA/db-$size/lprevents.db$ext ]] && cp "$DATA/db-$size/lprevents.db$ext" "$folder/"; done
  # The registration target: the first load-test event, moved to 30 days from now with registration open and a
  # waiting list (a cached database may be months old).
  sqlite3 "$folder/lprevents.db" <<SQL
UPDATE Sessions
   SET StartsAtUtc = datetime(StartsAtUtc, printf('%+d seconds', CAST(round((julianday(strftime('%Y-%m-%d 08:00:00', 'now', '+30 days')) - julianday((SELECT StartsAtUtc FROM Events WHERE Id = Sessions.EventId))) * 86400) AS INTEGER))),
       EndsAtUtc = datetime(EndsAtUtc, printf('%+d seconds', CAST(round((julianday(strftime('%Y-%m-%d 08:00:00', 'now', '+30 days')) - julianday((SELECT StartsAtUtc FROM Events WHERE Id = Sessions.EventId))) * 86400) AS INTEGER)))
 WHERE EventId = (SELECT Id FROM Events WHERE Slug = '$EVENT_SLUG');
UPDATE Events
   SET StartsAtUtc = strftime('%Y-%m-%d 08:00:00', 'now', '+30 days'), EndsAtUtc = strftime('%Y-%m-%d 12:00:00', 'now', '+30 days'),
       RegistrationOpensAtUtc = strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 day'), RegistrationClosesAtUtc = strftime('%Y-%m-%d 08:00:00', 'now', '+29 days'),
       Capacity = 150, WaitingListEnabled = 1, Status = 'Published'
 WHERE Slug = '$EVENT_SLUG';
SQL

  log "starting the app (Production) on 127.0.0.1:$APP_PORT with $size articles"
  app_vars "$folder"
  (cd "$PUBLISH" && exec env "${APP_VARS[@]}" dotnet LprEvents.Web.dll) >"$folder/app.log" 2>&1 9>&- &
  APP_PID=$!
  local ready=""
  for _ in $(seq 300); do
    if curl -fs -o /dev/null -H "Host: $HOST_NAME" "http://127.0.0.1:$APP_PORT/health/ready"; then ready=1; break; fi
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.2
  done
  [[ -n $ready ]] || { log "the app did not become ready"; tail -30 "$folder/app.log" >&2; exit 1; }

  # Each page once (as a visitor would see it); the HTML is saved for nginx.
  local www=$folder/www entry name path status measured=()
  mkdir -p "$www"
  for entry in "${PAGES[@]}"; do
    name=${entry%%|*}
    path=${entry#*|}
    status=$(curl -s -o "$www/$name.html" -w '%{http_code}' -H "Host: $HOST_NAME" -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$APP_PORT$path")
    if [[ $status == 200 ]]; then
      measured+=("$entry")
    else
      rm -f "$www/$name.html"
      echo "$size|$name|$path answered $status: skipped" >>"$NOTES"
      log "$path answered $status: skipped"
    fi
  done
  start_nginx "$www"

  # Measured stretch: hold the build lock so that nobody's build runs meanwhile.
  exec 9>"$LOCK"
  log "waiting for the build lock $LOCK"
  flock 9
  local round mode url
  for round in warmup $(seq "$ROUNDS"); do
    log "size $size: round $round"
    for entry in "${measured[@]}"; do
      name=${entry%%|*}
      path=${entry#*|}
      url="http://127.0.0.1:$APP_PORT$path"
      for mode in cached uncached nginx; do
        case $mode in
          cached) measure "$size" "$name" cached "$round" "$url" ;;
          # Bypasses the output cache: a header the cache policy treats as "not anonymous" plus a unique query
          # parameter per request (for a cache that varies by every parameter). The page is rendered as usual.
          uncached) measure "$size" "$name" uncached "$round" "$url" -H "Authorization: Bearer bench-uncached" -s "$BENCH_DIR/unique-query.lua" ;;
          nginx) measure "$size" "$name" nginx "$round" "http://127.0.0.1:$NGINX_PORT/$name.html" ;;
        esac
      done
    done
  done
  if [[ $size == 100000 ]]; then
    wait_idle
    log "200 simultaneous registrations for $EVENT_SLUG"
    node "$BENCH_DIR/register.mjs" "http://127.0.0.1:$APP_PORT" "$HOST_NAME" "$EVENT_SLUG" 200 >"$WORK/registrations.json" 9>&- \
      || echo '{"errors": -1, "sample_errors": ["the load client failed"]}' >"$WORK/registrations.json"
    cat "$WORK/registrations.json" >&2
  fi
  flock -u 9
  exec 9>&-

  wait_idle
  local hwm rss
  hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$APP_PID/status")
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status")
  echo "$size|memory|$hwm|$rss" >>"$NOTES"
  stop_nginx
  stop_app
}

for size in "${SIZES[@]}"; do
  run_size "$size"
done

ELAPSED=$(($(date +%s) - STARTED))
node "$BENCH_DIR/report.mjs" "$WORK" "$ELAPSED" "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$DURATION" "$ROUNDS" "$CONNECTIONS" >"$RESULTS/latest.md"
cat "$RESULTS/latest.md"
log "written to bench/results/latest.md (${ELAPSED} s)"
