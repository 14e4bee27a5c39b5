# mod_see_other: build with apxs, test against a real httpd.
#   make            build .libs/mod_see_other.so (zero warnings: -Werror)
#   make install    install and activate it with apxs
#   make test       C unit tests and the Apache::Test suite
#   make unit       C unit tests and fuzz corpus replays only
#   make test-bounds  the hostile .htaccess and memory tests alone, with
#                   the slow many-tenant memory case (RSS figures in
#                   t/logs/rss.txt)
#   make run        start a demo httpd in the foreground on 127.0.0.1
#   make bench      compare with mod_alias, mod_rewrite and a static file

APXS    ?= /usr/bin/apxs
HTTPD   ?= /usr/sbin/apache2
WARN     = -Wall -Wextra -Werror
UNITS    = so_uri.c so_index.c so_template.c so_note.c so_map.c so_accept.c
HEADERS  = $(UNITS:.c=.h)
MODULE   = .libs/mod_see_other.so

APR_CFLAGS = $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null)
APR_LIBS   = $(shell apr-1-config --link-ld --libs 2>/dev/null) \
             $(shell apu-1-config --link-ld --libs 2>/dev/null)
HTTPD_INC  = $(shell $(APXS) -q INCLUDEDIR 2>/dev/null)
CHECK      = $(shell pkg-config --cflags --libs check 2>/dev/null)
UNIT_TESTS = $(basename $(wildcard t/unit/test_*.c))
FUZZ_NAMES = $(patsubst t/fuzz/fuzz_%.c,%,$(wildcard t/fuzz/fuzz_*.c))
FUZZ_REPLAYS = $(addprefix t/fuzz/replay_,$(FUZZ_NAMES))

all: $(MODULE)

# layers above the pure units: the rule model and the per-process cache,
# configuration and request time, the hooks (see README.md, Layout)
MODEL    = so_model.c so_cache.c
GLUE     = mod_see_other.c so_config.c so_answer.c

$(MODULE): $(GLUE) $(MODEL) $(MODEL:.c=.h) so_config.h so_answer.h \
           $(UNITS) $(HEADERS)
	@scripts/need-packages build
	$(APXS) -c $(addprefix -Wc$(,),$(WARN)) -o mod_see_other.la \
	    $(GLUE) $(MODEL) $(UNITS)

, := ,

install: $(MODULE)
	$(APXS) -i -a -n see_other mod_see_other.la

t/unit/test_%: t/unit/test_%.c t/unit/unit.c t/unit/unit.h $(UNITS) $(HEADERS)
	$(CC) -std=gnu99 -g $(WARN) $(APR_CFLAGS) -I. -It/unit -o $@ $< \
	    t/unit/unit.c $(UNITS) $(CHECK) $(APR_LIBS)

# The rule model holds httpd's regex and expression types (headers only):
# it links with APR alone, like the pure units.
t/unit/test_model: t/unit/test_model.c t/unit/unit.c t/unit/unit.h \
                   so_model.c so_model.h $(UNITS) $(HEADERS)
	$(CC) -std=gnu99 -g $(WARN) $(APR_CFLAGS) -I$(HTTPD_INC) -I. -It/unit \
	    -o $@ $< t/unit/unit.c so_model.c $(UNITS) $(CHECK) $(APR_LIBS)

# Each fuzz target without clang: built with t/fuzz/replay.c and run over
# its corpus, t/fuzz/corpus_NAME/ (an input that breaks an invariant
# aborts).
t/fuzz/replay_%: t/fuzz/fuzz_%.c t/fuzz/replay.c $(UNITS) $(HEADERS)
	$(CC) -std=gnu99 -g $(WARN) $(APR_CFLAGS) -I. -o $@ $< t/fuzz/replay.c \
	    $(UNITS) $(APR_LIBS)

fuzz-replay: $(FUZZ_REPLAYS)
	@set -e; for n in $(FUZZ_NAMES); do \
	    printf 'corpus_%s: ' $$n; t/fuzz/replay_$$n t/fuzz/corpus_$$n; \
	done

unit: $(UNIT_TESTS) fuzz-replay

test:
	@scripts/need-packages test
	$(MAKE) all unit
	perl t/TEST.PL -clean >/dev/null
	perl t/TEST.PL

test-bounds:
	@scripts/need-packages test
	$(MAKE) all
	perl t/TEST.PL -conf >/dev/null
	SEE_OTHER_BOUNDS=1 perl t/TEST.PL t/htaccess_bounds.t t/htaccess_memory.t
	@cat t/logs/rss.txt

run:
	@scripts/need-packages run
	$(MAKE) all
	scripts/demo

bench:
	@scripts/need-packages bench
	$(MAKE) all
	bench/run

clean:
	rm -rf .libs *.o *.lo *.la *.slo $(UNIT_TESTS) $(FUZZ_REPLAYS)
	-perl t/TEST.PL -clean >/dev/null 2>&1

.PHONY: all install unit fuzz-replay test test-bounds run bench clean
