/*
 * stats_state.c - init, accumulate, merge, finalize and (de)serialisation
 * of the statistics state shared by every exported statistics function.
 */
#include <math.h>
#include <string.h>

#include "stats_state.h"

bool pc_op_valid(int op)
{
    return op >= PARCHUNK_OP_SUM && op <= PARCHUNK_OP_ARGMAX;
}

bool pc_op_axis(int op)
{
    return op >= PARCHUNK_OP_SUM && op <= PARCHUNK_OP_STD;
}

static bool uses_moments(int op)
{
    return op == PARCHUNK_OP_VAR || op == PARCHUNK_OP_STD || op == PARCHUNK_OP_STATS;
}

void pc_stat_init(pc_stat_state *s, const pc_stat_job *job)
{
    memset(s, 0, sizeof *s);
    s->index = -1;
    s->op = (uint8_t)job->op;
    s->dtype = (uint8_t)job->dtype;
    s->flags = (uint8_t)job->flags;
}

static bool skips_nan(const pc_stat_state *s)
{
    return (s->flags & PARCHUNK_SKIPNA) && pc_dtype_is_float((parchunk_dtype)s->dtype);
}

void pc_stat_accumulate(pc_stat_state *s, const void *x, size_t len)
{
    parchunk_dtype dtype = (parchunk_dtype)s->dtype;
    bool is_float = pc_dtype_is_float(dtype), skip = skips_nan(s);
    pc_stat_state c = *s;
    c.n = len;
    c.count = len;
    c.sum = 0.0;
    c.isum = 0;
    c.mom = (pc_moments){0, 0.0, 0.0, 0.0};
    c.min = c.max = 0;
    c.index = -1;
    switch (s->op) {
    case PARCHUNK_OP_SUM:
    case PARCHUNK_OP_MEAN:
        if (!is_float) {
            c.isum = pc_sum_int(x, len, dtype);
        } else if (skip) {
            c.sum = pc_fast_sum_float(x, len, dtype, true);
            c.count = pc_count_not_nan(x, len, dtype);
        } else {
            c.sum = pc_fast_sum_float(x, len, dtype, false);
        }
        break;
    case PARCHUNK_OP_MIN:
    case PARCHUNK_OP_MAX: {
        bool is_min = s->op == PARCHUNK_OP_MIN;
        uint64_t *slot = is_min ? &c.min : &c.max;
        if (skip) {
            c.count = pc_count_not_nan(x, len, dtype);
            if (c.count > 0)
                (is_min ? pc_nanmin : pc_nanmax)(x, len, dtype, slot);
        } else if (len > 0) {
            (is_min ? pc_min : pc_max)(x, len, dtype, slot);
        }
        break;
    }
    case PARCHUNK_OP_VAR:
    case PARCHUNK_OP_STD:
    case PARCHUNK_OP_STATS: {
        unsigned flags = PC_STATS_MOMENTS;
        if (s->op == PARCHUNK_OP_STATS)
            flags |= PC_STATS_MINMAX;
        if (skip)
            flags |= PC_STATS_SKIPNA;
        pc_chunk_stats cs;
        pc_stats_chunk(x, len, dtype, flags, &cs);
        c.count = cs.count;
        c.sum = cs.sum;
        c.isum = cs.isum;
        c.mom = cs.mom;
        c.min = cs.min;
        c.max = cs.max;
        break;
    }
    case PARCHUNK_OP_COUNT_NONZERO: c.count = pc_count_nonzero(x, len, dtype); break;
    case PARCHUNK_OP_ARGMIN:
    case PARCHUNK_OP_ARGMAX: {
        bool is_min = s->op == PARCHUNK_OP_ARGMIN;
        if (skip)
            c.count = pc_count_not_nan(x, len, dtype);
        if (len == 0 || c.count == 0)
            break;
        size_t i = (is_min ? pc_argmin : pc_argmax)(x, len, dtype, skip);
        if (i < len) {
            c.index = (int64_t)i;
            memcpy(is_min ? &c.min : &c.max,
                   (const unsigned char *)x + i * parchunk_dtype_size(dtype),
                   parchunk_dtype_size(dtype));
        }
        break;
    }
    default: break;
    }
    pc_stat_merge(s, &c);
}

/* a = extreme of (a, b) through the extreme kernels (NaN rules included). */
static void merge_extreme(uint64_t *a, const uint64_t *b, parchunk_dtype dtype, bool is_min)
{
    size_t size = parchunk_dtype_size(dtype);
    unsigned char pair[16];
    memcpy(pair, a, size);
    memcpy(pair + size, b, size);
    (is_min ? pc_min : pc_max)(pair, 2, dtype, a);
}

void pc_stat_merge(pc_stat_state *a, const pc_stat_state *b)
{
    parchunk_dtype dtype = (parchunk_dtype)a->dtype;
    uint64_t a_n = a->n;
    a->n += b->n;
    switch (a->op) {
    case PARCHUNK_OP_SUM:
    case PARCHUNK_OP_MEAN:
        a->sum += b->sum;
        a->isum += b->isum;
        break;
    case PARCHUNK_OP_MIN:
    case PARCHUNK_OP_MAX: {
        bool is_min = a->op == PARCHUNK_OP_MIN;
        uint64_t *slot = is_min ? &a->min : &a->max;
        const uint64_t *other = is_min ? &b->min : &b->max;
        if (b->count > 0) {
            if (a->count == 0)
                *slot = *other;
            else
                merge_extreme(slot, other, dtype, is_min);
        }
        break;
    }
    case PARCHUNK_OP_VAR:
    case PARCHUNK_OP_STD:
    case PARCHUNK_OP_STATS:
        a->sum += b->sum;
        a->isum += b->isum;
        pc_moments_merge(&a->mom, &b->mom);
        if (a->op == PARCHUNK_OP_STATS && b->count > 0) {
            if (a->count == 0) {
                a->min = b->min;
                a->max = b->max;
            } else {
                merge_extreme(&a->min, &b->min, dtype, true);
                merge_extreme(&a->max, &b->max, dtype, false);
            }
        }
        break;
    case PARCHUNK_OP_ARGMIN:
    case PARCHUNK_OP_ARGMAX: {
        if (b->index < 0)
            break;
        bool is_min = a->op == PARCHUNK_OP_ARGMIN;
        uint64_t *slot = is_min ? &a->min : &a->max;
        const uint64_t *other = is_min ? &b->min : &b->max;
        bool take;
        if (a->index < 0)
            take = true;
        else if (pc_elem_isnan(slot, dtype))
            take = false; /* the first NaN wins */
        else if (pc_elem_isnan(other, dtype))
            take = true;
        else /* strictly better: ties keep the earlier index */
            take = is_min ? pc_elem_less(other, slot, dtype) : pc_elem_less(slot, other, dtype);
        if (take) {
            a->index = b->index + (int64_t)a_n;
            *slot = *other;
        }
        break;
    }
    default: break;
    }
    a->count += b->count;
}

/* ---- the engine's view --------------------------------------------------- */

static void ops_init(void *state, const void *job)
{
    pc_stat_init(state, job);
}

static parchunk_status ops_accumulate(void *state, const void *job_, size_t begin, size_t end)
{
    const pc_stat_job *job = job_;
    pc_stat_accumulate(state, job->data + begin * job->itemsize, end - begin);
    return PARCHUNK_OK;
}

static void ops_merge(void *left, const void *right, const void *job)
{
    PC_UNUSED(job);
    pc_stat_merge(left, right);
}

const pc_reduce_ops pc_stat_ops = {sizeof(pc_stat_state), ops_init, ops_accumulate, ops_merge};

parchunk_status pc_stat_run(pc_call *call, parchunk_op op, const void *data, size_t n,
                            parchunk_dtype dtype, uint32_t flags, pc_stat_state *out)
{
    pc_stat_job job = {data, parchunk_dtype_size(dtype), dtype, op, flags};
    return pc_reduce(call, n, &pc_stat_ops, &job, out);
}

/* ---- checks and finalize ------------------------------------------------- */

parchunk_status pc_stat_check_args(parchunk_ctx *ctx, int op, uint32_t flags, int64_t ddof)
{
    if (!pc_op_valid(op))
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "unknown op %d", op);
    if (flags & ~(uint32_t)PARCHUNK_SKIPNA)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "unknown flag bits 0x%x",
                           (unsigned)(flags & ~(uint32_t)PARCHUNK_SKIPNA));
    if (ddof < 0)
        return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "ddof must be >= 0, got %lld", (long long)ddof);
    return PARCHUNK_OK;
}

size_t pc_stat_result_size(int op, parchunk_dtype dtype)
{
    switch (op) {
    case PARCHUNK_OP_MIN:
    case PARCHUNK_OP_MAX: return parchunk_dtype_size(dtype);
    case PARCHUNK_OP_STATS: return sizeof(parchunk_stats_result);
    case PARCHUNK_OP_COUNT_NONZERO:
    case PARCHUNK_OP_ARGMIN:
    case PARCHUNK_OP_ARGMAX: return sizeof(int64_t);
    default: return sizeof(double);
    }
}

static void write_nan_elem(void *out, parchunk_dtype dtype)
{
    if (dtype == PARCHUNK_FLOAT32) {
        float v = NAN;
        memcpy(out, &v, sizeof v);
    } else {
        double v = NAN;
        memcpy(out, &v, sizeof v);
    }
}

parchunk_status pc_stat_finalize(parchunk_ctx *ctx, const pc_stat_state *s, int64_t ddof, void *out)
{
    parchunk_dtype dtype = (parchunk_dtype)s->dtype;
    bool is_float = pc_dtype_is_float(dtype), skip = skips_nan(s);
    double count = (double)s->count;
    double sum = is_float ? s->sum : (double)s->isum; /* one correct rounding */
    if (s->n == 0 && s->op != PARCHUNK_OP_SUM && s->op != PARCHUNK_OP_COUNT_NONZERO)
        return pc_arg_fail(ctx, PARCHUNK_ERR_EMPTY, "the input is empty (n is 0)");
    switch (s->op) {
    case PARCHUNK_OP_SUM: memcpy(out, &sum, sizeof sum); return PARCHUNK_OK;
    case PARCHUNK_OP_MEAN: {
        double v = s->count ? sum / count : NAN;
        memcpy(out, &v, sizeof v);
        return PARCHUNK_OK;
    }
    case PARCHUNK_OP_MIN:
    case PARCHUNK_OP_MAX:
        if (s->count == 0)
            write_nan_elem(out, dtype);
        else
            memcpy(out, s->op == PARCHUNK_OP_MIN ? &s->min : &s->max, parchunk_dtype_size(dtype));
        return PARCHUNK_OK;
    case PARCHUNK_OP_VAR:
    case PARCHUNK_OP_STD: {
        if (ddof < 0)
            return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "ddof must be >= 0, got %lld",
                               (long long)ddof);
        if (!skip && s->count <= (uint64_t)ddof)
            return pc_arg_fail(ctx, PARCHUNK_ERR_ARG,
                               "ddof (%lld) must be smaller than the number of elements (%llu)",
                               (long long)ddof, (unsigned long long)s->count);
        double v = s->count > (uint64_t)ddof ? s->mom.m2 / (count - (double)ddof) : NAN;
        if (s->op == PARCHUNK_OP_STD)
            v = sqrt(v);
        memcpy(out, &v, sizeof v);
        return PARCHUNK_OK;
    }
    case PARCHUNK_OP_STATS: {
        parchunk_stats_result r;
        bool any = s->count > 0;
        r.count = (int64_t)s->count;
        r.sum = sum;
        r.mean = any ? sum / count : NAN;
        r.var = any ? s->mom.m2 / count : NAN;
        r.min = any ? pc_elem_to_double(&s->min, dtype) : NAN;
        r.max = any ? pc_elem_to_double(&s->max, dtype) : NAN;
        memcpy(out, &r, sizeof r);
        return PARCHUNK_OK;
    }
    case PARCHUNK_OP_COUNT_NONZERO: {
        int64_t v = (int64_t)s->count;
        memcpy(out, &v, sizeof v);
        return PARCHUNK_OK;
    }
    case PARCHUNK_OP_ARGMIN:
    case PARCHUNK_OP_ARGMAX:
        if (s->index < 0)
            return pc_arg_fail(ctx, PARCHUNK_ERR_EMPTY, "every element is NaN");
        memcpy(out, &s->index, sizeof s->index);
        return PARCHUNK_OK;
    default: return pc_arg_fail(ctx, PARCHUNK_ERR_ARG, "unknown op %d", s->op);
    }
}

/* ---- serialisation: little-endian whatever the host ---------------------- */

enum {
    OFF_MAGIC = 0,
    OFF_VERSION = 4,
    OFF_OP = 5,
    OFF_DTYPE = 6,
    OFF_FLAGS = 7,
    OFF_N = 8,
    OFF_COUNT = 16,
    OFF_SUM = 24,
    OFF_ISUM_LO = 32,
    OFF_ISUM_HI = 40,
    OFF_MEAN_HI = 48,
    OFF_MEAN_LO = 56,
    OFF_M2 = 64,
    OFF_MIN = 72,
    OFF_MAX = 80,
    OFF_INDEX = 88,
    OFF_RESERVED = 96
};

static const unsigned char magic[4] = {'P', 'C', 'P', 'S'};

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_f64(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(p, v);
}

static double get_f64(const unsigned char *p)
{
    uint64_t v = get_u64(p);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

/* Element bytes as stored in memory (host order) <-> little-endian. */
static void put_elem(unsigned char *p, const uint64_t *raw, size_t size)
{
    unsigned char b[8] = {0};
    memcpy(b, raw, size);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < size / 2; i++) {
        unsigned char t = b[i];
        b[i] = b[size - 1 - i];
        b[size - 1 - i] = t;
    }
#endif
    memcpy(p, b, 8);
}

static void get_elem(const unsigned char *p, uint64_t *raw, size_t size)
{
    unsigned char b[8] = {0};
    memcpy(b, p, size);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < size / 2; i++) {
        unsigned char t = b[i];
        b[i] = b[size - 1 - i];
        b[size - 1 - i] = t;
    }
#endif
    *raw = 0;
    memcpy(raw, b, size);
}

void pc_stat_encode(const pc_stat_state *s, unsigned char *out)
{
    parchunk_dtype dtype = (parchunk_dtype)s->dtype;
    size_t size = parchunk_dtype_size(dtype);
    bool is_float = pc_dtype_is_float(dtype);
    int op = s->op;
    memset(out, 0, PARCHUNK_PARTIAL_STATE_SIZE);
    memcpy(out + OFF_MAGIC, magic, sizeof magic);
    out[OFF_VERSION] = PARCHUNK_PARTIAL_VERSION;
    out[OFF_OP] = s->op;
    out[OFF_DTYPE] = s->dtype;
    out[OFF_FLAGS] = s->flags;
    put_u64(out + OFF_N, s->n);
    put_u64(out + OFF_COUNT, s->count);
    bool sums = op == PARCHUNK_OP_SUM || op == PARCHUNK_OP_MEAN || uses_moments(op);
    if (sums && is_float)
        put_f64(out + OFF_SUM, s->sum);
    if (sums && !is_float) {
        put_u64(out + OFF_ISUM_LO, (uint64_t)s->isum);
        put_u64(out + OFF_ISUM_HI, (uint64_t)(s->isum >> 64));
    }
    if (uses_moments(op)) {
        put_f64(out + OFF_MEAN_HI, s->mom.mean_hi);
        put_f64(out + OFF_MEAN_LO, s->mom.mean_lo);
        put_f64(out + OFF_M2, s->mom.m2);
    }
    if (op == PARCHUNK_OP_MIN || op == PARCHUNK_OP_STATS || op == PARCHUNK_OP_ARGMIN)
        put_elem(out + OFF_MIN, &s->min, size);
    if (op == PARCHUNK_OP_MAX || op == PARCHUNK_OP_STATS || op == PARCHUNK_OP_ARGMAX)
        put_elem(out + OFF_MAX, &s->max, size);
    if (op == PARCHUNK_OP_ARGMIN || op == PARCHUNK_OP_ARGMAX)
        put_u64(out + OFF_INDEX, (uint64_t)s->index);
}

bool pc_stat_decode(const unsigned char *in, pc_stat_state *s)
{
    if (memcmp(in + OFF_MAGIC, magic, sizeof magic) != 0 ||
        in[OFF_VERSION] != PARCHUNK_PARTIAL_VERSION || !pc_op_valid(in[OFF_OP]) ||
        !pc_dtype_valid((parchunk_dtype)in[OFF_DTYPE]) ||
        (in[OFF_FLAGS] & ~(unsigned)PARCHUNK_SKIPNA) != 0)
        return false;
    for (int i = OFF_RESERVED; i < PARCHUNK_PARTIAL_STATE_SIZE; i++)
        if (in[i] != 0)
            return false;
    pc_stat_job job = {NULL, 0, (parchunk_dtype)in[OFF_DTYPE], (parchunk_op)in[OFF_OP],
                       in[OFF_FLAGS]};
    pc_stat_init(s, &job);
    size_t size = parchunk_dtype_size(job.dtype);
    int op = s->op;
    s->n = get_u64(in + OFF_N);
    s->count = get_u64(in + OFF_COUNT);
    if (s->n > (UINT64_C(1) << 63) || s->count > s->n)
        return false;
    s->sum = get_f64(in + OFF_SUM);
    s->isum = (pc_i128)(((pc_u128)get_u64(in + OFF_ISUM_HI) << 64) | get_u64(in + OFF_ISUM_LO));
    s->mom.count = uses_moments(op) ? s->count : 0;
    s->mom.mean_hi = get_f64(in + OFF_MEAN_HI);
    s->mom.mean_lo = get_f64(in + OFF_MEAN_LO);
    s->mom.m2 = get_f64(in + OFF_M2);
    get_elem(in + OFF_MIN, &s->min, size);
    get_elem(in + OFF_MAX, &s->max, size);
    if (op == PARCHUNK_OP_ARGMIN || op == PARCHUNK_OP_ARGMAX) {
        s->index = (int64_t)get_u64(in + OFF_INDEX);
        if (s->index < -1 || (s->index >= 0 && (uint64_t)s->index >= s->n))
            return false;
        if (s->index == -1 && s->count > 0)
            return false;
    }
    if (uses_moments(op) && s->mom.m2 < 0.0)
        return false; /* a sum of squares (the kernels clamp rounding); NaN passes */
    /* Only canonical states: the fields an op does not use and the padding of
     * min/max are zero (the documented layout), so a state that re-encodes to
     * other bytes is corrupt -- e.g. a float SUM state with isum bytes set. */
    unsigned char canon[PARCHUNK_PARTIAL_STATE_SIZE];
    pc_stat_encode(s, canon);
    return memcmp(canon, in, sizeof canon) == 0;
}
