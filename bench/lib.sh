# Shared by the bench scripts (sourced, not run).

# stop PID [SIGNAL]: asks the process to end (TERM, or SIGNAL: nginx wants QUIT for a graceful stop), waits up to 5 s,
# then kills it. Does nothing for an empty or finished PID.
stop() {
  if [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; then
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
  fi
}
