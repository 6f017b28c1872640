/* sha256.h - SHA-256 (FIPS 180-4), for the keys of the compiled seccomp
 * filter cache (seccomp_cache.c).  Incremental: init, update..., final. */
#ifndef HULL_SHA256_H
#define HULL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
        uint32_t h[8];
        uint64_t total; /* bytes hashed so far */
        uint8_t buf[64];
        size_t used; /* bytes in buf */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, uint8_t out[SHA256_LEN]);
/* One call: out = SHA-256(data). */
void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);
/* 64 lowercase hex digits and a NUL into hex. */
void sha256_hex(const uint8_t d[SHA256_LEN], char hex[2 * SHA256_LEN + 1]);

#endif
