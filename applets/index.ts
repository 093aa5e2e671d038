// Every applet, imported once so that each registers itself.
import "./cat.ts";
import "./echo.ts";
import "./false.ts";
import "./halt.ts";
import "./hostname.ts";
import "./ls.ts";
import "./mkdir.ts";
import "./mount.ts";
import "./rm.ts";
import "./sleep.ts";
import "./sync.ts";
import "./true.ts";
import "./umount.ts";
import "./uname.ts";
import "../init/init.ts";
