# Matching: literal over regex, longest prefix, segment boundaries,
# SeeOtherMatch order and captures, methods= and expr= skipping.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use SeeOther::Util qw(answer_of);

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();

my @cases = (
    # method, request, expected Location (or the exact status), headers
    [GET  => '/m/lit',               "$o/m/from-literal"],
    [GET  => '/m/re/abc/42',         "$o/m/out/42/abc?all=/m/re/abc/42"],
    [GET  => '/m/first/x',           "$o/m/one"],
    [GET  => '/m/end',               "$o/m/ended"],
    [GET  => '/m/end%0A',            '404'],
    [GET  => '/m/CASE/X',            "$o/m/nc/X"],
    [GET  => '/m/CS/X',              '404'],
    [GET  => '/m/opt/b',             "$o/m/opt-out/xyb"],
    [GET  => '/m/opt/ab',            "$o/m/opt-out/xayb"],
    [GET  => '/m/dollar/5',          "$o/m/price\$5"],
    [GET  => '/m/meth/a',            "$o/m/any-method/a"],
    [POST => '/m/meth/a',            "$o/m/post-only"],
    [GET  => '/m/meth/b/c',          "$o/m/any-method/b/c"],
    [GET  => '/m/expr?go=1',         "$o/m/expr-yes?go=1"],
    [GET  => '/m/expr?x=1',          "$o/m/expr-regex?x=1"],
    [GET  => '/m/exprq',             '404'],
    [GET  => '/m/exprq',             "$o/m/exprq-yes", 'X-Flag' => 'on'],
    [GET  => '/m/long/er/x',         "$o/m/long-hit/x"],
    [GET  => '/m/long/e',            "$o/m/short-hit/e"],
    [GET  => '/m/longer',            '404'],
    [GET  => '/m/multi',             "$o/m/multi-get"],
    [HEAD => '/m/multi',             "$o/m/multi-get"],
    [POST => '/m/multi',             "$o/m/multi-any"],
    [GET  => '/m/ext',               '404'],
    [PATCH => '/m/ext',              "$o/m/ext-hit"],
    [PROPFIND => '/m/ext',           "$o/m/ext-hit"],
    [GET  => '/m/head',              '404'],
    [HEAD => '/m/head',              "$o/m/head-hit"],
    [POST => '/m/rx-meth',           "$o/m/rx-post"],
    [GET  => '/m/rx-meth',           "$o/m/rx-other"],
    [GET  => '/m/query-not-matched?/m/lit', "$o/m/qnm?/m/lit"],
);

plan tests => scalar @cases;

for my $c (@cases) {
    my ($method, $req, $want, @headers) = @$c;
    my $ua = Apache::TestRequest::user_agent();
    my $url = Apache::TestRequest::resolve_url($req);
    my $res = $ua->request(HTTP::Request->new($method, $url, [@headers]));
    # $want: a Location (the answer is a 303 there) or the exact status
    my $expect = $want =~ /^\d{3}$/ ? $want : "303 $want";
    ok t_cmp(answer_of($res), $expect, "$method $req -> $expect");
}
