/* pool_guard.c: every apr_palloc() its own malloc() block, for the fuzz
 * targets.
 *
 * An APR pool hands out pieces of 8 KiB blocks: a write past the end of
 * one piece lands in the next, inside memory AddressSanitizer sees as
 * allocated, and goes unnoticed.  Linked into a fuzz target, this file
 * replaces apr_palloc (and so apr_pcalloc, a macro over it, and every
 * apr_pstr*, apr_array_*, apr_hash_* and apr_uri_parse allocation, which
 * reach it through the PLT) with malloc, so ASan puts a redzone after
 * every piece; the blocks of a pool are freed when the pool is cleared or
 * destroyed (apr_pool_clear and apr_pool_destroy are wrapped too, and
 * libapr destroys child pools through them).  apr_psprintf still writes
 * into the pool's own blocks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdlib.h>

#include "apr_pools.h"

typedef struct {
    const apr_pool_t *pool;
    void *mem;
} piece;

static piece *pieces;
static size_t npieces, cap;

void *apr_palloc(apr_pool_t *p, apr_size_t size)
{
    void *mem = malloc(size ? size : 1);

    if (mem == NULL) {
        abort();
    }
    if (npieces == cap) {
        cap = cap ? 2 * cap : 4096;
        pieces = realloc(pieces, cap * sizeof(*pieces));
        if (pieces == NULL) {
            abort();
        }
    }
    pieces[npieces].pool = p;
    pieces[npieces].mem = mem;
    npieces++;
    return mem;
}

static void release(const apr_pool_t *p)
{
    size_t i, kept = 0;

    for (i = 0; i < npieces; i++) {
        if (pieces[i].pool == p) {
            free(pieces[i].mem);
        }
        else {
            pieces[kept++] = pieces[i];
        }
    }
    npieces = kept;
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
    real(p);                 /* cleanups first: they may use the pieces */
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
