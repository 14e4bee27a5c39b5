# accept= negotiation: rule groups, q-values, wildcards, parameters, the
# default rule, fall-through, Vary: Accept, exact, and methods=/expr=/
# query= inside a group; server level, .htaccess and <Location>.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use FindBin;
use lib "$FindBin::Bin/lib";
use SeeOther::Util qw(slurp conf_line);

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();

# Real browser Accept headers (Chromium 120s, Firefox 120s).
my $CHROMIUM = 'text/html,application/xhtml+xml,application/xml;q=0.9,'
    . 'image/avif,image/webp,image/apng,*/*;q=0.8,'
    . 'application/signed-exchange;v=b3;q=0.7';
my $FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,'
    . '*/*;q=0.8';
my $RDFLIB = 'application/rdf+xml, text/turtle;q=0.9, '
    . 'application/n-triples;q=0.8, */*;q=0.1';

# The answer in one line: "303 Location" or the status, and Vary (its
# members sorted; a repeated member stays repeated).
my $V = ' | Vary: Accept';
my $NOV = ' | Vary: -';
my $VX = ' | Vary: Accept, X-Beta';

my @cases = (
    # method, path, Accept (undef: none; [..]: one header line each),
    # expected answer, extra request headers
    # -- q-values, wildcards, q=0 (typed rules, no default)
    [GET => '/neg/doc', undef,                      "303 $o/neg/out/doc.html$V"],
    [GET => '/neg/doc', 'text/turtle;q=0.9, application/rdf+xml',
                                                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', 'text/turtle',              "303 $o/neg/out/doc.ttl$V"],
    [GET => '/neg/doc', '*/*',                      "303 $o/neg/out/doc.html$V"],
    [GET => '/neg/doc', 'text/*',                   "303 $o/neg/out/doc.html$V"],
    [GET => '/neg/doc', 'text/*, text/html;q=0.5',  "303 $o/neg/out/doc.ttl$V"],
    [GET => '/neg/doc', 'text/*;q=0.3, application/*;q=0.4',
                                                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', 'application/rdf+xml;q=0, */*',
                                                    "303 $o/neg/out/doc.html$V"],
    [GET => '/neg/doc', 'text/html;q=0, text/turtle;q=0, */*;q=0.1',
                                                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', '*/*;q=0',                  "404$V"],
    [GET => '/neg/doc', 'image/png',                "404$V"],
    [GET => '/neg/doc', $CHROMIUM,                  "303 $o/neg/out/doc.html$V"],
    [GET => '/neg/doc', $FIREFOX,                   "303 $o/neg/out/doc.html$V"],
    [GET => '/neg/doc', $RDFLIB,                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', 'TEXT/Turtle',              "303 $o/neg/out/doc.ttl$V"],
    [GET => '/neg/doc', 'text/turtle;q=2, application/rdf+xml;q=0.5',
                                                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', 'text/turtle;q=0.5, application/rdf+xml;q=0.500',
                                                    "303 $o/neg/out/doc.ttl$V"],
    [GET => '/neg/doc', 'text/turtle;q=0.5, application/rdf+xml;q=0.501',
                                                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', ['text/turtle;q=0.4', 'application/rdf+xml;q=0.5'],
                                                    "303 $o/neg/out/doc.rdf$V"],
    [GET => '/neg/doc', "text/turtle ;\tq=0.8 ,application/rdf+xml;Q=0.7",
                                                    "303 $o/neg/out/doc.ttl$V"],
    [GET => '/neg/doc', 'text/turtle;q=0.9;ext=1, application/rdf+xml;q=0.8',
                                                    "303 $o/neg/out/doc.ttl$V"],
    [HEAD => '/neg/doc', 'text/turtle',             "303 $o/neg/out/doc.ttl$V"],
    [GET => '/neg/doc/x', 'text/turtle',            "303 $o/neg/out/doc.ttl/x$V"],

    # -- media-type parameters
    [GET => '/neg/param', 'text/html;level=1',      "303 $o/neg/out/level1$V"],
    [GET => '/neg/param', 'text/html',              "303 $o/neg/out/level1$V"],
    [GET => '/neg/param', 'text/html;level=1;q=0.2, text/html',
                                                    "303 $o/neg/out/html$V"],
    [GET => '/neg/param', 'text/html;level=2, text/plain;q=0.5',
                                                    "303 $o/neg/out/plain$V"],
    [GET => '/neg/param', 'text/html;level="1";q=0.5, text/plain;q=0.4',
                                                    "303 $o/neg/out/level1$V"],
    [GET => '/neg/param', 'text/plain;q=0.5, text/html;Level=1',
                                                    "303 $o/neg/out/level1$V"],
    [GET => '/neg/param', 'text/*;q=0.3, text/plain;q=0.7, text/html;level=1, '
                          . 'text/html;level=2;q=0.4, */*;q=0.5',
                                                    "303 $o/neg/out/level1$V"],
    [GET => '/neg/param', 'text/*;q=0.3, text/plain;q=0.7, '
                          . 'text/html;level=1;q=0.1, */*;q=0.5',
                                                    "303 $o/neg/out/plain$V"],

    # -- the default rule
    [GET => '/neg/def', 'text/html',                "303 $o/neg/out/def-page$V"],
    [GET => '/neg/def', undef,                      "303 $o/neg/out/def.ttl$V"],
    # a browser's */*;q=0.8 accepts Turtle: the default is not for browsers
    [GET => '/neg/def', $CHROMIUM,                  "303 $o/neg/out/def.ttl$V"],
    [GET => '/neg/def', 'text/html,application/xhtml+xml',
                                                    "303 $o/neg/out/def-page$V"],
    [GET => '/neg/def', 'application/ld+json',      "303 $o/neg/out/def.jsonld$V"],
    [GET => '/neg/def', '*/*;q=0',                  "303 $o/neg/out/def-page$V"],
    [GET => '/neg/def2', 'text/turtle',             "303 $o/neg/out/def2.ttl$V"],
    [GET => '/neg/def2', '*/*',                     "303 $o/neg/out/def2.ttl$V"],
    [GET => '/neg/def2', 'text/html',               "303 $o/neg/out/def2-page$V"],

    # -- fall-through: shorter URL-path, regex, next regex group
    [GET => '/neg/ft/item', 'text/turtle',          "303 $o/neg/out/item.ttl$V"],
    [GET => '/neg/ft/item', 'text/html',     "303 $o/neg/out/ft-parent/item$V"],
    [GET => '/neg/ft/item', 'application/rdf+xml;q=0.1, text/turtle;q=0',
                                                    "303 $o/neg/out/item.rdf$V"],
    [GET => '/neg/ft/other', 'text/html',  "303 $o/neg/out/ft-parent/other$NOV"],
    [GET => '/neg/fr/item', 'text/turtle',          "303 $o/neg/out/fr.ttl$V"],
    [GET => '/neg/fr/item', 'text/html',      "303 $o/neg/out/fr-regex/item$V"],
    [GET => '/neg/fr/other', 'text/turtle', "303 $o/neg/out/fr-regex/other$NOV"],
    [GET => '/neg/rx/abc', 'application/n-triples', "303 $o/neg/out/rx/abc.nt$V"],
    [GET => '/neg/rx/abc', 'text/turtle;q=0.5, application/n-triples;q=0.6',
                                                    "303 $o/neg/out/rx/abc.nt$V"],
    [GET => '/neg/rx/abc', 'text/turtle',          "303 $o/neg/out/rx/abc.ttl$V"],
    [GET => '/neg/rx/abc', 'text/html',             "303 $o/neg/out/rx-any$V"],
    [GET => '/neg/rx/abc/def', 'text/turtle',       "303 $o/neg/out/rx-any$NOV"],
    [GET => '/neg/place', 'text/html',         "303 $o/neg/out/place-default$V"],
    [GET => '/neg/place', 'text/turtle',           "303 $o/neg/out/place.ttl$V"],
    [GET => '/neg/placement', 'text/turtle', "303 $o/neg/out/place-between$NOV"],
    [GET => '/neg/nc', 'text/html',               "303 $o/neg/out/nc-default$V"],
    [GET => '/neg/nc', 'text/turtle',                 "303 $o/neg/out/nc.ttl$V"],
    [GET => '/neg/NC', 'text/turtle',  "303 $o/neg/out/nc-nocase-default$NOV"],

    # -- exact vs prefix
    [GET => '/neg/ex', 'text/turtle',                 "303 $o/neg/out/ex.ttl$V"],
    [GET => '/neg/ex', 'text/html',                  "303 $o/neg/out/ex.html$V"],
    [GET => '/neg/ex', 'image/png',                  "303 $o/neg/out/ex-tree$V"],
    [GET => '/neg/ex/sub', 'text/turtle',     "303 $o/neg/out/ex-tree/sub$NOV"],
    [GET => '/neg/ex/', 'text/turtle',            "303 $o/neg/out/ex-tree/$NOV"],
    [GET => '/neg/exonly', undef,                  "303 $o/neg/out/exonly$NOV"],
    [GET => '/neg/exonly/x', undef,                 "404$NOV"],
    [GET => '/neg/exonly/', undef,                  "404$NOV"],
    [GET => '/neg/exonlyx', undef,                  "404$NOV"],

    # -- methods=
    [GET => '/neg/meth', 'text/turtle',        "303 $o/neg/out/meth-default$V"],
    [POST => '/neg/meth', 'text/turtle',      "303 $o/neg/out/meth-post.ttl$V"],
    [GET => '/neg/meth', 'text/html',             "303 $o/neg/out/meth.html$V"],
    [HEAD => '/neg/meth', 'text/html',            "303 $o/neg/out/meth.html$V"],
    [POST => '/neg/meth', undef,              "303 $o/neg/out/meth-post.ttl$V"],
    [GET => '/neg/meth2', 'text/turtle',    "303 $o/neg/out/meth2-default$NOV"],
    [POST => '/neg/meth2', 'text/turtle',        "303 $o/neg/out/meth2.ttl$V"],
    [POST => '/neg/meth2', 'text/html',      "303 $o/neg/out/meth2-default$V"],

    # -- expr= (ap_expr adds the header it read to Vary itself)
    [GET => '/neg/expr', 'text/turtle',  "303 $o/neg/out/expr-beta.ttl$VX",
                                                    'X-Beta' => 'yes'],
    [GET => '/neg/expr', 'text/turtle',            "303 $o/neg/out/expr.ttl$VX"],
    [GET => '/neg/expr', 'text/html',     "303 $o/neg/out/expr.html$VX",
                                                    'X-Beta' => 'yes'],
    [GET => '/neg/expr', 'text/turtle;q=0.5, text/html',
                                 "303 $o/neg/out/expr.html$VX", 'X-Beta' => 'yes'],

    # -- query=
    [GET => '/neg/q?x=1', 'text/turtle',   "303 $o/neg/out/q.ttl?via=neg&x=1$V"],
    [GET => '/neg/q?x=1', 'text/html',              "303 $o/neg/out/q.html$V"],
    [GET => '/neg/q?x=1', 'image/png',       "303 $o/neg/out/q-default?x=1$V"],
    [GET => '/neg/q', 'text/turtle',           "303 $o/neg/out/q.ttl?via=neg$V"],

    # -- .htaccess: one-argument group falling through to the outer level
    [GET => '/neg/ht/a', 'text/turtle',               "303 $o/neg/out/ht.ttl$V"],
    [GET => '/neg/ht/a', 'application/rdf+xml;q=0.5, text/turtle;q=0.4',
                                                      "303 $o/neg/out/ht.rdf$V"],
    [GET => '/neg/ht/a', 'text/html',            "303 $o/neg/out/ht-outer/a$V"],
    [GET => '/neg/ht/a', undef,                       "303 $o/neg/out/ht.ttl$V"],
    # .htaccess: URL-path and regex groups
    [GET => '/neg/hp/term', $CHROMIUM,           "303 $o/neg/out/hp/term.html$V"],
    [GET => '/neg/hp/term', 'application/xhtml+xml',
                                                 "303 $o/neg/out/hp/term.html$V"],
    [GET => '/neg/hp/term', 'text/turtle',        "303 $o/neg/out/hp/term.ttl$V"],
    [GET => '/neg/hp/term', 'application/json',
                                              "303 $o/neg/out/hp/term-default$V"],
    [GET => '/neg/hp/other', 'text/turtle',   "303 $o/neg/out/hp/rx-other.ttl$V"],
    [GET => '/neg/hp/other', $FIREFOX,       "303 $o/neg/out/hp/rx-other.html$V"],
    [GET => '/neg/hp/other', 'application/json',    "404$V"],
    # server-level group falling through to .htaccess groups
    [GET => '/neg/ht2/x', 'text/turtle',          "303 $o/neg/out/srv-x.ttl$V"],
    [GET => '/neg/ht2/x', 'text/html',         "303 $o/neg/out/ht2-default$V"],
    [GET => '/neg/ht2/x', 'application/rdf+xml',      "303 $o/neg/out/ht2.rdf$V"],
    [GET => '/neg/ht2/y', 'text/turtle',       "303 $o/neg/out/ht2-default$V"],
    # a file behind a typed group that did not answer
    [GET => '/neg/static.txt', 'text/html',         "200$V"],
    [GET => '/neg/static.txt', 'text/turtle',      "303 $o/neg/out/static.ttl$V"],

    # -- <Location>: one-argument typed rules
    [GET => '/neg/loc/a', $FIREFOX,                  "303 $o/neg/out/loc.html$V"],
    [GET => '/neg/loc/a', 'text/turtle',              "303 $o/neg/out/loc.ttl$V"],
    [GET => '/neg/loc/a', 'application/json',     "303 $o/neg/out/loc-default$V"],
    [GET => '/neg/lnd/a', 'text/html',              "404$V"],
    [GET => '/neg/lnd/a', 'text/turtle',              "303 $o/neg/out/lnd.ttl$V"],
);

# `exact` names only the whole path: /neg/ex/ (slashes added) is not it
# (a regression test: the slashes were once stripped before the check).
plan tests => @cases + 5;

for my $c (@cases) {
    my ($method, $path, $accept, $want, @headers) = @$c;
    my $req = HTTP::Request->new($method => "$o$path");
    if (defined $accept) {
        $req->push_header(Accept => $_) for ref $accept ? @$accept : $accept;
    }
    $req->push_header(@headers) if @headers;
    $req->content('x=1') if $method eq 'POST';
    my $res = Apache::TestRequest::user_agent()->request($req);
    my $got = ($res->code == 303 ? '303 ' . $res->header('Location')
                                 : $res->code)
        . ' | Vary: ' . vary($res);
    my $shown = ref $accept ? join(' + ', @$accept) : $accept // '(none)';
    ok t_cmp($got, $want, "$method $path, Accept: $shown");
}

# The trace log: the Accept header, each candidate's quality, the winner.
my $vars = Apache::Test::config()->{vars};
my $conf = "$vars->{t_conf}/negotiate.conf";
my $errlog = "$vars->{t_logs}/error_log";
my $ttl = conf_line($conf, qr{^SeeOther /neg/trace \S+ accept=text/turtle});
my $rdf = conf_line($conf, qr{^SeeOther /neg/trace \S+ accept=application/rdf});
my $accept = 'text/turtle;q=0.9, application/rdf+xml, application/x-trace;q=0.1';
my $from = -s $errlog // 0;
GET '/neg/trace', Accept => $accept;
my $log = slurp($errlog, $from);
ok t_cmp($log, qr/\[see_other:trace1\] .* negotiating for Accept: \Q$accept\E$/m,
         'trace1: the Accept header');
ok t_cmp($log, qr/\[see_other:trace1\] .* rule \Q$ttl\E serves text\/turtle: quality 0\.900$/m,
         'trace1: quality of the Turtle rule');
ok t_cmp($log, qr/\[see_other:trace1\] .* rule \Q$rdf\E serves application\/rdf\+xml: quality 1\.000$/m,
         'trace1: quality of the RDF/XML rule');
ok t_cmp($log, qr/\[see_other:trace1\] .* GET \/neg\/trace matched path by rule \Q$rdf\E: See Other \Q$o\E\/neg\/out\/trace\.rdf$/m,
         'trace1: the winner');
$from = -s $errlog // 0;
GET '/neg/trace';
ok t_cmp(slurp($errlog, $from),
         qr/negotiating for Accept: \(none: everything acceptable\)\n.* rule \Q$ttl\E serves text\/turtle: quality 1\.000\n(?s:.*)matched path by rule \Q$ttl\E: See Other/,
         'trace1: a request without Accept');

sub vary {
    my $v = $_[0]->header('Vary') // return '-';
    return join ', ', sort split /\s*,\s*/, $v;
}
