# mod_see_other: build with apxs, test against a real httpd.
#   make            build .libs/mod_see_other.so (zero warnings: -Werror)
#   make install    install and activate it with apxs
#   make test       C unit tests and the Apache::Test suite
#   make unit       C unit tests and fuzz corpus replays only
#   make run        start a demo httpd in the foreground on 127.0.0.1
#   make bench      compare with mod_alias, mod_rewrite and a static file

APXS    ?= /usr/bin/apxs
HTTPD   ?= /usr/sbin/apache2
WARN     = -Wall -Wextra -Werror
UNITS    = so_uri.c so_rule.c so_note.c so_map.c so_accept.c
HEADERS  = $(UNITS:.c=.h)
MODULE   = .libs/mod_see_other.so

APR_CFLAGS = $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null)
APR_LIBS   = $(shell apr-1-config --link-ld --libs 2>/dev/null) \
             $(shell apu-1-config --link-ld --libs 2>/dev/null)
CHECK      = $(shell pkg-config --cflags --libs check 2>/dev/null)
UNIT_TESTS = $(basename $(wildcard t/unit/test_*.c))
FUZZ_NAMES = $(patsubst t/fuzz/fuzz_%.c,%,$(wildcard t/fuzz/fuzz_*.c))
FUZZ_REPLAYS = $(addprefix t/fuzz/replay_,$(FUZZ_NAMES))

all: $(MODULE)

GLUE     = mod_see_other.c so_answer.c

$(MODULE): $(GLUE) see_other.h $(UNITS) $(HEADERS)
	@scripts/need-packages build
	$(APXS) -c $(addprefix -Wc$(,),$(WARN)) -o mod_see_other.la \
	    $(GLUE) $(UNITS)

, := ,

install: $(MODULE)
	$(APXS) -i -a -n see_other mod_see_other.la

t/unit/test_%: t/unit/test_%.c t/unit/unit.c t/unit/unit.h $(UNITS) $(HEADERS)
	$(CC) -std=gnu99 -g $(WARN) $(APR_CFLAGS) -I. -It/unit -o $@ $< \
	    t/unit/unit.c $(UNITS) $(CHECK) $(APR_LIBS)

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

.PHONY: all install unit fuzz-replay test run bench clean

# see-other-convert (issue 12): mod_rewrite/mod_alias 303s to mod_see_other.
#   make test-convert   unit and golden tests, and the differential test on
#                       130 w3id.org namespaces (make test runs 14)
#   make convert-corpus W3ID=DIR   figures over a w3id.org checkout
#                       (git clone https://github.com/perma-id/w3id.org)
BINDIR  ?= /usr/local/bin
install: install-convert
install-convert:
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 see-other-convert $(DESTDIR)$(BINDIR)/see-other-convert

test-convert:
	@scripts/need-packages test
	$(MAKE) all
	perl t/TEST.PL -clean >/dev/null
	CONVERT_SET=sample perl t/TEST.PL t/convert.t t/convert_diff.t

convert-corpus:
	@test -n "$(W3ID)" || { echo "make convert-corpus W3ID=DIR (a checkout of github.com/perma-id/w3id.org)" >&2; exit 2; }
	bench/convert-corpus $(W3ID)
	bench/convert-corpus $(W3ID) --order=see-other-first | sed -n 2p
	bench/convert-corpus $(W3ID) --order=rewrite-first | sed -n 2p

.PHONY: install-convert test-convert convert-corpus
