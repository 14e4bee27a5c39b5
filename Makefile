# mod_see_other: build with apxs, test against a real httpd.
#   make            build .libs/mod_see_other.so (zero warnings: -Werror)
#   make install    install the module, docs and converter (DESTDIR-safe)
#   make deb        build the Debian package into build/ and run lintian
#   make test-package   install, enable, run and purge the package (root)
#   make test-browser   Post/Redirect/Get in a real browser (chromium)
#   make test       C unit tests and the Apache::Test suite
#   make unit       C unit tests and fuzz corpus replays only
#   make test-bounds  the hostile .htaccess and memory tests alone, with
#                   the slow many-tenant memory case (RSS figures in
#                   t/logs/rss.txt)
#   make fuzz       libFuzzer runs of every t/fuzz target (FUZZ_SECONDS each)
#   make test-asan  the suite against an ASan+UBSan build of the module
#   make test-valgrind  the suite with httpd -X under valgrind memcheck
#   make soak       wrk under graceful restarts, both MPMs (SOAK_SECONDS)
#   make run        start a demo httpd in the foreground on 127.0.0.1
#   make bench      compare with mod_alias, mod_rewrite and a static file

APXS    ?= /usr/bin/apxs
HTTPD   ?= /usr/sbin/apache2
WARN     = -Wall -Wextra -Werror
UNITS    = so_uri.c so_index.c so_template.c so_note.c so_map.c so_accept.c \
           so_format.c so_link.c
HEADERS  = $(UNITS:.c=.h)
MODULE   = .libs/mod_see_other.so
# The one version, for the module and the package (t/docs.t checks that
# debian/changelog agrees).
VERSION := $(shell cat VERSION)

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
GLUE     = mod_see_other.c so_config.c so_answer.c so_complete.c

$(MODULE): $(GLUE) $(MODEL) $(MODEL:.c=.h) so_config.h so_answer.h \
           so_complete.h \
           $(UNITS) $(HEADERS) VERSION
	@scripts/need-packages build
	$(APXS) -c $(addprefix -Wc$(,),$(WARN)) -Wc,-DSO_VERSION='\"$(VERSION)\"' \
	    -o mod_see_other.la $(GLUE) $(MODEL) $(UNITS)

, := ,

# make install: for systems without the Debian package.  DESTDIR-safe: it
# changes no configuration; load the module as README.md says.  On a
# Debian-style layout (SYSCONFDIR/mods-available) see_other.load and
# see_other.conf go there too, for a2enmod.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DOCDIR     ?= $(PREFIX)/share/doc/mod_see_other
LIBEXECDIR ?= $(shell $(APXS) -q LIBEXECDIR 2>/dev/null)
SYSCONFDIR ?= $(shell $(APXS) -q SYSCONFDIR 2>/dev/null)

install: $(MODULE)
	install -d $(DESTDIR)$(LIBEXECDIR)
	$(APXS) -i -S LIBEXECDIR=$(DESTDIR)$(LIBEXECDIR) -n see_other mod_see_other.la
	install -d $(DESTDIR)$(DOCDIR)/docs
	install -m 0644 README.md CHANGES LICENSE $(DESTDIR)$(DOCDIR)/
	install -m 0644 docs/*.md $(wildcard docs/*.svg) $(DESTDIR)$(DOCDIR)/docs/
	if [ -f see-other-convert ]; then \
	    install -D -m 0755 see-other-convert $(DESTDIR)$(BINDIR)/see-other-convert; \
	fi
	if [ -d $(SYSCONFDIR)/mods-available ]; then \
	    install -d $(DESTDIR)$(SYSCONFDIR)/mods-available; \
	    echo "LoadModule see_other_module $(LIBEXECDIR)/mod_see_other.so" \
	        >$(DESTDIR)$(SYSCONFDIR)/mods-available/see_other.load; \
	    install -m 0644 debian/see_other.conf $(DESTDIR)$(SYSCONFDIR)/mods-available/; \
	fi

# The Debian package: dpkg-buildpackage writes into the parent directory;
# the files are moved to build/ (build/libapache2-mod-see-other_VERSION_ARCH.deb).
DEB_FILES = libapache2-mod-see-other_$(VERSION)_ libapache2-mod-see-other-dbgsym_$(VERSION)_
deb:
	@scripts/need-packages deb
	@test "$$(dpkg-parsechangelog -S Version)" = "$(VERSION)" || \
	    { echo "debian/changelog is not at VERSION $(VERSION)" >&2; exit 1; }
	rm -f $(addprefix ../,$(addsuffix *,$(DEB_FILES)))
	dpkg-buildpackage -us -uc -b
	mkdir -p build
	rm -f build/libapache2-mod-see-other*
	mv $$(ls -d $(addprefix ../,$(addsuffix *,$(DEB_FILES))) 2>/dev/null) build/
	lintian --fail-on error --display-info build/libapache2-mod-see-other_$(VERSION)_*.changes

test-package:
	scripts/test-package

test-browser:
	scripts/test-browser

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
# (FUZZ_LIBS_NAME: what one target needs besides APR)
FUZZ_LIBS_rule = -lpcre2-8

# (t/fuzz/pool_guard.c: every apr_palloc its own malloc, so that ASan and
# valgrind see a piece's bounds, not just its pool block's)
t/fuzz/replay_%: t/fuzz/fuzz_%.c t/fuzz/replay.c t/fuzz/pool_guard.c \
                 $(UNITS) $(HEADERS)
	$(CC) -std=gnu99 -g $(WARN) $(APR_CFLAGS) -I. -o $@ $< t/fuzz/replay.c \
	    t/fuzz/pool_guard.c $(UNITS) $(APR_LIBS) $(FUZZ_LIBS_$*)

fuzz-replay: $(FUZZ_REPLAYS)
	@set -e; for n in $(FUZZ_NAMES); do \
	    printf 'corpus_%s: ' $$n; t/fuzz/replay_$$n t/fuzz/corpus_$$n; \
	done

unit: $(UNIT_TESTS) fuzz-replay

# libFuzzer builds of the same targets (clang): make fuzz runs each for
# FUZZ_SECONDS over a scratch copy of its corpus (t/fuzz/out/NAME/, the
# committed seeds read only); FUZZ_TARGETS picks some.  Findings are
# written to t/fuzz/out/ and stop the run.
FUZZ_CC      ?= clang
FUZZ_FLAGS    = -g -O1 -fsanitize=fuzzer,address,undefined -fno-lto \
                -fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_BINS     = $(addprefix t/fuzz/libfuzzer_,$(FUZZ_NAMES))

t/fuzz/libfuzzer_%: t/fuzz/fuzz_%.c t/fuzz/pool_guard.c $(UNITS) $(HEADERS)
	$(FUZZ_CC) -std=gnu99 $(FUZZ_FLAGS) $(WARN) $(APR_CFLAGS) -I. -o $@ $< \
	    t/fuzz/pool_guard.c $(UNITS) $(APR_LIBS) $(FUZZ_LIBS_$*)

fuzz-build: $(FUZZ_BINS)

fuzz:
	@scripts/need-packages fuzz
	$(MAKE) fuzz-build
	t/fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

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
# The suite under sanitizers (not part of make test).  test-asan builds the
# module with ASan and UBSan (the runtimes are preloaded into httpd by
# t/sanitize/httpd-asan) and removes it afterwards, so that the next make
# builds the plain one (apxs splits -Wc, at commas: one flag per
# sanitizer); t/sanitize/pool_guard.so, preloaded too, gives every
# apr_palloc a malloc block of its own, so that ASan sees pool pieces.
# test-valgrind runs httpd under memcheck (VALGRIND_X=1: httpd -X).
SAN_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address -fsanitize=undefined

test-asan:
	@scripts/need-packages asan
	$(MAKE) unit
	rm -f $(MODULE)
	$(APXS) -c $(addprefix -Wc$(,),$(WARN) $(SAN_FLAGS)) \
	    -Wc,-DSO_VERSION='\"$(VERSION)\"' \
	    -Wl,-fsanitize=address -Wl,-fsanitize=undefined \
	    -o mod_see_other.la $(GLUE) $(MODEL) $(UNITS)
	$(CC) -shared -fPIC -g -O1 $(WARN) $(APR_CFLAGS) \
	    -o t/sanitize/pool_guard.so t/sanitize/pool_guard_so.c -ldl -lpthread
	SO_POOL_GUARD=1 t/sanitize/run asan; rc=$$?; rm -f $(MODULE); exit $$rc

test-valgrind:
	@scripts/need-packages valgrind
	$(MAKE) all unit
	t/sanitize/run valgrind

# wrk under graceful restarts on the event and prefork MPMs (bench/soak:
# SOAK_SECONDS per phase, SOAK_MPMS, ...; report in bench/out/soak.txt).
soak:
	@scripts/need-packages soak
	$(MAKE) all
	bench/soak

run:
	@scripts/need-packages run
	$(MAKE) all
	scripts/demo

bench:
	@scripts/need-packages bench
	$(MAKE) all
	bench/run

clean:
	rm -rf build t/artifacts .libs debian/.debhelper debian/libapache2-mod-see-other \
	    debian/files debian/*.substvars debian/debhelper-build-stamp *.o *.lo *.la *.slo $(UNIT_TESTS) $(FUZZ_REPLAYS)
	rm -rf $(FUZZ_BINS) t/fuzz/out t/sanitize/pool_guard.so
	-perl t/TEST.PL -clean >/dev/null 2>&1

.PHONY: all install deb test-package test-browser unit fuzz-replay test test-bounds run bench clean

# see-other-convert (issue 12): mod_rewrite/mod_alias 303s to mod_see_other.
#   make test-convert   unit and golden tests, and the differential test on
#                       130 w3id.org namespaces (make test runs 14)
#   make convert-corpus W3ID=DIR   figures over a w3id.org checkout
#                       (git clone https://github.com/perma-id/w3id.org)
test-convert:
	@scripts/need-packages test
	$(MAKE) all
	perl t/TEST.PL -clean >/dev/null
	CONVERT_SET=sample perl t/TEST.PL t/convert.t t/convert_diff.t

convert-corpus:
	@test -n "$(W3ID)" || { echo "make convert-corpus W3ID=DIR (a checkout of github.com/perma-id/w3id.org)" >&2; exit 2; }
	bench/convert-corpus $(W3ID)
	bench/convert-corpus $(W3ID) --order=unknown | sed -n 2p
	bench/convert-corpus $(W3ID) --order=rewrite-first | sed -n 2p

# the differential test over every w3id.org namespace with a 303 rule
# (~870, ~15 minutes): make convert-diff-corpus W3ID=DIR
convert-diff-corpus: all
	@test -n "$(W3ID)" || { echo "make convert-diff-corpus W3ID=DIR (a checkout of github.com/perma-id/w3id.org)" >&2; exit 2; }
	bench/convert-diff-corpus $(W3ID)

.PHONY: test-convert convert-corpus convert-diff-corpus
.PHONY: fuzz fuzz-build test-asan test-valgrind soak
