/* pool_guard_so.c: t/fuzz/pool_guard.c for a whole httpd, preloaded after
 * the ASan runtime by t/sanitize/httpd-asan when SO_POOL_GUARD=1.
 *
 * Every apr_palloc() becomes its own malloc() block, so that ASan sees a
 * write past the end of a pool piece (in the module, httpd or APR)
 * instead of letting it land in the next piece of the same 8 KiB pool
 * block; the blocks of a pool are freed when it is cleared or destroyed.
 * Thread-safe (one mutex), and each pool's pieces are kept on a list of
 * its own, found through a hash of the pool's address.
 *
 *   cc -shared -fPIC -O1 -g -o t/sanitize/pool_guard.so \
 *       t/sanitize/pool_guard_so.c -ldl -lpthread
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "apr_pools.h"

typedef struct piece {
    struct piece *next;
} piece;

typedef struct slot {
    const apr_pool_t *pool;          /* NULL: empty; TOMB: deleted */
    piece *pieces;
} slot;

#define TOMB ((const apr_pool_t *)1)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot *slots;
static size_t nslots, used;

static size_t hash_pool(const apr_pool_t *p)
{
    uintptr_t h = (uintptr_t)p;

    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29));
}

static slot *find(const apr_pool_t *p, int create);

static void grow(void)
{
    slot *old = slots;
    size_t n = nslots, i;

    nslots = nslots ? 2 * nslots : 1024;
    slots = calloc(nslots, sizeof(*slots));
    if (slots == NULL) {
        abort();
    }
    used = 0;
    for (i = 0; i < n; i++) {
        if (old[i].pool && old[i].pool != TOMB) {
            slot *s = find(old[i].pool, 1);

            s->pieces = old[i].pieces;
        }
    }
    free(old);
}

static slot *find(const apr_pool_t *p, int create)
{
    size_t i, tomb = (size_t)-1;

    if (create && 2 * (used + 1) > nslots) {
        grow();
    }
    if (nslots == 0) {
        return NULL;
    }
    for (i = hash_pool(p) & (nslots - 1); slots[i].pool;
         i = (i + 1) & (nslots - 1)) {
        if (slots[i].pool == p) {
            return &slots[i];
        }
        if (slots[i].pool == TOMB && tomb == (size_t)-1) {
            tomb = i;
        }
    }
    if (!create) {
        return NULL;
    }
    if (tomb != (size_t)-1) {
        i = tomb;
    }
    else {
        used++;
    }
    slots[i].pool = p;
    slots[i].pieces = NULL;
    return &slots[i];
}

void *apr_palloc(apr_pool_t *p, apr_size_t size)
{
    /* the link sits before the piece: ASan's redzone right after it */
    piece *pc = malloc(sizeof(piece) + (size ? size : 1));
    slot *s;

    if (pc == NULL) {
        abort();
    }
    pthread_mutex_lock(&lock);
    s = find(p, 1);
    pc->next = s->pieces;
    s->pieces = pc;
    pthread_mutex_unlock(&lock);
    return pc + 1;
}

static void release(const apr_pool_t *p)
{
    piece *pc = NULL, *next;
    slot *s;

    pthread_mutex_lock(&lock);
    if ((s = find(p, 0)) != NULL) {
        pc = s->pieces;
        s->pool = TOMB;
        s->pieces = NULL;
    }
    pthread_mutex_unlock(&lock);
    for (; pc; pc = next) {
        next = pc->next;
        free(pc);
    }
}

void apr_pool_destroy(apr_pool_t *p)
{
    static void (*real)(apr_pool_t *);

    if (real == NULL
        && (real = (void (*)(apr_pool_t *))dlsym(RTLD_NEXT,
                                                 "apr_pool_destroy"))
           == NULL) {
        abort();
    }
    real(p);
    release(p);
}

void apr_pool_clear(apr_pool_t *p)
{
    static void (*real)(apr_pool_t *);

    if (real == NULL
        && (real = (void (*)(apr_pool_t *))dlsym(RTLD_NEXT,
                                                 "apr_pool_clear"))
           == NULL) {
        abort();
    }
    real(p);
    release(p);
}
