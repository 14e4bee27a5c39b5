# Rules in sections and .htaccess: levels nearest first, SeeOtherEngine,
# the one-argument form, and the server level deciding first.
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
    # method, request, expected Location (or the exact status)
    [GET  => '/s/ht/page',         "$o/s/ht-target"],
    [GET  => '/s/ht/page/more',    "$o/s/ht-target/more"],
    [GET  => '/s/ht/re/a/b',       "$o/s/ht-re/a/b"],
    [GET  => '/s/ht/plain.txt',    '200'],
    [GET  => '/s/ht/sub/x',        "$o/s/nearer"],
    [GET  => '/s/ht/sub/y',        "$o/s/outer-y"],
    [GET  => '/s/off/page',        '404'],
    [GET  => '/s/off/own',         '404'],
    [GET  => '/s/off/srv',         "$o/s/server-still"],
    [GET  => '/s/off/on/own',      "$o/s/own-hit"],
    [GET  => '/s/off/on/page2',    '404'],
    [GET  => '/s/one/anything/at/all?q=1', "$o/s/one-target?q=1"],
    [POST => '/s/one/anything',    '404'],
    [GET  => '/s/loc/x',           "$o/s/loc-target"],
    [GET  => '/s/iftest/page?if',  "$o/s/if-target"],
    [GET  => '/s/iftest/page',     "$o/s/dir-target"],
    [GET  => '/s/files/doc.txt',   "$o/s/files-target"],
    [GET  => '/s/files/other.txt', '200'],
    [GET  => '/s/order/x',         "$o/s/literal"],
    [GET  => '/s/order/y',         "$o/s/regex"],
    [POST => '/s/order/x',         "$o/s/order-onearg"],
    [GET  => '/s/srv',             "$o/s/server-wins"],
    [GET  => '/s/rel/p',           '/s/rel-target'],
    [GET  => '/s/onoff/page',      '404'],
    [GET  => '/s/onoff/loc',       "$o/s/onoff-loc"],
    # a directory: decided before mod_dir's DirectorySlash and index lookup
    [GET  => '/s/dirs/sub',        "$o/s/dirs-new"],
    [GET  => '/s/dirs/sub/',       "$o/s/dirs-new/"],
    [GET  => '/s/dirs/sub/index.html', "$o/s/dirs-new/index.html"],
);

plan tests => @cases + 4;

for my $c (@cases) {
    my ($method, $req, $want) = @$c;
    my $res = $method eq 'GET' ? GET($req) : POST($req, content => 'x=1');
    # $want: a Location (the answer is a 303 there) or the exact status
    my $expect = $want =~ /^\d{3}$/ ? $want : "303 $want";
    ok t_cmp(answer_of($res), $expect, "$method $req -> $expect");
}

# SeeOtherNote off: no body, Content-Length 0, no Content-Type
my $res = GET '/s/nonote/p';
ok t_cmp($res->code, 303, 'SeeOtherNote off still answers 303');
ok t_cmp($res->header('Content-Length'), '0', 'Content-Length: 0');
ok t_cmp($res->content, '', 'empty body');
ok t_cmp($res->header('Content-Type') // 'none', 'none', 'no Content-Type');
