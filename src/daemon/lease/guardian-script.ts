/**
 * The lease guardian's program (guardian.ts), run by bash as `bash -c SCRIPT MARKER DATA_DIR PID`.
 *
 * Why a shell and not a second node: it must outlive the daemon (a kill -9, an OOM kill) and
 * cost nothing while it waits; bash's `read -t` is the timer, and a closed pipe (the daemon is
 * gone) is the signal. Each line from the daemon is `arm MICROSECONDS` (stop PostgreSQL that far
 * from now unless a newer line comes) or `disarm` (exit). The daemon's end of the pipe closing
 * means the daemon died: the guardian waits out the last deadline, then stops the postmaster
 * (fast shutdown, SIGINT), but only if that pid is still the process it was started for (the
 * same start time in /proc) and a postmaster (its command line names postgres or the data
 * directory, as postmaster-pid.ts checks): a pid reused since is left alone. SIGTERM (the
 * daemon's successor standing it down, or systemd stopping the unit) exits without stopping
 * anything. The clock is bash's EPOCHREALTIME (wall time, microseconds): a step of the system
 * clock shifts the deadline, a risk the daemon's own monotonic count does not carry, which is
 * why the guardian fires later than the daemon's own gate (guardian.ts `guardAtMs`).
 */
export const GUARDIAN_SCRIPT = `
dd="$1"
pm="$2"
deadline=""
trap 'exit 0' TERM
now() { local t="$EPOCHREALTIME"; echo "\${t/./}"; }
started() {
  local stat rest
  read -r stat <"/proc/$pm/stat" 2>/dev/null || return
  # Field 22, the start time, counted after the command name (which may hold spaces or ')').
  rest=\${stat##*")"}
  set -- $rest
  echo "\${20}"
}
born=$(started)
fire() {
  local cmd
  cmd=$(tr '\\0' ' ' <"/proc/$pm/cmdline" 2>/dev/null)
  if [ -n "$born" ] && [ "$(started)" = "$born" ]; then
    case "$cmd" in
      *postgres* | *postmaster* | *" $dd"*) kill -INT "$pm" 2>/dev/null ;;
    esac
  fi
  exit 0
}
as_seconds() { printf '%d.%06d' "$(($1 / 1000000))" "$(($1 % 1000000))"; }
while :; do
  if [ -z "$deadline" ]; then
    read -r cmd arg || exit 0
  else
    left=$((deadline - $(now)))
    [ "$left" -le 0 ] && fire
    read -r -t "$(as_seconds "$left")" cmd arg
    rc=$?
    [ "$rc" -gt 128 ] && fire
    if [ "$rc" -ne 0 ]; then
      left=$((deadline - $(now)))
      [ "$left" -gt 0 ] && sleep "$(as_seconds "$left")"
      fire
    fi
  fi
  case "$cmd" in
    arm) deadline=$(($(now) + arg)) ;;
    disarm) exit 0 ;;
  esac
done
`;

/** argv[0] of every guardian: how a successor finds the ones left by a daemon that died. */
export const GUARDIAN_MARKER = 'patroni-ts-lease-guardian';
