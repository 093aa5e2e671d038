/*
 * Pika's pre-init: the kernel runs this tiny static program as /init.
 *
 * The Bun runtime aborts at start when the kernel's random pool is not yet
 * initialised, which happens on boards with no seed (QEMU's raspi3b). So wait
 * for the pool honestly, blocking in getrandom(2) while the kernel gathers
 * entropy, and never with a seed baked into the image; then become
 * /sbin/init (pika) with the same arguments and environment.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

static void say(const char *msg) {
    size_t n = 0;
    while (msg[n]) n++;
    (void)!write(2, msg, n);
}

int main(int argc, char **argv, char **envp) {
    unsigned char byte;
    (void)argc;
    if (getrandom(&byte, 1, GRND_NONBLOCK) < 0 && errno == EAGAIN) {
        say("preinit: waiting for the kernel's random pool to be initialised\n");
        while (getrandom(&byte, 1, 0) < 0 && errno == EINTR) {
        }
    }
    argv[0] = "/sbin/init";
    execve("/sbin/init", argv, envp);
    perror("preinit: can't run /sbin/init");
    /* PID 1 must not exit (the kernel would panic and the message scroll away). */
    for (;;) pause();
}
