// Every applet by name, and the module that defines it. Modules are imported
// only when their applet runs, so start-up does not grow with the applet count.
// test/unit/applet-index.test.ts checks this table against the modules.
import { lazyApplet } from "../lib/applet.ts";

lazyApplet("cat", () => import("./cat.ts"));
lazyApplet("echo", () => import("./echo.ts"));
lazyApplet("false", () => import("./false.ts"));
lazyApplet(["halt", "poweroff", "reboot"], () => import("./halt.ts"));
lazyApplet("hostname", () => import("./hostname.ts"));
lazyApplet("init", () => import("../init/init.ts"));
lazyApplet("ls", () => import("./ls.ts"));
lazyApplet("mkdir", () => import("./mkdir.ts"));
lazyApplet("mount", () => import("./mount.ts"));
lazyApplet("rm", () => import("./rm.ts"));
lazyApplet("sleep", () => import("./sleep.ts"));
lazyApplet("sync", () => import("./sync.ts"));
lazyApplet("true", () => import("./true.ts"));
lazyApplet("umount", () => import("./umount.ts"));
lazyApplet("uname", () => import("./uname.ts"));
