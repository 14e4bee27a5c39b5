use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

plan tests => 6;

local $Apache::TestRequest::RedirectOK = 0;
my $hostport = Apache::TestRequest::hostport();

my $res = GET '/basic/old';
ok t_cmp($res->code, 303, 'server-level SeeOther answers 303');
ok t_cmp($res->header('Location'), "http://$hostport/basic/new",
         'Location is absolute by default');
ok t_cmp($res->header('Content-Type'), 'text/html; charset=utf-8',
         'note is HTML');
ok t_cmp($res->content, qr{<a href="http://\Q$hostport\E/basic/new">}, 'note links to Location');
ok t_cmp($res->header('Content-Length'), length($res->content),
         'Content-Length is right');

$res = GET '/basic/oldish';
ok t_cmp($res->code, 404, '/basic/old does not match /basic/oldish');
