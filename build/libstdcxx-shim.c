/*
 * The few glibc-only symbols that Debian's static libstdc++.a / libgcc_eh.a
 * reference, implemented on top of musl so those archives can be linked into
 * a musl libstdc++.so.6 (see muslLibstdcxx in build/toolchain.ts). Everything here is hidden:
 * it satisfies the archive members inside the .so and is never exported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <unistd.h>

#define HIDDEN __attribute__((visibility("hidden")))

/*
 * glibc sets this to 1 while the process has one thread, letting libstdc++
 * skip atomics (shared_ptr counts, etc). We cannot know when musl starts a
 * thread, so always claim "maybe multi-threaded", which is always correct.
 */
HIDDEN char __libc_single_threaded = 0;

/* std::random_device may use arc4random(); musl 1.2.3 has none. Use the
 * kernel CSPRNG directly, never a seeded PRNG. */
static void fill_random(void *buf, size_t len) {
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == ENOSYS) {
            /* Pre-3.17 kernel: fall back to /dev/urandom, still the CSPRNG. */
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0) abort();
            while (len > 0) {
                n = read(fd, p, len);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) abort();
                p += n;
                len -= (size_t)n;
            }
            close(fd);
            return;
        }
        if (n <= 0) abort(); /* no randomness: fail loudly, like glibc */
        p += n;
        len -= (size_t)n;
    }
}

HIDDEN uint32_t arc4random(void) {
    uint32_t v;
    fill_random(&v, sizeof v);
    return v;
}

/*
 * glibc 2.35's fast FDE lookup, called by libgcc's _Unwind_Find_FDE. GCC 12's
 * unwinder does NOT fall back to dl_iterate_phdr when this fails (it returns
 * "no FDE", so every throw would terminate), so implement it properly on top
 * of musl's dl_iterate_phdr. Layout matches glibc's x86_64 and aarch64
 * struct (no dlfo_eh_dbase / dlfo_eh_count on either).
 */
struct dl_find_object {
    unsigned long long dlfo_flags;
    void *dlfo_map_start;
    void *dlfo_map_end;
    struct link_map *dlfo_link_map; /* not read by libgcc; left NULL */
    void *dlfo_eh_frame;
    unsigned long long __dlfo_reserved[7];
};

struct find_query {
    uintptr_t pc;
    struct dl_find_object *result;
};

static int find_object_cb(struct dl_phdr_info *info, size_t size, void *data) {
    struct find_query *q = data;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    void *eh_frame = NULL;
    int hit = 0;
    (void)size;
    for (size_t i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD) {
            uintptr_t end = start + ph->p_memsz;
            if (q->pc >= start && q->pc < end) hit = 1;
            if (start < lo) lo = start;
            if (end > hi) hi = end;
        } else if (ph->p_type == PT_GNU_EH_FRAME) {
            eh_frame = (void *)start;
        }
    }
    if (!hit) return 0;
    q->result->dlfo_flags = 0;
    q->result->dlfo_map_start = (void *)lo;
    q->result->dlfo_map_end = (void *)hi;
    q->result->dlfo_link_map = NULL;
    q->result->dlfo_eh_frame = eh_frame;
    return 1;
}

HIDDEN int _dl_find_object(void *pc, struct dl_find_object *result) {
    struct find_query q = { (uintptr_t)pc, result };
    return dl_iterate_phdr(find_object_cb, &q) ? 0 : -1;
}

/*
 * libgcc's unwinder decides "are threads in use?" by a weak reference to
 * glibc's __pthread_key_create; left undefined under musl it reads as "no"
 * and the unwinder would skip its locks. Define it so the locks are taken.
 */
HIDDEN int __pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
    return pthread_key_create(key, destructor);
}

#ifdef __aarch64__
/* libgcc's outline-atomics init (lse-init.o) reads AT_HWCAP through glibc's
 * internal alias; musl only has the public name. */
HIDDEN unsigned long __getauxval(unsigned long type) {
    return getauxval(type);
}
#endif
