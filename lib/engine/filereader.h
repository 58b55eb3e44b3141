/*
 * filereader.h - byte sources for the file kernels: a caller's buffer or a
 * file read with pread() in chunks, never mmap (a file truncated under an
 * mmap kills the process with SIGBUS; a short pread is an error we report).
 *
 * A chunk sees its bytes through a view: for a buffer source the caller's
 * memory itself, for a file source a buffer from a pool owned by the call.
 * The pool holds at most one buffer per thread of the call (a chunk takes a
 * free slot and gives it back), so memory stays bounded by threads x (chunk
 * + overlap) whatever the file size.
 */
#ifndef PARCHUNK_ENGINE_FILEREADER_H
#define PARCHUNK_ENGINE_FILEREADER_H

#include "engine.h"

typedef struct pc_pool_slot {
    atomic_int busy;
    unsigned char *buf;
    size_t cap;
} pc_pool_slot;

typedef struct pc_source {
    const unsigned char *mem; /* buffer source, or NULL for a file */
    int fd;                   /* file source, or -1 */
    uint64_t size;            /* bytes, fixed when the source was opened */
    const char *path;         /* for messages; NULL for a buffer */
    pc_pool_slot *slots;      /* file sources: one slot per thread */
    size_t nslots;
} pc_source;

/* A buffer source over data[0, size). data may be NULL when size == 0. */
void pc_source_from_memory(pc_source *src, const void *data, size_t size);

/*
 * pc_source_open() - open path read-only and record its size. Errors
 * (PARCHUNK_ERR_IO) are recorded on the call as "errno=N: <strerror>: <path>"
 * so bindings can raise the matching OSError; a directory gives EISDIR.
 */
parchunk_status pc_source_open(pc_call *call, pc_source *src, const char *path);

/* Close the file and free the pool. Safe on a buffer source and twice. */
void pc_source_close(pc_source *src);

/* A read-only window of the source. */
typedef struct pc_view {
    const unsigned char *bytes;
    size_t len;
    pc_pool_slot *slot;   /* the pool slot lent to this view, or NULL */
    unsigned char *owned; /* a buffer allocated because no slot was free */
} pc_view;

/*
 * pc_source_view() - bytes [begin, begin + len) of the source (len clipped
 * to the end of the source). When terminate is true, the view is followed
 * by one readable '\n' byte past its end (bytes[len] == '\n' for file
 * sources; for buffer sources either the source's own next byte or, at the
 * very end of a buffer that does not end with '\n', a copy with '\n'
 * appended). Safe to call from several chunks at once.
 *
 * Returns PARCHUNK_OK, PARCHUNK_ERR_NOMEM, PARCHUNK_ERR_IO (read error,
 * errno in the detail) or PARCHUNK_ERR_CHANGED (the file is shorter than
 * when it was opened).
 */
parchunk_status pc_source_view(pc_call *call, pc_source *src, uint64_t begin, size_t len,
                               bool terminate, pc_view *view);

/* Give a view's buffer back to the pool. */
void pc_view_release(pc_view *view);

/*
 * pc_source_read() - copy bytes [begin, begin + len) into dst (which holds
 * len bytes); same errors as pc_source_view(). For sources read outside
 * the chunk map (line boundaries, headers).
 */
parchunk_status pc_source_read(pc_call *call, const pc_source *src, uint64_t begin, size_t len,
                               void *dst);

/*
 * pc_source_prepare_pool() - size the pool for a pass: nslots = at most
 * call->nthreads (and at most nchunks), buffers allocated lazily. Must be
 * called before the first pc_source_view() of a file source.
 */
parchunk_status pc_source_prepare_pool(pc_call *call, pc_source *src, size_t nchunks);

/* The default chunk size of the file kernels, in bytes. */
enum { PC_FILE_DEFAULT_CHUNK = 1 << 20 };

#endif
