# SeeOtherMap: exact paths from text and DBM maps, options, precedence.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();

my @cases = (
    [GET  => '/map/id/a',         "$o/map/target-a"],
    [GET  => '/map/id/a?q=1',     "$o/map/target-a?q=1"],
    [GET  => '/map/id/a/more',    undef],
    [GET  => '/map/id/b/c',       'http://other.example/bc?x=1'],
    [GET  => '/map/id/slash',     "$o/map/slash-target"],
    [GET  => '/map/id/rel',       "$o/map/sibling"],
    [GET  => '/map/id/zzz',       undef],
    [GET  => '/map/id',           undef],
    [GET  => '/map/db/a?q=1',     "$o/map/target-a"],
    [GET  => '/map/db/b/c',       'http://other.example/bc?x=1'],
    [GET  => '/map/db/nope',      undef],
    [POST => '/map/post/a',       "$o/map/target-a"],
    [GET  => '/map/post/a',       "$o/map/literal-fallback/a"],
);

plan tests => scalar @cases;

for my $c (@cases) {
    my ($method, $req, $want) = @$c;
    my $res = $method eq 'GET' ? GET($req) : POST($req, content => 'x=1');
    my $got = $res->code == 303 ? '303 ' . $res->header('Location')
                                : 'not 303';
    ok t_cmp($got, defined $want ? "303 $want" : 'not 303',
             "$method $req -> " . ($want // 'no redirect'));
}
