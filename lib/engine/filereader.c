/*
 * filereader.c - byte sources (caller's buffer or a file read with pread)
 * and the per-call pool of chunk buffers. See filereader.h.
 */
#define _GNU_SOURCE
#include "filereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pc_source_from_memory(pc_source *src, const void *data, size_t size)
{
    memset(src, 0, sizeof *src);
    src->mem = data;
    src->fd = -1;
    src->size = size;
}

static parchunk_status os_error(pc_call *call, int err, const char *what, const char *path)
{
    /* The "errno=N: " prefix is documented: bindings parse it. */
    return pc_call_fail(call, PARCHUNK_ERR_IO, "errno=%d: %s: %s: '%s'", err, strerror(err), what,
                        path);
}

parchunk_status pc_source_open(pc_call *call, pc_source *src, const char *path)
{
    memset(src, 0, sizeof *src);
    src->fd = -1;
    src->path = path;
    int fd;
    do
        /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is
         * refused below); reads of regular files ignore the flag. */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return os_error(call, errno, "cannot open", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return os_error(call, err, "cannot stat", path);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return os_error(call, EISDIR, "cannot read", path);
    }
    if (!S_ISREG(st.st_mode)) {
        /* Pipes and devices have no size to cut into chunks. */
        close(fd);
        return pc_call_fail(call, PARCHUNK_ERR_IO, "errno=%d: %s: not a regular file: '%s'", ESPIPE,
                            strerror(ESPIPE), path);
    }
    src->fd = fd;
    src->size = (uint64_t)st.st_size;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return PARCHUNK_OK;
}

void pc_source_close(pc_source *src)
{
    if (src->fd >= 0)
        close(src->fd);
    src->fd = -1;
    for (size_t i = 0; i < src->nslots; i++)
        pc_free(src->slots[i].buf);
    pc_free(src->slots);
    src->slots = NULL;
    src->nslots = 0;
}

parchunk_status pc_source_prepare_pool(pc_call *call, pc_source *src, size_t nchunks)
{
    size_t want = (size_t)call->nthreads;
    if (want > nchunks)
        want = nchunks;
    if (want == 0)
        want = 1;
    if (src->nslots >= want)
        return PARCHUNK_OK;
    pc_pool_slot *slots = pc_alloc_array(want, sizeof *slots);
    if (slots == NULL)
        return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate %zu buffer slots", want);
    for (size_t i = 0; i < want; i++) {
        atomic_init(&slots[i].busy, 0);
        slots[i].buf = i < src->nslots ? src->slots[i].buf : NULL;
        slots[i].cap = i < src->nslots ? src->slots[i].cap : 0;
    }
    pc_free(src->slots);
    src->slots = slots;
    src->nslots = want;
    return PARCHUNK_OK;
}

parchunk_status pc_source_read(pc_call *call, const pc_source *src, uint64_t begin, size_t len,
                               void *dst)
{
    if (src->mem != NULL || src->fd < 0) {
        if (len > 0)
            memcpy(dst, src->mem + begin, len);
        return PARCHUNK_OK;
    }
    unsigned char *out = dst;
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(src->fd, out + got, len - got, (off_t)(begin + got));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return os_error(call, errno, "read failed", src->path);
        }
        if (r == 0)
            return pc_call_fail(call, PARCHUNK_ERR_CHANGED,
                                "the file shrank while it was read: no data at offset %llu of "
                                "%llu bytes: '%s'",
                                (unsigned long long)(begin + got), (unsigned long long)src->size,
                                src->path);
        got += (size_t)r;
    }
    return PARCHUNK_OK;
}

/* A free slot with capacity >= need, or NULL (then the caller allocates). */
static pc_pool_slot *take_slot(pc_source *src, size_t need)
{
    for (size_t i = 0; i < src->nslots; i++) {
        pc_pool_slot *s = &src->slots[i];
        if (atomic_load_explicit(&s->busy, memory_order_relaxed) == 0 &&
            atomic_exchange(&s->busy, 1) == 0) {
            if (s->cap < need) {
                /* Grow geometrically: line-extended chunks vary a little. */
                size_t cap = need + need / 8;
                unsigned char *buf = pc_alloc_array(cap, 1);
                if (buf == NULL) {
                    atomic_store(&s->busy, 0);
                    return NULL;
                }
                pc_free(s->buf);
                s->buf = buf;
                s->cap = cap;
            }
            return s;
        }
    }
    return NULL;
}

parchunk_status pc_source_view(pc_call *call, pc_source *src, uint64_t begin, size_t len,
                               bool terminate, pc_view *view)
{
    if (begin > src->size)
        begin = src->size;
    if (len > src->size - begin)
        len = (size_t)(src->size - begin);
    memset(view, 0, sizeof *view);
    bool at_end = begin + len == src->size;
    if (src->mem != NULL &&
        !(terminate && at_end && len > 0 && src->mem[begin + len - 1] != '\n')) {
        view->bytes = src->mem + begin;
        view->len = len;
        if (terminate && at_end && len == 0)
            view->bytes = (const unsigned char *)"\n";
        return PARCHUNK_OK;
    }
    if (src->mem == NULL && src->fd < 0) { /* empty buffer source */
        view->bytes = (const unsigned char *)"\n";
        return PARCHUNK_OK;
    }
    size_t need = len + 1;
    unsigned char *buf;
    pc_pool_slot *slot = take_slot(src, need);
    if (slot != NULL) {
        buf = slot->buf;
    } else {
        buf = pc_alloc_array(need, 1);
        if (buf == NULL)
            return pc_call_fail(call, PARCHUNK_ERR_NOMEM, "cannot allocate a %zu-byte buffer",
                                need);
        view->owned = buf;
    }
    view->slot = slot;
    parchunk_status st = pc_source_read(call, src, begin, len, buf);
    if (st != PARCHUNK_OK) {
        pc_view_release(view);
        return st;
    }
    buf[len] = '\n';
    view->bytes = buf;
    view->len = len;
    return PARCHUNK_OK;
}

void pc_view_release(pc_view *view)
{
    if (view->slot != NULL)
        atomic_store(&view->slot->busy, 0);
    pc_free(view->owned);
    view->slot = NULL;
    view->owned = NULL;
}
