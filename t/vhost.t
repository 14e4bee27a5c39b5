# Virtual hosts: own rules first, then the main server's; own settings.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

plan tests => 7;

local $Apache::TestRequest::RedirectOK = 0;
my $main = 'http://' . Apache::TestRequest::hostport();

sub loc {
    my $res = GET shift;
    return $res->code == 303 ? $res->header('Location') : 'no redirect';
}

ok t_cmp(loc('/vh/shared'), "$main/vh/main-loses", 'main server: its rule');

Apache::TestRequest::module('see_other_vh');
ok t_cmp(loc('/vh/own'), '/vh/own-target', 'vhost rule, vhost Absolute off');
ok t_cmp(loc('/vh/shared'), '/vh/vhost-wins', 'vhost rule before main rule');
ok t_cmp(loc('/vh/main-only'), '/vh/main-target',
         'main rule inherited, with the vhost settings');

Apache::TestRequest::module('see_other_vh_off');
ok t_cmp(loc('/vh/own'), 'no redirect', 'Engine off: own rules off');
ok t_cmp(loc('/vh/main-only'), 'no redirect', 'Engine off: main rules off');

Apache::TestRequest::module('default');
ok t_cmp(loc('/vh/own'), "$main/vh/not-in-main", 'vhost rules stay in it');
