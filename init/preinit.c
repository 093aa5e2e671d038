/*
 * Pika's pre-init: the kernel runs this tiny static program as /init.
 *
 * The Bun runtime aborts at start when the kernel's random pool is not yet
 * initialised, which happens on boards with no seed (QEMU's raspi3b). So wait
 * for the pool honestly, blocking in getrandom(2) while the kernel gathers
 * entropy, and never with a seed baked into the image; then become
 * /sbin/init (pika) with the same arguments and environment.
 *
 * squashfs root mode (pika.root= on the kernel command line): the initramfs
 * is only this program and a few kernel modules. Load the modules listed in
 * /etc/preinit.modules, wait for the root partition, mount it (squashfs,
 * read-only) under a tmpfs overlay, mount the data partition (pika.data=,
 * ext4) at /data, and switch_root into the overlay. Partitions are named
 * PARTLABEL=<GPT partition name>, PARTUUID=<MBR signature>-<partition number
 * in hex> or /dev/<name>, as the kernel's own root= takes them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MODULE_LIST "/etc/preinit.modules"
#define NEWROOT "/newroot"
#define LOWER "/media/root-ro"
#define UPPER "/media/root-rw"
/* Disks can take long to appear, above all under software emulation. */
#define DEVICE_WAIT_SECONDS 120

static void say(const char *msg) {
    size_t n = 0;
    while (msg[n]) n++;
    (void)!write(2, msg, n);
}

static void sayf(const char *a, const char *b, const char *c) {
    say("preinit: ");
    say(a);
    if (b) say(b);
    if (c) say(c);
    say("\n");
}

/* PID 1 must not exit (the kernel would panic and the message scroll away). */
static void hang(void) {
    for (;;) pause();
}

/* Reports why booting stopped (with errno's text when `err` is non-zero) and hangs. */
static void fail(const char *what, const char *arg, int err) {
    sayf(what, arg ? arg : "", err ? ": " : NULL);
    if (err) {
        say(strerror(err));
        say("\n");
    }
    sayf("can't boot the squashfs root; halted", NULL, NULL);
    hang();
}

static void wait_for_entropy(void) {
    unsigned char byte;
    if (getrandom(&byte, 1, GRND_NONBLOCK) < 0 && errno == EAGAIN) {
        say("preinit: waiting for the kernel's random pool to be initialised\n");
        while (getrandom(&byte, 1, 0) < 0 && errno == EINTR) {
        }
    }
}

/* Reads a small file into buf (NUL-terminated); returns its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
        if (n == size - 1) break;
    }
    close(fd);
    buf[n] = 0;
    return (ssize_t)n;
}

/* The value of `name=` on the kernel command line (copied into out), or NULL. */
static char *cmdline_option(const char *cmdline, const char *name, char *out, size_t size) {
    size_t len = strlen(name);
    for (const char *p = cmdline; *p;) {
        while (*p == ' ' || *p == '\n') p++;
        const char *end = p;
        while (*end && *end != ' ' && *end != '\n') end++;
        if ((size_t)(end - p) > len && strncmp(p, name, len) == 0 && p[len] == '=') {
            size_t n = (size_t)(end - p) - len - 1;
            if (n >= size) n = size - 1;
            memcpy(out, p + len + 1, n);
            out[n] = 0;
            return out;
        }
        p = end;
    }
    return NULL;
}

/* The value of KEY= in a uevent file's text, or "". */
static void uevent_field(const char *text, const char *key, char *out, size_t size) {
    size_t len = strlen(key);
    out[0] = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        if (!end) end = p + strlen(p);
        if (strncmp(p, key, len) == 0 && p[len] == '=') {
            size_t n = (size_t)(end - p) - len - 1;
            if (n >= size) n = size - 1;
            memcpy(out, p + len + 1, n);
            out[n] = 0;
            return;
        }
        p = *end ? end + 1 : end;
    }
}

/* The MBR disk signature of the disk a partition (sysfs name) belongs to. */
static int mbr_signature(const char *part, unsigned long *sig) {
    char path[300], text[512], disk[64];
    snprintf(path, sizeof path, "/sys/class/block/%s/../uevent", part);
    if (read_file(path, text, sizeof text) < 0) return -1;
    uevent_field(text, "DEVNAME", disk, sizeof disk);
    snprintf(path, sizeof path, "/dev/%s", disk);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    unsigned char b[4];
    ssize_t n = pread(fd, b, 4, 440);
    close(fd);
    if (n != 4) return -1;
    *sig = (unsigned long)b[0] | (unsigned long)b[1] << 8 | (unsigned long)b[2] << 16 | (unsigned long)b[3] << 24;
    return 0;
}

/* Finds the block device a PARTLABEL=/PARTUUID=//dev/ spec names; writes /dev/NAME to out. */
static int find_device(const char *spec, char *out, size_t size) {
    if (strncmp(spec, "/dev/", 5) == 0) {
        snprintf(out, size, "%s", spec);
        return access(spec, F_OK) == 0 ? 0 : -1;
    }
    int by_label = strncmp(spec, "PARTLABEL=", 10) == 0;
    int by_uuid = strncmp(spec, "PARTUUID=", 9) == 0;
    unsigned long want_sig = 0, want_part = 0;
    if (by_uuid) {
        char *dash;
        want_sig = strtoul(spec + 9, &dash, 16);
        if (*dash != '-') return -1;
        want_part = strtoul(dash + 1, NULL, 16);
    }
    if (!by_label && !by_uuid) return -1;
    DIR *d = opendir("/sys/class/block");
    if (!d) return -1;
    int found = -1;
    struct dirent *e;
    while (found < 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[300], text[1024], name[64], partn[16];
        snprintf(path, sizeof path, "/sys/class/block/%s/uevent", e->d_name);
        if (read_file(path, text, sizeof text) < 0) continue;
        uevent_field(text, "PARTN", partn, sizeof partn);
        if (!partn[0]) continue; /* a whole disk, not a partition */
        if (by_label) {
            uevent_field(text, "PARTNAME", name, sizeof name);
            if (strcmp(name, spec + 10) != 0) continue;
        } else {
            unsigned long sig;
            if (strtoul(partn, NULL, 10) != want_part || mbr_signature(e->d_name, &sig) < 0 || sig != want_sig) continue;
        }
        uevent_field(text, "DEVNAME", name, sizeof name);
        snprintf(out, size, "/dev/%s", name);
        found = 0;
    }
    closedir(d);
    return found;
}

static int wait_for_device(const char *spec, char *out, size_t size) {
    struct timespec tick = {0, 100 * 1000 * 1000};
    for (int i = 0; i < DEVICE_WAIT_SECONDS * 10; i++) {
        if (find_device(spec, out, size) == 0) return 0;
        if (i == 20) sayf("waiting for ", spec, NULL);
        nanosleep(&tick, NULL);
    }
    return -1;
}

/* Loads each module file named in MODULE_LIST (dependencies come first in it). */
static void load_modules(void) {
    static char list[16384];
    if (read_file(MODULE_LIST, list, sizeof list) < 0) return;
    for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
        int fd = open(line, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            sayf("can't open module ", line, NULL);
            continue;
        }
        if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) sayf("can't load module ", line, NULL);
        close(fd);
        unlink(line); /* it lives in the kernel now; give the memory back */
    }
}

static void must_mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data) {
    mkdir(target, 0755);
    if (mount(source, target, type, flags, data) != 0) fail("can't mount ", target, errno);
}

/* Mounts the squashfs root under an overlay at NEWROOT, /data, and switches into it. */
static void squashfs_root(const char *cmdline, char **argv, char **envp) {
    char spec[256], dev[300];
    must_mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    must_mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    load_modules();

    cmdline_option(cmdline, "pika.root", spec, sizeof spec);
    if (wait_for_device(spec, dev, sizeof dev) != 0) fail("no root partition ", spec, 0);
    must_mount(dev, LOWER, "squashfs", MS_RDONLY, NULL);
    must_mount("tmpfs", UPPER, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
    mkdir(UPPER "/upper", 0755);
    mkdir(UPPER "/work", 0755);
    must_mount("overlay", NEWROOT, "overlay", 0, "lowerdir=" LOWER ",upperdir=" UPPER "/upper,workdir=" UPPER "/work");
    say("preinit: root: squashfs ");
    say(dev);
    say(" read-only, with a tmpfs overlay\n");

    if (cmdline_option(cmdline, "pika.data", spec, sizeof spec)) {
        if (wait_for_device(spec, dev, sizeof dev) != 0) {
            sayf("no data partition ", spec, "; /data is not persistent this boot");
        } else {
            mkdir(NEWROOT "/data", 0755);
            if (mount(dev, NEWROOT "/data", "ext4", MS_NOATIME | MS_NODEV, NULL) != 0) {
                sayf("can't mount the data partition ", dev, "; /data is not persistent this boot");
            } else {
                sayf("data: ext4 ", dev, " on /data");
            }
        }
    }
    /* Keep the layers visible in the new root, where the shutdown code unmounts them. */
    must_mount(LOWER, NEWROOT LOWER, NULL, MS_MOVE, NULL);
    must_mount(UPPER, NEWROOT UPPER, NULL, MS_MOVE, NULL);
    umount2("/dev", MNT_DETACH);
    umount2("/sys", MNT_DETACH);
    umount2("/proc", MNT_DETACH);

    /* switch_root: the initramfs can't be pivot_root'ed away; move the new root over it. */
    if (chdir(NEWROOT) != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 || chroot(".") != 0 || chdir("/") != 0) {
        fail("can't switch to the new root", NULL, errno);
    }
    argv[0] = "/sbin/init";
    execve("/sbin/init", argv, envp);
    fail("can't run /sbin/init in the new root", NULL, errno);
}

int main(int argc, char **argv, char **envp) {
    (void)argc;
    wait_for_entropy();
    /* Options with a dot never reach init's arguments: read them from /proc. */
    static char cmdline[4096];
    char root[256];
    if (getpid() == 1) {
        mkdir("/proc", 0555);
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0) {
            if (read_file("/proc/cmdline", cmdline, sizeof cmdline) >= 0 && cmdline_option(cmdline, "pika.root", root, sizeof root)) {
                squashfs_root(cmdline, argv, envp);
            }
            umount2("/proc", MNT_DETACH);
        }
    }
    argv[0] = "/sbin/init";
    execve("/sbin/init", argv, envp);
    perror("preinit: can't run /sbin/init");
    hang();
}
