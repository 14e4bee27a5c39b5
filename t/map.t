# SeeOtherMap: exact paths from text and DBM maps, options, precedence.
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
    [GET  => '/map/id/a',         "$o/map/target-a"],
    [GET  => '/map/id/a?q=1',     "$o/map/target-a?q=1"],
    [GET  => '/map/id/a/more',    '404'],
    [GET  => '/map/id/b/c',       'http://other.example/bc?x=1'],
    [GET  => '/map/id/slash',     "$o/map/slash-target"],
    [GET  => '/map/id/rel',       "$o/map/sibling"],
    [GET  => '/map/id/zzz',       '404'],
    [GET  => '/map/id',           '404'],
    [GET  => '/map/db/a?q=1',     "$o/map/target-a"],
    [GET  => '/map/db/b/c',       'http://other.example/bc?x=1'],
    [GET  => '/map/db/nope',      '404'],
    [POST => '/map/post/a',       "$o/map/target-a"],
    [GET  => '/map/post/a',       "$o/map/literal-fallback/a"],
);

plan tests => scalar @cases;

for my $c (@cases) {
    my ($method, $req, $want) = @$c;
    my $res = $method eq 'GET' ? GET($req) : POST($req, content => 'x=1');
    # $want: a Location (the answer is a 303 there) or the exact status
    my $expect = $want =~ /^\d{3}$/ ? $want : "303 $want";
    ok t_cmp(answer_of($res), $expect, "$method $req -> $expect");
}
