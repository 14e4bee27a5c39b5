# docs/howto-proxy.md: behind a TLS-terminating proxy, the two settings on
# the backend give the Location the browser needs, whatever Host the proxy
# passed on: "ServerName https://..." with UseCanonicalName On (absolute,
# https, the public name, no port), and SeeOtherAbsolute off (a relative
# /path).  A standalone httpd on its own port, as the backend.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil;
use Cwd ();
use File::Temp ();
use IO::Socket::INET ();

plan tests => 3;

my $top = Cwd::abs_path("$FindBin::Bin/..");
my $httpd = Apache::Test::vars('httpd') || '/usr/sbin/apache2';
my $libexec = '/usr/lib/apache2/modules';
my $root = File::Temp::tempdir('proxy-base-XXXXXX', DIR => Apache::Test::vars('t_logs'),
                               CLEANUP => 1);
my $port = do {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0) or die "no port: $@";
    $s->sockport;
};
mkdir "$root/logs";
system('chmod', '-R', 'a+rwX', $root);
open my $fh, '>', "$root/httpd.conf" or die $!;
print $fh <<"EOF";
ServerRoot $root
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $root/logs/httpd.pid
ErrorLog $root/logs/error_log
LoadModule mpm_prefork_module $libexec/mod_mpm_prefork.so
LoadModule authz_core_module $libexec/mod_authz_core.so
LoadModule see_other_module $top/.libs/mod_see_other.so
<VirtualHost *:$port>
    ServerName https://www.example.org
    UseCanonicalName On
    SeeOther /form/submit /form/done.html methods=POST
</VirtualHost>
<VirtualHost *:$port>
    ServerName relative.example
    SeeOtherAbsolute off
    SeeOther /form/submit /form/done.html methods=POST
</VirtualHost>
EOF
close $fh;
system($httpd, '-f', "$root/httpd.conf", '-k', 'start') == 0
    or die "cannot start $httpd -f $root/httpd.conf\n";
for (1 .. 100) {
    last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
    select undef, undef, undef, 0.1;
}
sub location {
    my ($host) = @_;
    my $out = `curl -s -D - -o /dev/null -d x=1 -H 'Host: $host' --max-time 10 http://127.0.0.1:$port/form/submit`;
    my ($status) = $out =~ m{^HTTP/1\.1 (\d+)};
    my ($loc) = $out =~ m{^Location: (\S+)\r$}m;
    return join ' ', $status // '-', $loc // '-';
}
# the proxy passed on the internal name and port (ProxyPreserveHost Off)
my $canonical = location("internal-backend:$port");
my $public = location('www.example.org');
my $relative = location('relative.example');
system($httpd, '-f', "$root/httpd.conf", '-k', 'stop');
for (1 .. 100) {
    last unless -e "$root/logs/httpd.pid";
    select undef, undef, undef, 0.1;
}
ok t_cmp($canonical, '303 https://www.example.org/form/done.html',
         'ServerName https://..., UseCanonicalName On: https and the public name, '
         . 'whatever Host the proxy sent');
ok t_cmp($public, '303 https://www.example.org/form/done.html',
         'and with the public Host (ProxyPreserveHost On)');
ok t_cmp($relative, '303 /form/done.html', 'SeeOtherAbsolute off: a relative Location');
