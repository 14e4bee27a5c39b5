#!/usr/bin/env python3
"""bench/report.py: the tables and the issue-3 targets from bench/run's
raw results.  Standard library only.

    report.py --results FILE --manifest FILE --rounds R --duration S --ct-runs C
              [--svg FILE]

--svg FILE draws instructions per request against the number of rules (or
map entries), one line per peer, with gnuplot (Debian's gnuplot-nox), as
an SVG picture; docs/performance.md shows one.  Redraw it from a saved run:

    bench/report.py --results bench/out/latest.raw \
        --manifest bench/out/latest.manifest --svg docs/bench-scaling.svg

Result lines (one measurement each):
    ct NAME RUN SECONDS        apache2 -t wall time
    start NAME SECONDS         launch until /f.txt answers 200
    rps NAME ROUND REQ/S       wrk
    rss NAME KB CHILDREN       largest child VmRSS after the rounds
    ir NAME A B IR_A IR_B      callgrind totals after A and B requests
    irskip NAME                not run under callgrind (--quick)
"""
import argparse
import os
import statistics
import subprocess
import tempfile
from collections import defaultdict

DESCRIBE = {
    "empty": "no rules, no request (configtest baseline)",
    "static": "httpd static 3-byte file",
    "so-lit-1": "SeeOther, 1 literal rule",
    "so-lit-100": "SeeOther, 100 literal rules",
    "so-lit-10000": "SeeOther, 10,000 literal rules",
    "so-lit-100000": "SeeOther, 100,000 literal rules",
    "so-map-txt": "SeeOtherMap txt, 100,000 entries",
    "so-map-dbm": "SeeOtherMap dbm, 100,000 entries",
    "so-match-100": "SeeOtherMatch, 100 prefixed regexes",
    "so-match-10000": "SeeOtherMatch, 10,000 prefixed regexes",
    "so-neg-5": "SeeOther, group of 5 accept= types",
    "so-neg-5-alt": "the same, SeeOtherAlternates on",
    "alias-1": "mod_alias Redirect seeother, 1",
    "alias-100": "mod_alias Redirect seeother, 100",
    "alias-10000": "mod_alias Redirect seeother, 10,000",
    "alias-100000": "mod_alias Redirect seeother, 100,000",
    "aliasmatch-100": "mod_alias RedirectMatch 303, 100",
    "aliasmatch-10000": "mod_alias RedirectMatch 303, 10,000",
    "rewrite-1": "mod_rewrite RewriteRule [R=303], 1",
    "rewrite-100": "mod_rewrite RewriteRule [R=303], 100",
    "rewrite-10000": "mod_rewrite RewriteRule [R=303], 10,000",
    "rewritemap-1": "mod_rewrite RewriteMap txt, 1 entry",
    "rewritemap-10000": "mod_rewrite RewriteMap txt, 10,000",
    "static-all": "static file, SeeOtherNote all",
    "asis-on": "200 from a handler (mod_asis), SeeOtherNote on",
    "asis-all": "200 from a handler (mod_asis), SeeOtherNote all",
    "so-htaccess": ".htaccess: 100 SeeOther + 20 SeeOtherMatch",
    "alias-htaccess": ".htaccess: 100 Redirect + 20 RedirectMatch",
    "core-htaccess": ".htaccess: 120 x AddDefaultCharset (floor)",
}
ENTRIES = {"so-lit-10000": 10000, "so-lit-100000": 100000,
           "alias-10000": 10000, "alias-100000": 100000,
           "so-map-txt": 100000, "so-map-dbm": 100000}

# The scaling picture: one line per peer, (scenario, number of rules or
# map entries) points.
PEERS = [
    ("SeeOther (literal URL-paths)",
     [("so-lit-1", 1), ("so-lit-100", 100), ("so-lit-10000", 10000),
      ("so-lit-100000", 100000)]),
    ("SeeOtherMatch (prefixed regexes)",
     [("so-match-100", 100), ("so-match-10000", 10000)]),
    ("SeeOtherMap txt (entries)", [("so-map-txt", 100000)]),
    ("SeeOtherMap dbm (entries)", [("so-map-dbm", 100000)]),
    ("Redirect seeother (mod\\_alias)",
     [("alias-1", 1), ("alias-100", 100), ("alias-10000", 10000),
      ("alias-100000", 100000)]),
    ("RedirectMatch 303 (mod\\_alias)",
     [("aliasmatch-100", 100), ("aliasmatch-10000", 10000)]),
    ("RewriteRule [R=303] (mod\\_rewrite)",
     [("rewrite-1", 1), ("rewrite-100", 100), ("rewrite-10000", 10000)]),
    ("RewriteMap txt (entries)",
     [("rewritemap-1", 1), ("rewritemap-10000", 10000)]),
]


def draw_svg(ir, path):
    """Instructions per request against rules, log-log, with gnuplot."""
    series = []
    for title, points in PEERS:
        pts = [(n, ir[name]) for name, n in points if name in ir]
        if pts:
            series.append((title, pts))
    if not series:
        raise SystemExit("report.py: no callgrind figures to draw")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "scaling.dat")
        with open(data, "w") as f:
            for title, pts in series:
                f.write("# %s\n" % title)
                for n, v in pts:
                    f.write("%d %.1f\n" % (n, v))
                f.write("\n\n")
        plots = []
        for i, (title, pts) in enumerate(series):
            style = "linespoints" if len(pts) > 1 else "points"
            plots.append("'%s' index %d using 1:2 with %s ls %d title '%s'"
                         % (data, i, style, i + 1, title.replace("'", "''")))
        script = "\n".join([
            "set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'",
            "set output '%s'" % path.replace("'", "''"),
            "set title 'Instructions per request against number of rules (callgrind)'",
            "set xlabel 'rules (map entries for the maps)'",
            "set ylabel 'instructions per request (Ir)'",
            "set logscale xy",
            "set format x '10^{%L}'",
            "set format y '10^{%L}'",
            "set yrange [10000:100000000]",
            "set xrange [0.5:300000]",
            "set grid",
            "set key top left box opaque samplen 3 spacing 1.1",
            "set style line 1 lc rgb '#0072b2' lw 3 pt 7 ps 1.2",
            "set style line 2 lc rgb '#56b4e9' lw 3 pt 5 ps 1.2",
            "set style line 3 lc rgb '#009e73' lw 2 pt 9 ps 1.8",
            "set style line 4 lc rgb '#004d40' lw 2 pt 11 ps 1.8",
            "set style line 5 lc rgb '#d55e00' lw 2 pt 6 ps 1.2 dt 2",
            "set style line 6 lc rgb '#e69f00' lw 2 pt 4 ps 1.2 dt 2",
            "set style line 7 lc rgb '#cc79a7' lw 2 pt 8 ps 1.2 dt 4",
            "set style line 8 lc rgb '#7f7f7f' lw 2 pt 10 ps 1.2 dt 4",
            "plot " + ", \\\n     ".join(plots),
            "",
        ])
        subprocess.run(["gnuplot"], input=script, text=True, check=True)


def num(x, digits=0):
    if x is None:
        return "-"
    return "{:,.{}f}".format(x, digits)


def ratio(x):
    if x is None:
        return "-"
    return "%.3f" % x if x < 0.1 else "%.2f" % x


def table(title, note, header, rows, align):
    """align: a string of 'l'/'r', one per column."""
    out = [title]
    if note:
        out += ["  " + line for line in note]
    cells = [header] + rows
    width = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def fmt(r):
        return "  " + "  ".join(
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(r, width, align)).rstrip()
    out.append(fmt(header))
    out.append("  " + "  ".join("-" * w for w in width))
    out += [fmt(r) for r in rows]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--duration")
    ap.add_argument("--ct-runs", type=int)
    ap.add_argument("--svg", help="draw the scaling picture into this file")
    a = ap.parse_args()

    names = []
    with open(a.manifest) as f:
        for line in f:
            if line.strip():
                names.append(line.split()[0])
    served = [n for n in names if n != "empty"]

    ct = defaultdict(list)
    start = {}
    rps = defaultdict(dict)        # name -> round -> req/s
    rss = {}
    anon = {}                      # name -> RssAnon KiB
    ir = {}
    irrun = {}
    irskip = set()
    with open(a.results) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "ct":
                ct[w[1]].append(float(w[3]))
            elif w[0] == "start":
                start[w[1]] = float(w[2])
            elif w[0] == "rps":
                rps[w[1]][int(w[2])] = float(w[3])
            elif w[0] == "rss":
                rss[w[1]] = int(w[2])
                if len(w) > 4:
                    anon[w[1]] = int(w[4])
            elif w[0] == "ir":
                n, ca, cb, ia, ib = w[1], int(w[2]), int(w[3]), int(w[4]), int(w[5])
                ir[n] = (ib - ia) / (cb - ca)
                irrun[n] = (ca, cb)
            elif w[0] == "irskip":
                irskip.add(w[1])

    out = []

    # ---- 1. requests per second
    def med_ratio(n, ref):
        if ref not in rps or n not in rps:
            return None
        rs = [rps[n][r] / rps[ref][r] for r in rps[n] if r in rps[ref]]
        return statistics.median(rs) if rs else None
    rows = []
    for n in served:
        if n not in rps:
            continue
        v = list(rps[n].values())
        rows.append([n, DESCRIBE.get(n, ""), num(statistics.median(v)),
                     num(min(v)), num(max(v)), ratio(med_ratio(n, "alias-1")),
                     ratio(med_ratio(n, "rewrite-1"))])
    out.append(table(
        "1. Requests per second (wrk, median of %s rounds of %s s; ratios: "
        "median of the same-round ratios)" % (a.rounds, a.duration),
        None,
        ["scenario", "what", "req/s", "min", "max", "x alias-1", "x rewrite-1"],
        rows, "llrrrrr"))

    # ---- 2. instructions per request
    rows = []
    for n in served:
        if n in ir:
            ca, cb = irrun[n]
            rows.append([n, num(ir[n]),
                         ratio(ir[n] / ir["alias-1"]) if "alias-1" in ir else "-",
                         ratio(ir[n] / ir["so-lit-1"]) if "so-lit-1" in ir else "-",
                         "%d/%d" % (ca, cb)])
        elif n in irskip:
            rows.append([n, "skipped", "", "", "(--quick)"])
    out.append(table(
        "2. Instructions per request (callgrind Ir, httpd -X, one "
        "connection per request; (Ir after B - Ir after A) / (B - A))",
        ["Ir counted from accept() to lingering close of each connection; "
         "start-up, shutdown and the",
         "prefork loop between connections (~2,000 Ir, the same for all) "
         "are left out."], ["scenario", "Ir/request", "x alias-1", "x so-lit-1", "A/B"],
        rows, "lrrrr"))

    # ---- 3. configtest and start-up
    ctm = {n: statistics.median(v) for n, v in ct.items()}
    rows = []
    for n in names:
        if n not in ctm:
            continue
        rows.append([n, num(ctm[n] * 1000, 1),
                     ratio(ctm[n] / ctm["empty"]) if "empty" in ctm else "-",
                     num(start[n], 2) if n in start else "-"])
    out.append(table(
        "3. Configuration time (apache2 -t wall time, median of %s; "
        "start: launch until it answers)" % a.ct_runs,
        None, ["scenario", "configtest ms", "x empty", "start s"],
        rows, "lrrr"))

    # ---- 4. child RSS
    rows = []
    base = rss.get("so-lit-1")
    abase = anon.get("so-lit-1")
    for n in served:
        if n not in rss:
            continue
        growth = per = aper = "-"
        if base is not None and n != "so-lit-1":
            growth = num(rss[n] - base)
            if n in ENTRIES:
                per = num((rss[n] - base) * 1024 / ENTRIES[n])
                if n in anon and abase is not None:
                    aper = num((anon[n] - abase) * 1024 / ENTRIES[n])
        rows.append([n, num(rss[n]), growth, per,
                     num(anon[n]) if n in anon else "-", aper])
    out.append(table(
        "4. Child memory (VmRSS of the largest httpd child after the wrk "
        "rounds, KiB; RssAnon: its anonymous part, without shared library "
        "pages)", None,
        ["scenario", "VmRSS KiB", "vs so-lit-1 KiB", "B/entry",
         "RssAnon KiB", "anon B/entry"],
        rows, "lrrrrr"))

    # ---- summary: issue 3 targets
    lines = []

    def check(label, value, limit, fmt, ok, detail):
        if value is None or limit is None:
            lines.append("  n/a   %s (not measured in this run)" % label)
            return
        lines.append("  %s  %s: %s" % ("PASS" if ok(value, limit) else "MISS",
                                        label, detail % (fmt(value), fmt(limit))))
    le = lambda v, l: v <= l
    ge = lambda v, l: v >= l
    g = ir.get
    check("1 rule Ir/request <= mod_alias Redirect (alias-1)",
          g("so-lit-1"), g("alias-1"), num, le, "so-lit-1 %s vs alias-1 %s")
    check("1 rule req/s ratio to alias-1 >= 1.0",
          med_ratio("so-lit-1", "alias-1") if "so-lit-1" in rps else None,
          1.0 if "alias-1" in rps else None, ratio, ge,
          "so-lit-1 / alias-1 = %s (target %s); median req/s "
          + "%s vs %s" % (num(statistics.median(rps["so-lit-1"].values()))
                          if "so-lit-1" in rps else "-",
                          num(statistics.median(rps["alias-1"].values()))
                          if "alias-1" in rps else "-"))
    one = g("so-lit-1")
    for n, what in (("so-lit-100000", "100,000 literal rules"),
                    ("so-map-txt", "100,000-entry txt map"),
                    ("so-map-dbm", "100,000-entry dbm map")):
        check("%s Ir/request <= 1.05 x 1 rule" % what, g(n),
              1.05 * one if one else None, num, le,
              "%s %%s vs limit %%s (%s)" % (
                  n, "%s x so-lit-1" % ratio(g(n) / one) if g(n) and one else ""))
    check("10,000 SeeOtherMatch Ir/request <= 2 x 1 rule", g("so-match-10000"),
          2 * one if one else None, num, le,
          "so-match-10000 %%s vs limit %%s (%s)" % (
              "%s x so-lit-1" % ratio(g("so-match-10000") / one)
              if g("so-match-10000") and one else ""))
    # issue 10: SeeOtherNote all costs answers that are not 303 <= 1 %
    for n, ref, what in (("static-all", "static", "a static file"),
                         ("asis-all", "asis-on", "a 200 from a handler")):
        check("SeeOtherNote all on %s: Ir/request <= 1.01 x on (%s)"
              % (what, ref), g(n), 1.01 * g(ref) if g(ref) else None, num, le,
              "%s %%s vs limit %%s (%s)" % (
                  n, "%+.2f %%%% over %s" % (100 * (g(n) / g(ref) - 1), ref)
                  if g(n) and g(ref) else ""))
    # issue 11: negotiation and alternates
    neg = g("so-neg-5")
    check("5-type negotiated group Ir/request <= 1.05 x 1 rule", neg,
          1.05 * one if one else None, num, le,
          "so-neg-5 %%s vs limit %%s (%s)" % (
              "%s x so-lit-1" % ratio(neg / one) if neg and one else ""))
    alt = g("so-neg-5-alt")
    check("alternates on Ir/request <= 1.1 x off", alt,
          1.1 * neg if neg else None, num, le,
          "so-neg-5-alt %%s vs limit %%s (%s)" % (
              "%s x so-neg-5" % ratio(alt / neg) if alt and neg else ""))
    ah = g("alias-htaccess")
    check(".htaccess 100+20 rules Ir/request <= 0.7 x mod_alias .htaccess",
          g("so-htaccess"), 0.7 * ah if ah else None, num, le,
          "so-htaccess %%s vs limit %%s (alias-htaccess %s)" % num(ah))
    for n in ("so-map-txt", "so-map-dbm"):
        v = ctm.get(n)
        e = ctm.get("empty")
        check("%s configtest <= 2 x empty config" % n,
              v * 1000 if v else None, 2000 * e if e else None,
              lambda x: num(x, 1) + " ms", le,
              "%%s vs limit %%s (%s x empty)" % (ratio(v / e) if v and e else "-"))
    # issue 3 sets the memory target for maps; literal rules are reported
    for n in ("so-map-txt", "so-map-dbm"):
        per = ((rss[n] - base) * 1024 / ENTRIES[n]
               if n in rss and base is not None else None)
        check("%s child RSS growth <= 200 B/entry" % n, per,
              200 if per is not None else None, lambda x: num(x) + " B", le,
              "%%s per entry over so-lit-1 (limit %%s; %s KiB vs %s KiB)" % (
                  num(rss.get(n)), num(base)))
    # issue 7: many SeeOther directives cost no more than as many Redirects
    for k in ("10000", "100000"):
        so, al = ctm.get("so-lit-" + k), ctm.get("alias-" + k)
        check("%s,000 SeeOther configtest <= 1.2 x as many Redirects"
              % k[:-3], so * 1000 if so else None,
              1200 * al if al else None, lambda x: num(x, 1) + " ms", le,
              "so-lit-%s %%s vs limit %%s (%s x alias-%s)" % (
                  k, ratio(so / al) if so and al else "-", k))
    # anonymous memory: VmRSS also counts the library pages a child has
    # touched, which move by ~15 B a rule at 10,000 from run to run
    for k in ("10000", "100000"):
        so, al = "so-lit-" + k, "alias-" + k
        per = {n: (anon[n] - abase) * 1024 / ENTRIES[n]
               for n in (so, al) if n in anon and abase is not None}
        check("%s,000 SeeOther child memory (RssAnon) per rule <= a "
              "Redirect's" % k[:-3],
              per.get(so), per.get(al), lambda x: num(x) + " B", le,
              "%s %%s vs %s %%s (over so-lit-1)" % (so, al))
    info = []
    if g("so-neg-5") and one:
        info.append("  info  negotiation (issue 4): so-neg-5 %s Ir/request, "
                    "so-lit-1 %s: +%s Ir (%s x)" % (
                        num(g("so-neg-5")), num(one), num(g("so-neg-5") - one),
                        ratio(g("so-neg-5") / one)))
    if g("so-htaccess") and g("core-htaccess") and ah:
        core = g("core-htaccess")
        info.append("  info  .htaccess above the core floor (core-htaccess %s): "
                    "so-htaccess +%s, alias-htaccess +%s Ir/request" % (
                        num(core), num(g("so-htaccess") - core), num(ah - core)))
    if "so-lit-100000" in rss and base is not None:
        info.append("  info  so-lit-100000 child RSS: %s B per literal rule "
                    "(a full rule each; maps hold entries compactly)"
                    % num((rss["so-lit-100000"] - base) * 1024 / 100000))
    if g("static") and g("alias-1"):
        info.append("  info  static 3-byte file %s Ir/request; rewrite-1 %s" % (
            num(g("static")), num(g("rewrite-1"))))
    out.append("Targets (issue 3)\n" + "\n".join(lines + info) + "\n")
    print("\n".join(out), end="")
    if a.svg:
        draw_svg(ir, a.svg)


if __name__ == "__main__":
    main()
