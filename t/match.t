# Matching: literal over regex, longest prefix, segment boundaries,
# SeeOtherMatch order and captures, methods= and expr= skipping.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();

my @cases = (
    # method, request, expected Location (undef: no redirect), headers
    [GET  => '/m/lit',               "$o/m/from-literal"],
    [GET  => '/m/re/abc/42',         "$o/m/out/42/abc?all=/m/re/abc/42"],
    [GET  => '/m/first/x',           "$o/m/one"],
    [GET  => '/m/end',               "$o/m/ended"],
    [GET  => '/m/end%0A',            undef],
    [GET  => '/m/CASE/X',            "$o/m/nc/X"],
    [GET  => '/m/CS/X',              undef],
    [GET  => '/m/opt/b',             "$o/m/opt-out/xyb"],
    [GET  => '/m/opt/ab',            "$o/m/opt-out/xayb"],
    [GET  => '/m/dollar/5',          "$o/m/price\$5"],
    [GET  => '/m/meth/a',            "$o/m/any-method/a"],
    [POST => '/m/meth/a',            "$o/m/post-only"],
    [GET  => '/m/meth/b/c',          "$o/m/any-method/b/c"],
    [GET  => '/m/expr?go=1',         "$o/m/expr-yes?go=1"],
    [GET  => '/m/expr?x=1',          "$o/m/expr-regex?x=1"],
    [GET  => '/m/exprq',             undef],
    [GET  => '/m/exprq',             "$o/m/exprq-yes", 'X-Flag' => 'on'],
    [GET  => '/m/long/er/x',         "$o/m/long-hit/x"],
    [GET  => '/m/long/e',            "$o/m/short-hit/e"],
    [GET  => '/m/longer',            undef],
    [GET  => '/m/multi',             "$o/m/multi-get"],
    [HEAD => '/m/multi',             "$o/m/multi-get"],
    [POST => '/m/multi',             "$o/m/multi-any"],
    [GET  => '/m/ext',               undef],
    [PATCH => '/m/ext',              "$o/m/ext-hit"],
    [PROPFIND => '/m/ext',           "$o/m/ext-hit"],
    [GET  => '/m/head',              undef],
    [HEAD => '/m/head',              "$o/m/head-hit"],
    [POST => '/m/rx-meth',           "$o/m/rx-post"],
    [GET  => '/m/rx-meth',           "$o/m/rx-other"],
    [GET  => '/m/query-not-matched?/m/lit', "$o/m/qnm?/m/lit"],
    [GET  => '/m/lit%2f',            undef],
);

plan tests => scalar @cases;

for my $c (@cases) {
    my ($method, $req, $want, @headers) = @$c;
    my $ua = Apache::TestRequest::user_agent();
    my $url = Apache::TestRequest::resolve_url($req);
    my $res = $ua->request(HTTP::Request->new($method, $url, [@headers]));
    my $name = "$method $req -> " . ($want // 'no redirect');
    if (defined $want) {
        ok t_cmp($res->code . ' ' . ($res->header('Location') // ''),
                 "303 $want", $name);
    }
    else {
        ok t_cmp($res->code != 303 ? 'not 303' : '303 '
                 . $res->header('Location'), 'not 303', $name);
    }
}
