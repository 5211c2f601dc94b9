# Process and port helpers shared by cluster.sh and node.sh (sourced, not run).

die() { echo "error: $*" >&2; exit 2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when pid is alive and is the process we started (pids get reused).
alive() { # pid what
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$2"
}

# Gone, or a zombie: a process we started outlives the shell that started it, and its new parent may be slow
# to reap it.
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

wait_exit() { # pid seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    gone "$1" && return 0
    sleep 0.1
  done
  return 1
}
