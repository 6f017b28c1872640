/* seccomp_cache.h - compiled seccomp filters, cached under --root.
 *
 * libseccomp needs ~35 million instructions (10 ms and more here) to
 * compile a Docker-style default profile of ~400 syscall names; loading
 * the result is one seccomp(2) call.  The compiled program depends only on
 * the profile, the architecture, libseccomp and hull itself, so
 * seccomp_compile_cached() keeps it in ROOT/.seccomp-cache/<key>, where
 * <key> is the SHA-256 of a canonical serialisation of exactly those
 * inputs (seccomp_cache_key).
 *
 * Trust: the directory must be a real directory (O_NOFOLLOW) owned by
 * root and writable by nobody else (fstat of the opened fd); an entry
 * likewise (a regular file, owner root, not group/world writable).  An
 * entry holds a magic, its own key, the program and a SHA-256 of all of
 * that; anything that does not match (truncated, tampered, another key)
 * is rejected and the profile recompiled, never loaded.  Entries are
 * written to a temporary file and renamed into place.  Any cache trouble
 * only costs the compile: it never fails the launch.  Only root (euid 0)
 * uses the cache.
 */
#ifndef HULL_SECCOMP_CACHE_H
#define HULL_SECCOMP_CACHE_H

#include <linux/filter.h>
#include <stdint.h>

#include "config.h"
#include "sha256.h"

/* A compiled filter (security.h): seccomp(2) flags and classic BPF. */
struct seccomp_prog {
        unsigned flags;     /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
        unsigned short len; /* instructions in insns */
        struct sock_filter insns[];
};

#define SECCOMP_CACHE_DIR ".seccomp-cache"
/* More entries than this: the next store empties the directory first. */
#define SECCOMP_CACHE_MAX 256

/* seccomp_compile_cached() is declared in security.h; the pieces, for
 * tests: */
void seccomp_cache_key(const struct hull_seccomp *s, uint8_t key[SHA256_LEN]);
/* ROOT/.seccomp-cache opened (made 0700 when missing and CREATE), checked;
 * -1 with herr set when missing or not trusted. */
int seccomp_cache_open(const char *state_root, int create);
/* 1 and *out (malloc'd) on a valid entry; 0 on a miss or a rejected entry
 * (herr says why); never -1. */
int seccomp_cache_load(int dirfd, const uint8_t key[SHA256_LEN], struct seccomp_prog **out);
/* 0, or -1 with herr set. */
int seccomp_cache_store(int dirfd, const uint8_t key[SHA256_LEN], const struct seccomp_prog *p);

#endif
