/* test_seccomp_cache.c - SHA-256 (sha256.c) against known vectors, the
 * cache key, and the compiled-filter cache (seccomp_cache.c): miss, hit,
 * damaged and untrusted entries and directories, pruning.  The cache
 * parts need root (entries must be root's); they are skipped otherwise.
 * Prints TAP and a last line "N passed, M failed"; exits 1 on any failure.
 */
#include <seccomp.h>

#include "config.h"
#include "error.h"
#include "seccomp_cache.h"
#include "security.h"
#include "sha256.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool hash_is(const void *data, size_t len, const char *want)
{
        uint8_t d[SHA256_LEN];
        char hex[2 * SHA256_LEN + 1];
        sha256(data, len, d);
        sha256_hex(d, hex);
        if (strcmp(hex, want) != 0)
                printf("#   got  %s\n#   want %s\n", hex, want);
        return strcmp(hex, want) == 0;
}

static void test_sha256(void)
{
        ok(hash_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
           "sha256: empty message");
        ok(hash_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
           "sha256: \"abc\"");
        const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        ok(hash_is(m448, strlen(m448),
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
           "sha256: 448-bit message (two blocks of padding)");
        const char *m896 =
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnop"
            "jklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
        ok(hash_is(m896, strlen(m896),
                   "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
           "sha256: 896-bit message");
        /* a million 'a', fed in uneven pieces */
        static char a[1000000];
        memset(a, 'a', sizeof(a));
        struct sha256 c;
        sha256_init(&c);
        size_t off = 0, step = 1;
        while (off < sizeof(a)) {
                size_t n = step < sizeof(a) - off ? step : sizeof(a) - off;
                sha256_update(&c, a + off, n);
                off += n;
                step = step * 7 % 131 + 1;
        }
        uint8_t d[SHA256_LEN];
        char hex[2 * SHA256_LEN + 1];
        sha256_final(&c, d);
        sha256_hex(d, hex);
        ok(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
           "sha256: a million 'a' in uneven pieces");
        ok(hash_is(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318") &&
               hash_is(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
           "sha256: 55 and 64 bytes (padding edges)");
}

/* ---- a profile ---- */

static const char *names_a[] = {"getppid", "getpid"};
static const char *names_b[] = {"personality"};
static const char *arches[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
static struct hull_seccomp_arg args_b[] = {{.index = 0, .value = 8, .op = SCMP_CMP_EQ}};
static struct hull_seccomp_rule rules[2];

static struct hull_seccomp profile(void)
{
        rules[0] = (struct hull_seccomp_rule){.names = names_a,
                                              .n_names = 2,
                                              .action = SCMP_ACT_ERRNO(0),
                                              .has_errno_ret = true,
                                              .errno_ret = 33};
        rules[1] = (struct hull_seccomp_rule){
            .names = names_b, .n_names = 1, .action = SCMP_ACT_ALLOW, .args = args_b, .n_args = 1};
        return (struct hull_seccomp){.present = true,
                                     .default_action = "SCMP_ACT_ALLOW",
                                     .default_action_value = SCMP_ACT_ALLOW,
                                     .architectures = arches,
                                     .n_architectures = 2,
                                     .syscalls = rules,
                                     .n_syscalls = 2};
}

static void test_key(void)
{
        struct hull_seccomp s = profile();
        uint8_t k1[SHA256_LEN], k2[SHA256_LEN];
        seccomp_cache_key(&s, k1);
        seccomp_cache_key(&s, k2);
        ok(memcmp(k1, k2, SHA256_LEN) == 0, "key: the same profile gives the same key");
        rules[0].errno_ret = 34;
        seccomp_cache_key(&s, k2);
        ok(memcmp(k1, k2, SHA256_LEN) != 0, "key: another errnoRet, another key");
        s = profile();
        args_b[0].value = 9;
        seccomp_cache_key(&s, k2);
        args_b[0].value = 8;
        ok(memcmp(k1, k2, SHA256_LEN) != 0, "key: another argument value, another key");
        s = profile();
        s.n_architectures = 1;
        seccomp_cache_key(&s, k2);
        ok(memcmp(k1, k2, SHA256_LEN) != 0, "key: another architecture list, another key");
        s = profile();
        const char *split1[] = {"getppidgetpid"};
        rules[0].names = split1;
        rules[0].n_names = 1;
        seccomp_cache_key(&s, k2);
        ok(memcmp(k1, k2, SHA256_LEN) != 0, "key: names are length-prefixed (no run-together)");
        s = profile();
        const char *flags[] = {"SECCOMP_FILTER_FLAG_LOG"};
        s.flags = flags;
        s.n_flags = 1;
        seccomp_cache_key(&s, k2);
        ok(memcmp(k1, k2, SHA256_LEN) != 0, "key: flags are part of the key");
}

/* ---- the cache (root) ---- */

static char root[] = "/tmp/hull-test-scache.XXXXXX";

static int entry_path(const uint8_t key[SHA256_LEN], char *out, size_t len)
{
        char hex[2 * SHA256_LEN + 1];
        sha256_hex(key, hex);
        return snprintf(out, len, "%s/%s/%s", root, SECCOMP_CACHE_DIR, hex);
}

static bool same(const struct seccomp_prog *a, const struct seccomp_prog *b)
{
        return a && b && a->flags == b->flags && a->len == b->len &&
               memcmp(a->insns, b->insns, a->len * sizeof(struct sock_filter)) == 0;
}

static int count_entries(void)
{
        char dir[256];
        snprintf(dir, sizeof(dir), "%s/%s", root, SECCOMP_CACHE_DIR);
        DIR *d = opendir(dir);
        int n = 0;
        struct dirent *e;
        while (d && (e = readdir(d)))
                n += e->d_name[0] != '.';
        if (d)
                closedir(d);
        return n;
}

static void flip_byte(const char *path, off_t at)
{
        int fd = open(path, O_RDWR);
        unsigned char b = 0;
        if (fd >= 0 && pread(fd, &b, 1, at) == 1) {
                b ^= 0x01;
                if (pwrite(fd, &b, 1, at) != 1)
                        perror(path);
        }
        if (fd >= 0)
                close(fd);
}

static void test_cache(void)
{
        struct hull_seccomp s = profile();
        uint8_t key[SHA256_LEN];
        seccomp_cache_key(&s, key);
        struct seccomp_prog *fresh = NULL, *p = NULL;
        ok(seccomp_compile(&s, &fresh) == 0 && fresh, "cache: compile the profile");
        int dfd = seccomp_cache_open(root, 1);
        struct stat st;
        char dir[256];
        snprintf(dir, sizeof(dir), "%s/%s", root, SECCOMP_CACHE_DIR);
        ok(dfd >= 0 && stat(dir, &st) == 0 && (st.st_mode & 07777) == 0700 && st.st_uid == 0,
           "cache: directory made, mode 0700, root's");
        ok(seccomp_cache_load(dfd, key, &p) == 0 && !p && herr_errno() == ENOENT,
           "cache: miss on an empty cache");
        ok(seccomp_cache_store(dfd, key, fresh) == 0, "cache: store");
        char path[512];
        entry_path(key, path, sizeof(path));
        ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 && count_entries() == 1,
           "cache: one entry, mode 0600, no temporary file left");
        ok(seccomp_cache_load(dfd, key, &p) == 1 && same(p, fresh), "cache: hit, same program");
        seccomp_free(p);
        p = NULL;

        /* damaged entries: each byte class */
        off_t where[] = {0, 8, 40, 48 + 3, (off_t)st.st_size - 1};
        const char *what[] = {"magic", "key", "flags", "an instruction", "checksum"};
        for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
                flip_byte(path, where[i]);
                ok(seccomp_cache_load(dfd, key, &p) == 0 && !p && strstr(herr_msg(), "damaged"),
                   "cache: a changed byte in the %s is rejected", what[i]);
                flip_byte(path, where[i]);
        }
        ok(truncate(path, st.st_size - 8) == 0 && seccomp_cache_load(dfd, key, &p) == 0 && !p,
           "cache: a truncated entry is rejected");
        ok(seccomp_cache_store(dfd, key, fresh) == 0 && seccomp_cache_load(dfd, key, &p) == 1,
           "cache: store replaces a bad entry");
        seccomp_free(p);
        p = NULL;

        /* an entry of another key under this key's name */
        uint8_t other[SHA256_LEN];
        memcpy(other, key, sizeof(other));
        other[0] ^= 0xff;
        char opath[512];
        entry_path(other, opath, sizeof(opath));
        ok(link(path, opath) == 0 && seccomp_cache_load(dfd, other, &p) == 0 && !p,
           "cache: an entry under another key's name is rejected");
        unlink(opath);

        ok(chmod(path, 0666) == 0 && seccomp_cache_load(dfd, key, &p) == 0 && !p &&
               strstr(herr_msg(), "only root"),
           "cache: a world-writable entry is rejected");
        ok(chmod(path, 0620) == 0 && seccomp_cache_load(dfd, key, &p) == 0 && !p,
           "cache: a group-writable entry is rejected");
        chmod(path, 0600);
        ok(chown(path, 1000, 0) == 0 && seccomp_cache_load(dfd, key, &p) == 0 && !p,
           "cache: an entry not owned by root is rejected");
        ok(chown(path, 0, 0) == 0 && seccomp_cache_load(dfd, key, &p) == 1,
           "cache: the same entry back with owner root: hit");
        seccomp_free(p);
        p = NULL;
        unlink(opath);
        ok(symlink(path, opath) == 0 && seccomp_cache_load(dfd, other, &p) == 0 && !p &&
               herr_errno() == ELOOP,
           "cache: a symlinked entry is not followed");
        unlink(opath);
        close(dfd);

        /* untrusted directories */
        ok(chmod(dir, 0777) == 0 && seccomp_cache_open(root, 1) < 0,
           "cache: a world-writable directory is not used");
        ok(chmod(dir, 0770) == 0 && seccomp_cache_open(root, 1) < 0,
           "cache: a group-writable directory is not used");
        chmod(dir, 0700);
        ok(chown(dir, 1000, 0) == 0 && seccomp_cache_open(root, 1) < 0,
           "cache: a directory not owned by root is not used");
        chown(dir, 0, 0);
        char moved[300];
        snprintf(moved, sizeof(moved), "%s/real", root);
        ok(rename(dir, moved) == 0 && symlink("real", dir) == 0 && seccomp_cache_open(root, 1) < 0,
           "cache: a symlinked directory is not followed");
        unlink(dir);
        rename(moved, dir);

        /* end to end: a tampered entry is recompiled, then fixed */
        entry_path(key, path, sizeof(path));
        flip_byte(path, 50);
        ok(seccomp_compile_cached(root, &s, &p) == 0 && same(p, fresh),
           "cache: compile_cached with a damaged entry gives the fresh program");
        seccomp_free(p);
        p = NULL;
        dfd = seccomp_cache_open(root, 0);
        ok(dfd >= 0 && seccomp_cache_load(dfd, key, &p) == 1 && same(p, fresh),
           "cache: and the entry is valid again");
        seccomp_free(p);
        p = NULL;
        ok(seccomp_compile_cached(NULL, &s, &p) == 0 && same(p, fresh),
           "cache: no state root: plain compile");
        seccomp_free(p);
        p = NULL;

        /* pruning */
        for (int i = 0; i < SECCOMP_CACHE_MAX; i++) {
                uint8_t k[SHA256_LEN];
                sha256(&i, sizeof(i), k);
                seccomp_cache_store(dfd, k, fresh);
        }
        ok(count_entries() <= 2, "cache: more than %d entries: the directory is emptied (%d left)",
           SECCOMP_CACHE_MAX, count_entries());
        close(dfd);
        seccomp_free(fresh);
}

int main(void)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        test_sha256();
        test_key();
        if (geteuid() != 0) {
                printf("# SKIP cache tests: need root\n");
        } else if (!mkdtemp(root)) {
                ok(false, "mkdtemp %s", root);
        } else {
                test_cache();
                char cmd[128];
                snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
                if (system(cmd) != 0)
                        printf("# could not remove %s\n", root);
        }
        printf("%d passed, %d failed\n", n_run - n_failed, n_failed);
        return n_failed ? 1 : 0;
}
