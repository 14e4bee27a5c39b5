#!/usr/bin/env python3
"""bench/gen.py: write one httpd configuration per benchmark scenario.

    gen.py --root DIR --module SO --port-from PORT [--only REGEX] [--list]

For each scenario NAME it makes DIR/NAME/ (the ServerRoot: httpd.conf,
htdocs/, maps) and appends one line to DIR/manifest:

    NAME PORT PATH STATUS EXPECT

PATH is the request every measurement sends; EXPECT is the Location a 303
must carry (absolute; a "/path" Location is resolved against the server
before comparing) or, for a 200, the body.  Every scenario hits its LAST
rule.  All configurations load the same modules (prefork, authz_core, mime,
alias, rewrite, see_other) so that each pays the same empty-hook costs; they
differ only in their rules.

The scenario "empty" (no rules, no request) is the configtest baseline.
--only keeps the references the tables are relative to (empty, static,
alias-1, rewrite-1, so-lit-1) whatever it says.
Python standard library only.
"""
import argparse
import os
import re
import socket
import subprocess
import sys

APACHE_MODULES = "/usr/lib/apache2/modules"
REFERENCES = ("empty", "static", "alias-1", "rewrite-1", "so-lit-1")
# A 3-byte file.
STATIC_BODY = "ok\n"
NEG_TYPES = ("text/html", "application/rdf+xml", "text/turtle",
             "application/n-triples", "application/ld+json")
NEG_TARGETS = ("html", "rdf", "ttl", "nt", "jsonld")


def scenarios():
    """(name, builder, arg) in the order the tables list them."""
    s = [("empty", build_empty, None), ("static", build_static, None)]
    s += [("so-lit-%d" % n, build_so_lit, n) for n in (1, 100, 10000, 100000)]
    s += [("so-map-txt", build_so_map, "txt"), ("so-map-dbm", build_so_map, "dbm")]
    s += [("so-match-%d" % n, build_so_match, n) for n in (100, 10000)]
    s += [("so-neg-5", build_so_neg, 5), ("so-neg-5-alt", build_so_neg_alt, 5)]
    s += [("alias-%d" % n, build_alias, n) for n in (1, 100, 10000, 100000)]
    s += [("aliasmatch-%d" % n, build_aliasmatch, n) for n in (100, 10000)]
    s += [("rewrite-%d" % n, build_rewrite, n) for n in (1, 100, 10000)]
    s += [("rewritemap-%d" % n, build_rewritemap, n) for n in (1, 10000)]
    s += [("static-all", build_note_all, "static"),
          ("asis-on", build_asis, "on"), ("asis-all", build_asis, "all")]
    s += [("so-htaccess", build_htaccess, "so"),
          ("alias-htaccess", build_htaccess, "alias"),
          ("core-htaccess", build_htaccess, "core")]
    return s


# ---------------------------------------------------------------- builders
# Each gets a Scenario and returns (rules for httpd.conf, path, status,
# expect); it may write files under sc.root.

class Scenario:
    def __init__(self, name, root, port, module):
        self.name, self.root, self.port, self.module = name, root, port, module
        self.override = "None"

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path


def build_empty(sc, _):
    return "", "-", "-", "-"


def build_static(sc, _):
    return "", "/f.txt", 200, STATIC_BODY


def build_so_lit(sc, n):
    rules = "".join("SeeOther /r/k%d /t/k%d\n" % (i, i) for i in range(n))
    return rules, "/r/k%d" % (n - 1), 303, sc.url("/t/k%d" % (n - 1))


def map_text(n):
    return "".join("k%d /t/k%d\n" % (i, i) for i in range(n))


def build_so_map(sc, kind):
    n = 100000
    txt = sc.write("map.txt", map_text(n))
    if kind == "dbm":
        dbm = os.path.join(sc.root, "map.dbm")
        subprocess.run(["httxt2dbm", "-i", txt, "-o", dbm], check=True,
                       stdout=subprocess.DEVNULL)
        os.unlink(txt)
        rules = "SeeOtherMap /r dbm:%s\n" % dbm
    else:
        rules = "SeeOtherMap /r txt:%s\n" % txt
    return rules, "/r/k%d" % (n - 1), 303, sc.url("/t/k%d" % (n - 1))


def build_so_match(sc, n):
    rules = "".join("SeeOtherMatch ^/m/k%d/(.*)$ /t/k%d/$1\n" % (i, i)
                    for i in range(n))
    return rules, "/m/k%d/x" % (n - 1), 303, sc.url("/t/k%d/x" % (n - 1))


def build_so_neg(sc, n):
    # The browser's Accept header (sent with every request of every
    # scenario) prefers text/html: the group picks the first rule.
    rules = "".join("SeeOther /n/x /t/%s accept=%s\n" % (t, m)
                    for m, t in zip(NEG_TYPES[:n], NEG_TARGETS[:n]))
    return rules, "/n/x", 303, sc.url("/t/html")


def build_so_neg_alt(sc, n):
    # so-neg-5 with SeeOtherAlternates on: a Link entry per type
    rules, path, status, expect = build_so_neg(sc, n)
    return "SeeOtherAlternates on\n" + rules, path, status, expect


def build_alias(sc, n):
    rules = "".join("Redirect seeother /r/k%d %s\n" % (i, sc.url("/t/k%d" % i))
                    for i in range(n))
    return rules, "/r/k%d" % (n - 1), 303, sc.url("/t/k%d" % (n - 1))


def build_aliasmatch(sc, n):
    rules = "".join("RedirectMatch 303 ^/r/k%d$ /t/k%d\n" % (i, i)
                    for i in range(n))
    return rules, "/r/k%d" % (n - 1), 303, sc.url("/t/k%d" % (n - 1))


def build_rewrite(sc, n):
    rules = "RewriteEngine On\n" + "".join(
        "RewriteRule ^/r/k%d$ /t/k%d [R=303,L]\n" % (i, i) for i in range(n))
    return rules, "/r/k%d" % (n - 1), 303, sc.url("/t/k%d" % (n - 1))


def build_rewritemap(sc, n):
    txt = sc.write("map.txt", map_text(n))
    rules = ("RewriteEngine On\n"
             "RewriteMap m txt:%s\n"
             "RewriteRule ^/r/(.*)$ ${m:$1|/not-in-map} [R=303,L]\n" % txt)
    return rules, "/r/k%d" % (n - 1), 303, sc.url("/t/k%d" % (n - 1))


def build_note_all(sc, _):
    """The static file with SeeOtherNote all: the cost of the completion
    filter on an answer that is not a 303 (against "static")."""
    return "SeeOtherNote all\n", "/f.txt", 200, STATIC_BODY


def build_asis(sc, note):
    """A 200 from a handler (mod_asis), with SeeOtherNote on or all: the
    completion filter's cost on a handler's answer (asis-all vs asis-on;
    mod_asis is loaded in both, and only there)."""
    sc.write("htdocs/f.asis", "Status: 200 OK\nContent-Type: text/plain\n\n"
             + STATIC_BODY)
    rules = ("LoadModule asis_module %s/mod_asis.so\n"
             "AddHandler send-as-is asis\n"
             "SeeOtherNote %s\n" % (APACHE_MODULES, note))
    return rules, "/f.asis", 200, STATIC_BODY


def build_htaccess(sc, kind):
    """A .htaccess of 120 lines in the DocumentRoot: 100 literal + 20
    regex redirects (so, alias) or 120 lines of a core FileInfo directive
    (core: httpd's own parsing cost, answering the static file)."""
    if kind == "so":
        lines = ["SeeOther /r/k%d /t/k%d" % (i, i) for i in range(100)]
        lines += ["SeeOtherMatch ^/m/k%d/(.*)$ /t/k%d/$1" % (i, i)
                  for i in range(20)]
    elif kind == "alias":
        lines = ["Redirect seeother /r/k%d %s" % (i, sc.url("/t/k%d" % i))
                 for i in range(100)]
        lines += ["RedirectMatch 303 ^/m/k%d/(.*)$ /t/k%d/$1" % (i, i)
                  for i in range(20)]
    else:
        lines = ["AddDefaultCharset Off"] * 120
    sc.write("htdocs/.htaccess", "\n".join(lines) + "\n")
    sc.override = "FileInfo"
    if kind == "core":
        return "", "/f.txt", 200, STATIC_BODY
    return "", "/m/k19/x", 303, sc.url("/t/k19/x")


# ---------------------------------------------------------------- config

BASE = """\
# mod_see_other benchmark scenario {name} (generated by bench/gen.py)
ServerRoot {root}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
LogLevel warn
LoadModule mpm_prefork_module {mods}/mod_mpm_prefork.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule mime_module {mods}/mod_mime.so
LoadModule alias_module {mods}/mod_alias.so
LoadModule rewrite_module {mods}/mod_rewrite.so
LoadModule see_other_module {module}
{user}
# wrk keeps 8 connections alive: 8 busy children plus spares, and no
# child started or stopped while measuring.
StartServers 12
MinSpareServers 1
MaxSpareServers 32
ServerLimit 32
MaxRequestWorkers 32
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 5
TypesConfig /etc/mime.types
# httpd's default mmap()s every file it serves; on this VM the munmap()
# (TLB shootdown across CPUs) costs several times the rest of a request and
# would make the static references measure the hypervisor, not httpd.
EnableMMAP Off
DocumentRoot {root}/htdocs
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
<Directory {root}/htdocs>
    AllowOverride {override}
    Require all granted
</Directory>

# ---- rules
"""


def free_port(start, taken):
    port = start
    while True:
        if port not in taken:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind(("127.0.0.1", port))
                    taken.add(port)
                    return port
                except OSError:
                    pass
        port += 1
        if port > 65000:
            sys.exit("gen.py: no free port")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root")
    ap.add_argument("--module")
    ap.add_argument("--port-from", type=int, default=18300)
    ap.add_argument("--only")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()

    chosen = [s for s in scenarios()
              if not a.only or s[0] in REFERENCES or re.search(a.only, s[0])]
    if a.list:
        print("\n".join(s[0] for s in chosen))
        return
    if not a.root or not a.module:
        ap.error("--root and --module are required")
    user = ("User www-data\nGroup www-data" if os.geteuid() == 0 else "")
    taken = set()
    manifest = []
    for name, build, arg in chosen:
        root = os.path.join(a.root, name)
        os.makedirs(os.path.join(root, "htdocs"))
        port = free_port(a.port_from, taken)
        sc = Scenario(name, root, port, a.module)
        sc.write("htdocs/f.txt", STATIC_BODY)
        rules, path, status, expect = build(sc, arg)
        conf = BASE.format(name=name, root=root, port=port,
                           mods=APACHE_MODULES, module=a.module, user=user,
                           override=sc.override) + rules
        sc.write("httpd.conf", conf)
        manifest.append("%s %d %s %s %s" % (name, port, path, status,
                                            expect.strip() or "-"))
    with open(os.path.join(a.root, "manifest"), "w") as f:
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
