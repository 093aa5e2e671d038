// The shell text every init script runs after: OpenRC's helper functions
// (messages, yesno, state queries through `openrc-run --rc-helper`, the
// default start/stop/status through start-stop-daemon) and the code that
// loads rc.conf and conf.d and dispatches one command. Written for pika sh.
import { COLOURS } from "./einfo.ts";

/** Shell-quote a value for a script text. */
export function shq(s: string): string {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Shell text written with @{ for \${ (a template literal cannot hold "\${" raw). */
function sh(parts: TemplateStringsArray): string {
  return parts.raw.join("").replace(/@\{/g, "${");
}

function colourVars(colour: boolean): string {
  const c = colour ? COLOURS : { good: "", warn: "", bad: "", hilite: "", bracket: "", normal: "" };
  const esc = (s: string) => shq(s);
  return `GOOD=${esc(c.good)} WARN=${esc(c.warn)} BAD=${esc(c.bad)} HILITE=${esc(c.hilite)} BRACKET=${esc(c.bracket)} NORMAL=${esc(c.normal)}\n` +
    `_rc_tty=${colour ? "yes" : "no"}\n`;
}

const MESSAGES = sh`
yesno() {
	[ -z "$1" ] && return 1
	case "$1" in
	[Yy][Ee][Ss]|[Tt][Rr][Uu][Ee]|[Oo][Nn]|1) return 0 ;;
	[Nn][Oo]|[Ff][Aa][Ll][Ss][Ee]|[Oo][Ff][Ff]|0) return 1 ;;
	esac
	# Not a yes or no word: the name of a variable holding one.
	case "$1" in *[!A-Za-z0-9_]*|[0-9]*) return 1 ;; esac
	eval "_rc_v=\@{$1}"
	case "$_rc_v" in
	[Yy][Ee][Ss]|[Tt][Rr][Uu][Ee]|[Oo][Nn]|1) return 0 ;;
	esac
	return 1
}
_rc_quiet() { yesno "$EINFO_QUIET"; }
einfon() { _rc_quiet || printf ' %s*%s %s%s' "$GOOD" "$NORMAL" "$EINFO_INDENT" "$*"; }
einfo() { _rc_quiet || printf ' %s*%s %s%s\n' "$GOOD" "$NORMAL" "$EINFO_INDENT" "$*"; }
ewarnn() { _rc_quiet || printf ' %s*%s %s%s' "$WARN" "$NORMAL" "$EINFO_INDENT" "$*" >&2; }
ewarn() { _rc_quiet || printf ' %s*%s %s%s\n' "$WARN" "$NORMAL" "$EINFO_INDENT" "$*" >&2; }
eerrorn() { printf ' %s*%s %s%s' "$BAD" "$NORMAL" "$EINFO_INDENT" "$*" >&2; }
eerror() { printf ' %s*%s %s%s\n' "$BAD" "$NORMAL" "$EINFO_INDENT" "$*" >&2; }
# Off a terminal, OpenRC leaves the line open for eend's "[ ok ]".
ebegin() {
	_rc_quiet && return 0
	if [ "$_rc_tty" = yes ]; then printf ' %s*%s %s%s ...\n' "$GOOD" "$NORMAL" "$EINFO_INDENT" "$*"
	else printf ' * %s%s ...' "$EINFO_INDENT" "$*"; fi
}
_rc_bracket() {
	_rc_quiet && return 0
	if [ "$_rc_tty" = yes ]; then
		printf '\033[A\033[%sC%s[%s %s %s]%s\n' "$(( @{COLUMNS:-80} - 7 ))" "$BRACKET" "$NORMAL" "$1" "$BRACKET" "$NORMAL"
	else
		printf ' [ %s ]\n' "$1"
	fi
}
# A failure's message goes to stdout, and off a terminal "[ !! ]" is padded
# as if it followed the message on its line (OpenRC's output, byte for byte).
_rc_fail() {
	if [ -z "$2" ]; then _rc_bracket "$1"!!"$NORMAL"; return; fi
	_rc_quiet || printf ' %s*%s %s%s\n' "$1" "$NORMAL" "$EINFO_INDENT" "$2"
	if [ "$_rc_tty" = yes ]; then printf ' %s[%s %s!!%s %s]%s\n' "$BRACKET" "$NORMAL" "$1" "$NORMAL" "$BRACKET" "$NORMAL"
	else _rc_quiet || printf "%$(( 70 - @{#2} ))s[ !! ]\n" ''; fi
}
# _rc_end COLOUR [STATUS [MESSAGE...]]: eend and ewend, which differ only in the failure's colour.
_rc_end() {
	_rc_ecol=$1; shift
	_rc_s=@{1:-0}
	[ $# -gt 0 ] && shift
	if [ "$_rc_s" -eq 0 ]; then _rc_bracket "$GOOD"ok"$NORMAL"; return 0; fi
	_rc_fail "$_rc_ecol" "$*"
	return "$_rc_s"
}
eend() { _rc_end "$BAD" "$@"; }
ewend() { _rc_end "$WARN" "$@"; }
_rc_verbose() { yesno "$EINFO_VERBOSE"; }
veinfo() { _rc_verbose && einfo "$@"; return 0; }
vewarn() { _rc_verbose && ewarn "$@"; return 0; }
veerror() { _rc_verbose && eerror "$@"; return 0; }
vebegin() { _rc_verbose && ebegin "$@"; return 0; }
veend() { if _rc_verbose; then eend "$@"; else return "@{1:-0}"; fi; }
vewend() { if _rc_verbose; then ewend "$@"; else return "@{1:-0}"; fi; }
eindent() { EINFO_INDENT="$EINFO_INDENT  "; export EINFO_INDENT; }
eoutdent() { EINFO_INDENT=@{EINFO_INDENT%  }; export EINFO_INDENT; }
veindent() { _rc_verbose && eindent; return 0; }
veoutdent() { _rc_verbose && eoutdent; return 0; }
`;

// State and values live in TypeScript (services/state.ts); these forward to it.
const HELPERS = ["service_set_value", "service_get_value", "get_options", "save_options", "checkpath",
  "service_started", "service_starting", "service_stopping", "service_stopped", "service_inactive",
  "service_wasinactive", "service_crashed", "service_started_daemon",
  "mark_service_started", "mark_service_starting", "mark_service_stopping", "mark_service_stopped",
  "mark_service_inactive", "mark_service_failed", "is_older_than", "is_newer_than"];

function helperFunctions(): string {
  return HELPERS.map((h) => `${h}() { openrc-run --rc-helper ${h} "$@"; }\n`).join("") + "get_bootparam() { return 1; }\n";
}

// The default actions, as OpenRC's start-stop-daemon supervisor does them.
const DEFAULTS = sh`
_rc_ssd_common() {
	_rc_args=
	[ -n "$pidfile" ] && _rc_args="$_rc_args --pidfile $(_rc_q "$pidfile")"
	[ -n "$procname" ] && _rc_args="$_rc_args --name $(_rc_q "$procname")"
}
# Quoted for eval; sed only for a value that holds a quote (the common case stays in the shell).
_rc_q() {
	case "$1" in
	*\'*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf "'%s'" "$1" ;;
	esac
}
ssd_start() {
	if [ -z "$command" ]; then
		# No daemon: the service is started when its start function says so.
		return 0
	fi
	_rc_ssd_common
	_rc_bg=
	if yesno "$command_background"; then
		if [ -z "$pidfile" ]; then
			ebegin "Starting @{name:-$RC_SVCNAME}"
			eend 1 "command_background option used but no pidfile specified"
			return 1
		fi
		_rc_bg="--background --make-pidfile"
	fi
	[ -n "$command_user" ] && _rc_args="$_rc_args --user $(_rc_q "$command_user")"
	[ -n "$directory" ] && _rc_args="$_rc_args --chdir $(_rc_q "$directory")"
	[ -n "$umask" ] && _rc_args="$_rc_args --umask $(_rc_q "$umask")"
	[ -n "$output_log" ] && _rc_args="$_rc_args --stdout $(_rc_q "$output_log")"
	[ -n "$error_log" ] && _rc_args="$_rc_args --stderr $(_rc_q "$error_log")"
	[ -n "$output_logger" ] && _rc_args="$_rc_args --output-logger $(_rc_q "$output_logger")"
	[ -n "$error_logger" ] && _rc_args="$_rc_args --error-logger $(_rc_q "$error_logger")"
	[ -n "$ready_fd" ] && _rc_args="$_rc_args --ready-fd $(_rc_q "$ready_fd")"
	[ -n "$start_wait" ] && _rc_args="$_rc_args --wait $(_rc_q "$start_wait")"
	ebegin "Starting @{name:-$RC_SVCNAME}"
	eval start-stop-daemon --start --exec $(_rc_q "$command") $_rc_args $_rc_bg $start_stop_daemon_args -- $command_args $command_args_background
	eend $? "Failed to start @{name:-$RC_SVCNAME}"
}
ssd_stop() {
	[ -z "$command" ] && [ -z "$pidfile" ] && [ -z "$procname" ] && return 0
	_rc_ssd_common
	[ -n "$command" ] && [ -z "$pidfile" ] && _rc_args="$_rc_args --exec $(_rc_q "$command")"
	[ -n "$retry" ] && _rc_args="$_rc_args --retry $(_rc_q "$retry")"
	[ -n "$stopsig" ] && _rc_args="$_rc_args --signal $(_rc_q "$stopsig")"
	ebegin "Stopping @{name:-$RC_SVCNAME}"
	eval start-stop-daemon --stop $_rc_args
	eend $? "Failed to stop @{name:-$RC_SVCNAME}"
}
ssd_status() { _rc_status; }
_rc_status() {
	if service_stopping; then ewarn "status: stopping"; return 4
	elif service_starting; then ewarn "status: starting"; return 8
	elif service_inactive; then ewarn "status: inactive"; return 16
	elif service_started; then
		if service_crashed; then eerror "status: crashed"; return 32; fi
		einfo "status: started"; return 0
	fi
	einfo "status: stopped"
	return 3
}
_rc_sd_pidfile() { printf '%s' "@{pidfile:-/run/supervise-$RC_SVCNAME.pid}"; }
supervise_start() {
	[ -z "$command" ] && return 0
	_rc_args=
	[ -n "$command_user" ] && _rc_args="$_rc_args --user $(_rc_q "$command_user")"
	[ -n "$directory" ] && _rc_args="$_rc_args --chdir $(_rc_q "$directory")"
	[ -n "$umask" ] && _rc_args="$_rc_args --umask $(_rc_q "$umask")"
	[ -n "$output_log" ] && _rc_args="$_rc_args --stdout $(_rc_q "$output_log")"
	[ -n "$error_log" ] && _rc_args="$_rc_args --stderr $(_rc_q "$error_log")"
	[ -n "$output_logger" ] && _rc_args="$_rc_args --stdout-logger $(_rc_q "$output_logger")"
	[ -n "$error_logger" ] && _rc_args="$_rc_args --stderr-logger $(_rc_q "$error_logger")"
	[ -n "$ready_fd" ] && _rc_args="$_rc_args --ready-fd $(_rc_q "$ready_fd")"
	[ -n "$respawn_delay" ] && _rc_args="$_rc_args --respawn-delay $(_rc_q "$respawn_delay")"
	[ -n "$respawn_max" ] && _rc_args="$_rc_args --respawn-max $(_rc_q "$respawn_max")"
	[ -n "$respawn_period" ] && _rc_args="$_rc_args --respawn-period $(_rc_q "$respawn_period")"
	[ -n "$stopsig" ] && _rc_args="$_rc_args --signal $(_rc_q "$stopsig")"
	[ -n "$retry" ] && _rc_args="$_rc_args --retry $(_rc_q "$retry")"
	[ -n "$healthcheck_timer" ] && _rc_args="$_rc_args --healthcheck-timer $(_rc_q "$healthcheck_timer")"
	[ -n "$healthcheck_delay" ] && _rc_args="$_rc_args --healthcheck-delay $(_rc_q "$healthcheck_delay")"
	ebegin "Starting @{name:-$RC_SVCNAME}"
	eval supervise-daemon $(_rc_q "$RC_SVCNAME") --start --pidfile $(_rc_q "$(_rc_sd_pidfile)") $_rc_args $supervise_daemon_args $(_rc_q "$command") -- $command_args
	eend $? "Failed to start @{name:-$RC_SVCNAME}"
}
supervise_stop() {
	ebegin "Stopping @{name:-$RC_SVCNAME}"
	supervise-daemon "$RC_SVCNAME" --stop --pidfile "$(_rc_sd_pidfile)" @{retry:+--retry "$retry"}
	eend $? "Failed to stop @{name:-$RC_SVCNAME}"
}
_rc_supervised() { [ "$supervisor" = supervise-daemon ]; }
default_start() { if _rc_supervised; then supervise_start; else ssd_start; fi; }
default_stop() { if _rc_supervised; then supervise_stop; else ssd_stop; fi; }
default_status() { ssd_status; }
# supervise-daemon asks these (healthcheck_timer): healthy unless the script says otherwise.
healthcheck() { return 0; }
unhealthy() { return 0; }
start() { default_start; }
stop() { default_stop; }
status() { default_status; }
describe() {
	if [ -n "$description" ]; then einfo "$description"; else ewarn "No description for $RC_SVCNAME"; fi
	for _rc_c in $extra_commands $extra_started_commands $extra_stopped_commands; do
		eval "_rc_d=\@{description_$_rc_c}"
		if [ -n "$_rc_d" ]; then einfo "$HILITE$_rc_c$NORMAL: $_rc_d"; else ewarn "$HILITE$_rc_c$NORMAL: no description"; fi
	done
}
`;

// Conf files in OpenRC's order: rc.conf, rc.conf.d, then conf.d for the
// base of a multiplexed name (net for net.eth0), then for the name itself;
// a file for the current runlevel (NAME.RUNLEVEL) wins over the plain one.
const LOAD = sh`
_rc_source() {
	[ -e "$1" ] || return 1
	. "$1" || { eerror "$RC_SVCNAME: error loading $1"; exit 1; }
	return 0
}
_rc_load_conf() {
	_rc_source /etc/rc.conf
	if [ -d /etc/rc.conf.d ]; then
		for _rc_f in /etc/rc.conf.d/*.conf; do _rc_source "$_rc_f"; done
	fi
	_rc_confd=@{RC_SERVICE%/*}/../conf.d
	_rc_base=@{RC_SVCNAME%%.*}
	if [ -n "$_rc_base" ] && [ "$_rc_base" != "$RC_SVCNAME" ]; then
		_rc_source "$_rc_confd/$_rc_base.$RC_RUNLEVEL" || _rc_source "$_rc_confd/$_rc_base"
	fi
	_rc_source "$_rc_confd/$RC_SVCNAME.$RC_RUNLEVEL" || _rc_source "$_rc_confd/$RC_SVCNAME"
	return 0
}
_rc_load_script() {
	. "$RC_SERVICE" || { eerror "$RC_SVCNAME: error loading $RC_SERVICE"; exit 1; }
}
_rc_defined() { [ "$(command -v "$1" 2>/dev/null)" = "$1" ]; }
_rc_check_required() {
	for _rc_d in $required_dirs; do
		[ -d "$_rc_d" ] || { eerror "$RC_SVCNAME: \`$_rc_d' is not a directory"; return 1; }
	done
	for _rc_f in $required_files; do
		[ -r "$_rc_f" ] || { eerror "$RC_SVCNAME: \`$_rc_f' is not readable"; return 1; }
	done
	return 0
}
# One command: start and stop with their _pre and _post hooks.
_rc_do() {
	case "$1" in
	start|stop)
		[ "$1" = start ] && { _rc_check_required || return 1; }
		if _rc_defined "$1_pre"; then "$1_pre" || return 1; fi
		"$1" || return 1
		if _rc_defined "$1_post"; then "$1_post" || return 1; fi
		return 0 ;;
	status) status; return ;;
	healthcheck|unhealthy) "$1"; return ;;
	describe) describe; return 0 ;;
	esac
	for _rc_c in $extra_commands; do
		[ "$_rc_c" = "$1" ] && { "$1"; return; }
	done
	for _rc_c in $extra_started_commands; do
		if [ "$_rc_c" = "$1" ]; then
			if ! service_started; then eerror "$RC_SVCNAME: cannot \`$1' as it has not been started"; return 1; fi
			"$1"; return
		fi
	done
	for _rc_c in $extra_stopped_commands; do
		if [ "$_rc_c" = "$1" ]; then
			if service_started; then eerror "$RC_SVCNAME: cannot \`$1' as it has been started"; return 1; fi
			"$1"; return
		fi
	done
	eerror "$RC_SVCNAME: unknown function \`$1'"
	return 1
}
# Dependencies: depend() and rc_* from conf.d, one "TYPE NAMES" a line.
_rc_depends() {
	# "after *" means every service, not the files here.
	set -f
	if _rc_defined depend; then depend; fi
	set +f
	for _rc_t in need use want after before provide keyword; do
		eval "_rc_v=\@{rc_$_rc_t}"
		[ -n "$_rc_v" ] && echo "$_rc_t $_rc_v"
	done
	echo "commands $extra_commands"
	echo "started_commands $extra_started_commands"
	echo "stopped_commands $extra_stopped_commands"
	return 0
}
`;

const RECORDERS = ["need", "use", "want", "after", "before", "provide", "keyword", "config"]
  .map((t) => `${t}() { [ $# -gt 0 ] && echo "${t} $*"; return 0; }\n`).join("");

/**
 * The program run for a script: helpers, conf, the script, then `_rc_do CMD`
 * (or _rc_depends). `body` stands in for the script (a YAML service's text):
 * then only rc.conf is read, as the service file is its own configuration.
 */
export function scriptProgram(opts: { colour: boolean; action: string; body?: string }): string {
  const run = opts.action === "depend" ? "_rc_depends" : `_rc_do ${shq(opts.action)}`;
  const load = opts.body === undefined ? "_rc_load_conf\n_rc_load_script\n" : `_rc_source /etc/rc.conf\n${opts.body}`;
  return colourVars(opts.colour) + MESSAGES + helperFunctions() + DEFAULTS + LOAD + RECORDERS + load + `${run}\n`;
}
