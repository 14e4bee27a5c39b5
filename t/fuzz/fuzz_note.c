/* fuzz_note.c: libFuzzer target for so_note.c.
 *
 * The input is a Location value (cut at its first NUL).  The note
 * so_note_render gives must be the fixed text around two copies of the
 * escaped Location, its length as reported; the href attribute, read as
 * an HTML parser reads it (up to the first '"', character references
 * decoded), must be exactly the Location; and the link text likewise
 * (up to the first '<').  The escaped text holds no '<', '>', '"' or '\''
 * and every '&' starts a reference.  Violations abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apr_general.h"
#include "apr_pools.h"
#include "apr_strings.h"

#include "so_note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *process_pool;

static void check(int ok)
{
    if (!ok) {
        abort();
    }
}

/* Decode the references so_note_escape_html writes (and only those: any
 * other '&' means the escaping is broken) from text up to stop. */
static char *unescape(apr_pool_t *p, const char *text, char stop,
                      const char **end)
{
    static const struct {
        const char *ref;
        char c;
    } refs[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&#39;", '\'' },
    };
    char *out = apr_palloc(p, strlen(text) + 1), *o = out;
    const char *s = text;

    while (*s && *s != stop) {
        if (*s == '&') {
            size_t i, n = sizeof(refs) / sizeof(refs[0]);

            for (i = 0; i < n; i++) {
                if (!strncmp(s, refs[i].ref, strlen(refs[i].ref))) {
                    break;
                }
            }
            check(i < n);
            *o++ = refs[i].c;
            s += strlen(refs[i].ref);
            continue;
        }
        *o++ = *s++;
    }
    *o = '\0';
    *end = s;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char href_start[] = "<a href=\"";
    apr_pool_t *p;
    const char *location, *esc, *s, *a, *end;
    char *note;
    apr_size_t len = 0;

    if (process_pool == NULL) {
        if (apr_initialize() != APR_SUCCESS
            || apr_pool_create(&process_pool, NULL) != APR_SUCCESS) {
            abort();
        }
    }
    apr_pool_create(&p, process_pool);
    location = apr_pstrmemdup(p, (const char *)data, size);

    esc = so_note_escape_html(p, location);
    check(strpbrk(esc, "<>\"'") == NULL);
    check(strcmp(unescape(p, esc, '\0', &end), location) == 0);
    check(*end == '\0');

    note = so_note_render(p, location, &len);
    check(note != NULL && strlen(note) == len);
    check(!strncmp(note, "<!DOCTYPE html>\n", 16));
    check(len >= 25 && !strcmp(note + len - 25,
                               "</a>.</p>\n</body></html>\n"));
    /* exactly one link, and it is the Location */
    a = strstr(note, href_start);
    check(a != NULL && strstr(a + 1, "<a ") == NULL);
    s = a + sizeof(href_start) - 1;
    check(strcmp(unescape(p, s, '"', &end), location) == 0);
    check(end[0] == '"' && end[1] == '>');
    /* the link text is the Location too, up to the closing tag */
    check(strcmp(unescape(p, end + 2, '<', &end), location) == 0);
    check(!strncmp(end, "</a>.</p>", 9));
    /* nothing but the two escaped copies varies */
    check(len == strlen(esc) * 2 + 25 + (size_t)(a - note)
                 + sizeof(href_start) - 1 + 2);

    apr_pool_destroy(p);
    return 0;
}
