/* seccomp_cache.c - compiled seccomp filters cached under --root (see
 * seccomp_cache.h).
 *
 * Entry file ROOT/.seccomp-cache/<hex key>:
 *   "HULLSBPF" | key (32) | flags (u32 LE) | len (u32 LE) |
 *   len x struct sock_filter (host order) | SHA-256 of all the above (32)
 */
#include "seccomp_cache.h"
#include "error.h"
#include "hull-version.h"
#include "log.h"
#include "security.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic[8] = {'H', 'U', 'L', 'L', 'S', 'B', 'P', 'F'};

#define HEAD_LEN (sizeof(magic) + SHA256_LEN + 8)

/* ---- the key ---- */

static void put_u64(struct sha256 *c, uint64_t v)
{
        uint8_t b[8];
        for (int i = 0; i < 8; i++)
                b[i] = (uint8_t)(v >> (8 * i));
        sha256_update(c, b, sizeof(b));
}

/* Length-prefixed, so that ("ab","c") and ("a","bc") differ; NULL is not "". */
static void put_str(struct sha256 *c, const char *s)
{
        if (!s) {
                put_u64(c, UINT64_MAX);
                return;
        }
        size_t n = strlen(s);
        put_u64(c, n);
        sha256_update(c, s, n);
}

static void put_strs(struct sha256 *c, const char *const *v, size_t n)
{
        put_u64(c, n);
        for (size_t i = 0; i < n; i++)
                put_str(c, v[i]);
}

/* The GNU build id of the hull executable: it changes with any change to
 * hull's code (the stub seccomp.c adds, a static libseccomp). */
static int build_id_cb(struct dl_phdr_info *info, size_t size, void *data)
{
        (void)size;
        struct sha256 *c = data;
        for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
                if (ph->p_type != PT_NOTE)
                        continue;
                const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
                const uint8_t *end = p + ph->p_memsz;
                while (p + sizeof(ElfW(Nhdr)) <= end) {
                        const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
                        size_t name = (nh->n_namesz + 3) & ~(size_t)3;
                        size_t desc = (nh->n_descsz + 3) & ~(size_t)3;
                        const uint8_t *d = p + sizeof(*nh) + name;
                        if (d + nh->n_descsz > end)
                                break;
                        if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
                            memcmp(p + sizeof(*nh), "GNU", 4) == 0) {
                                put_u64(c, nh->n_descsz);
                                sha256_update(c, d, nh->n_descsz);
                                return 2;
                        }
                        p = d + desc;
                }
        }
        return 1; /* the first object is the executable: stop there */
}

/* hull's build: its build id, else the executable file's identity. */
static void put_build(struct sha256 *c)
{
        if (dl_iterate_phdr(build_id_cb, c) == 2)
                return;
        struct stat st;
        if (stat("/proc/self/exe", &st) < 0)
                memset(&st, 0, sizeof(st));
        put_u64(c, st.st_dev);
        put_u64(c, st.st_ino);
        put_u64(c, (uint64_t)st.st_size);
        put_u64(c, (uint64_t)st.st_mtim.tv_sec);
        put_u64(c, (uint64_t)st.st_mtim.tv_nsec);
}

void seccomp_cache_key(const struct hull_seccomp *s, uint8_t key[SHA256_LEN])
{
        struct sha256 c;
        sha256_init(&c);
        put_str(&c, "hull seccomp cache 1");
        put_str(&c, HULL_VERSION);
        put_str(&c, HULL_COMMIT);
        put_build(&c);
        const struct scmp_version *v = seccomp_version();
        put_u64(&c, v->major);
        put_u64(&c, v->minor);
        put_u64(&c, v->micro);
        put_u64(&c, seccomp_api_get());
        put_u64(&c, seccomp_arch_native());

        put_u64(&c, s->present);
        put_u64(&c, s->default_action_value);
        put_u64(&c, s->has_default_errno_ret);
        put_u64(&c, s->default_errno_ret);
        put_strs(&c, s->architectures, s->n_architectures);
        put_strs(&c, s->flags, s->n_flags);
        put_str(&c, s->listener_path); /* only whether there is one matters */
        put_u64(&c, s->n_syscalls);
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const struct hull_seccomp_rule *r = &s->syscalls[i];
                put_strs(&c, r->names, r->n_names);
                put_u64(&c, r->action);
                put_u64(&c, r->has_errno_ret);
                put_u64(&c, r->errno_ret);
                put_u64(&c, r->n_args);
                for (size_t a = 0; a < r->n_args; a++) {
                        put_u64(&c, r->args[a].index);
                        put_u64(&c, (uint64_t)(int64_t)r->args[a].op);
                        put_u64(&c, r->args[a].value);
                        put_u64(&c, r->args[a].value_two);
                }
        }
        sha256_final(&c, key);
}

/* ---- the directory and its entries ---- */

static int trusted(const struct stat *st, mode_t type)
{
        return (st->st_mode & S_IFMT) == type && st->st_uid == 0 && !(st->st_mode & 022);
}

int seccomp_cache_open(const char *state_root, int create)
{
        int root = open(state_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return herr(errno, "seccomp cache: open %s", state_root);
        if (create && mkdirat(root, SECCOMP_CACHE_DIR, 0700) < 0 && errno != EEXIST) {
                herr(errno, "seccomp cache: create %s/%s", state_root, SECCOMP_CACHE_DIR);
                close(root);
                return -1;
        }
        int fd = openat(root, SECCOMP_CACHE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        close(root);
        if (fd < 0)
                return herr(e, "seccomp cache: open %s/%s", state_root, SECCOMP_CACHE_DIR);
        struct stat st;
        if (fstat(fd, &st) < 0 || !trusted(&st, S_IFDIR)) {
                close(fd);
                return herr(0,
                            "seccomp cache: %s/%s is not a directory of root's that only "
                            "root can write: not used",
                            state_root, SECCOMP_CACHE_DIR);
        }
        return fd;
}

static size_t entry_size(size_t len)
{
        return HEAD_LEN + len * sizeof(struct sock_filter) + SHA256_LEN;
}

static uint32_t get_u32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_u32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

int seccomp_cache_load(int dirfd, const uint8_t key[SHA256_LEN], struct seccomp_prog **out)
{
        *out = NULL;
        char name[2 * SHA256_LEN + 1];
        sha256_hex(key, name);
        int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
                herr(errno, "seccomp cache: open entry %s", name);
                return 0;
        }
        uint8_t *buf = NULL;
        struct stat st;
        if (fstat(fd, &st) < 0 || !trusted(&st, S_IFREG)) {
                herr(0,
                     "seccomp cache: entry %s is not a file of root's that only root can "
                     "write: rejected",
                     name);
                goto out;
        }
        size_t size = (size_t)st.st_size;
        if (st.st_size < 0 || size < entry_size(1) || size > entry_size(BPF_MAXINSNS)) {
                herr(0, "seccomp cache: entry %s has a bad size (%lld bytes): rejected", name,
                     (long long)st.st_size);
                goto out;
        }
        buf = malloc(size);
        if (!buf) {
                herr(ENOMEM, "seccomp cache: entry %s", name);
                goto out;
        }
        ssize_t got = pread(fd, buf, size, 0);
        uint8_t sum[SHA256_LEN];
        sha256(buf, size - SHA256_LEN, sum);
        size_t len = got == (ssize_t)size ? get_u32(buf + HEAD_LEN - 4) : 0;
        if (got != (ssize_t)size || memcmp(buf, magic, sizeof(magic)) != 0 ||
            memcmp(buf + sizeof(magic), key, SHA256_LEN) != 0 || len == 0 || len > BPF_MAXINSNS ||
            size != entry_size(len) || memcmp(buf + size - SHA256_LEN, sum, SHA256_LEN) != 0) {
                herr(0, "seccomp cache: entry %s is damaged or not the filter it names: rejected",
                     name);
                goto out;
        }
        struct seccomp_prog *p = malloc(sizeof(*p) + len * sizeof(struct sock_filter));
        if (!p) {
                herr(ENOMEM, "seccomp cache: entry %s", name);
                goto out;
        }
        p->flags = get_u32(buf + HEAD_LEN - 8);
        p->len = (unsigned short)len;
        memcpy(p->insns, buf + HEAD_LEN, len * sizeof(struct sock_filter));
        *out = p;
out:
        free(buf);
        close(fd);
        return *out ? 1 : 0;
}

/* Too many entries (a host with ever-changing profiles): start afresh. */
static void prune(int dirfd)
{
        int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)))
                n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
        if (n >= SECCOMP_CACHE_MAX) {
                rewinddir(d);
                while ((e = readdir(d)))
                        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                                unlinkat(dirfd, e->d_name, 0);
        }
        closedir(d);
}

int seccomp_cache_store(int dirfd, const uint8_t key[SHA256_LEN], const struct seccomp_prog *p)
{
        size_t size = entry_size(p->len);
        uint8_t *buf = malloc(size);
        if (!buf)
                return herr(ENOMEM, "seccomp cache: store");
        memcpy(buf, magic, sizeof(magic));
        memcpy(buf + sizeof(magic), key, SHA256_LEN);
        set_u32(buf + HEAD_LEN - 8, p->flags);
        set_u32(buf + HEAD_LEN - 4, p->len);
        memcpy(buf + HEAD_LEN, p->insns, p->len * sizeof(struct sock_filter));
        sha256(buf, size - SHA256_LEN, buf + size - SHA256_LEN);

        prune(dirfd);
        char name[2 * SHA256_LEN + 1], tmp[2 * SHA256_LEN + 32];
        sha256_hex(key, name);
        snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
        int rc = -1;
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                herr(errno, "seccomp cache: create %s", tmp);
                goto out;
        }
        ssize_t n = write(fd, buf, size);
        int e = n < 0 ? errno : EIO;
        if (close(fd) < 0 && n == (ssize_t)size) {
                n = -1;
                e = errno;
        }
        if (n != (ssize_t)size) {
                herr(e, "seccomp cache: write %s", tmp);
                unlinkat(dirfd, tmp, 0);
                goto out;
        }
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                herr(errno, "seccomp cache: rename %s to %s", tmp, name);
                unlinkat(dirfd, tmp, 0);
                goto out;
        }
        rc = 0;
out:
        free(buf);
        return rc;
}

int seccomp_compile_cached(const char *state_root, const struct hull_seccomp *s,
                           struct seccomp_prog **out)
{
        *out = NULL;
        if (!s->present || !state_root || geteuid() != 0)
                return seccomp_compile(s, out);
        uint8_t key[SHA256_LEN];
        seccomp_cache_key(s, key);
        int dirfd = seccomp_cache_open(state_root, 1);
        if (dirfd < 0) {
                log_debug("%s", herr_msg());
                return seccomp_compile(s, out);
        }
        if (seccomp_cache_load(dirfd, key, out) == 1) {
                close(dirfd);
                return 0;
        }
        if (herr_errno() != ENOENT)
                log_debug("%s", herr_msg());
        int rc = seccomp_compile(s, out);
        if (rc == 0 && *out && seccomp_cache_store(dirfd, key, *out) < 0)
                log_debug("%s", herr_msg());
        close(dirfd);
        return rc;
}
