// Where the service manager keeps things: OpenRC's own paths. Tests run in a
// private mount namespace with tmpfs and bind mounts over /run and /etc, so
// there is no override here: the real paths are the only ones.
export const SVCDIR = "/run/openrc";
export const INITD = "/etc/init.d";
/** Native services: NAME.yaml (services/native.ts). */
export const NATIVE_DIR = "/etc/pika/services";
export const CONFD = "/etc/conf.d";
export const RUNLEVELS = "/etc/runlevels";
export const RC_CONF = "/etc/rc.conf";
export const RC_CONF_D = "/etc/rc.conf.d";

/** The state directories a service's name is linked into. */
export const STATES = ["started", "starting", "stopping", "inactive"] as const;
export type State = (typeof STATES)[number] | "stopped";

/** Runlevels OpenRC treats specially. */
export const SYSINIT = "sysinit";
export const BOOT = "boot";
export const DEFAULT = "default";
export const SHUTDOWN = "shutdown";
