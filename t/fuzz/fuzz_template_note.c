/* fuzz_template_note.c: libFuzzer target for the templates of so_note.c.
 *
 * The input is "location\ntemplate": the template is parsed; when it is
 * accepted it must be valid UTF-8 with a placeholder and at most 64 KiB,
 * and the rendered note must have the length announced (the template's
 * text with each placeholder replaced by the escaped location) and, for a
 * valid UTF-8 location, be valid UTF-8 itself.  A refused template must be one of
 * the three kinds of fault.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-lto \
 *       $(apr-1-config --cppflags --includes) -I. \
 *       t/fuzz/fuzz_template_note.c so_note.c \
 *       $(apr-1-config --link-ld --libs)
 *
 * Without clang, t/fuzz/replay.c runs a corpus through it.
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

static int holds(const char *s, apr_size_t len, const char *needle)
{
    apr_size_t n = strlen(needle), i;

    for (i = 0; i + n <= len; i++) {
        if (!memcmp(s + i, needle, n)) {
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *nl = memchr(data, '\n', size), *text, *err;
    char *location;
    apr_size_t text_len, len;
    so_note_template *tpl = NULL;
    char *note;
    int valid_loc;

    if (!process_pool) {
        apr_initialize();
        apr_pool_create(&process_pool, NULL);
    }
    apr_pool_create(&p, process_pool);
    if (!nl) {
        nl = (const char *)data + size;
    }
    /* a Location is a C string: it ends at a NUL byte */
    location = apr_pstrmemdup(p, (const char *)data,
                              (apr_size_t)(nl - (const char *)data));
    text = nl < (const char *)data + size ? nl + 1 : nl;
    text_len = (apr_size_t)((const char *)data + size - text);

    err = so_note_template_parse(p, text, text_len, &tpl);
    if (err) {
        check(text_len > SO_NOTE_TEMPLATE_MAX
              || so_note_utf8_valid_prefix((const unsigned char *)text,
                                           text_len) < text_len
              || !holds(text, text_len, SO_NOTE_PLACEHOLDER));
        apr_pool_destroy(p);
        return 0;
    }
    check(text_len <= SO_NOTE_TEMPLATE_MAX);
    check(so_note_template_slots(tpl) >= 1);
    check(holds(text, text_len, SO_NOTE_PLACEHOLDER));
    note = so_note_render_template(p, tpl, location, &len);
    check(note[len] == '\0');
    check(len == text_len - (apr_size_t)so_note_template_slots(tpl)
          * (sizeof(SO_NOTE_PLACEHOLDER) - 1)
          + (apr_size_t)so_note_template_slots(tpl)
            * strlen(so_note_escape_html(p, location)));
    valid_loc = so_note_utf8_valid_prefix((const unsigned char *)location,
                                          strlen(location))
                == strlen(location);
    if (valid_loc) {
        check(so_note_utf8_valid_prefix((const unsigned char *)note, len)
              == len);
    }
    /* the escaped Location holds none of the bytes that end an attribute
     * or start markup */
    check(!strpbrk(so_note_escape_html(p, location), "<>\"'"));
    apr_pool_destroy(p);
    return 0;
}
