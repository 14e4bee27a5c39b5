# docs/howto-prg.md, "The rule after the application": a CGI program reads
# the form and ends with a local Location (no Status); httpd restarts the
# request as a GET of that path, a SeeOther rule answers it, and the client
# gets the 303 in reply to its POST.  The program did receive the body.
#
# A standalone prefork httpd with mod_cgi (the suite's server runs
# mpm_event), on its own port, in a ServerRoot under t/logs.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil;
use Cwd ();
use File::Temp ();
use IO::Socket::INET ();
use SeeOther::Util qw(slurp);

plan tests => 4;

my $top = Cwd::abs_path("$FindBin::Bin/..");
my $httpd = Apache::Test::vars('httpd') || '/usr/sbin/apache2';
my $libexec = '/usr/lib/apache2/modules';
my $root = File::Temp::tempdir('prg-cgi-XXXXXX', DIR => Apache::Test::vars('t_logs'),
                               CLEANUP => 1);
my $port = do {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0) or die "no port: $@";
    $s->sockport;
};
mkdir "$root/$_" for qw(logs cgi htdocs htdocs/form store);
open my $cgi, '>', "$root/cgi/save" or die "$root/cgi/save: $!";
print $cgi <<"EOF";
#!/bin/sh
# store the form, then hand the browser on with a local Location
cat >$root/store/body
printf 'Location: /form/saved\\n\\n'
EOF
close $cgi;
chmod 0755, "$root/cgi/save";
open my $page, '>', "$root/htdocs/form/done.html" or die $!;
print $page "Result page\n";
close $page;
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
LoadModule alias_module $libexec/mod_alias.so
LoadModule cgi_module $libexec/mod_cgi.so
LoadModule see_other_module $top/.libs/mod_see_other.so
DocumentRoot $root/htdocs
<Directory $root>
    Require all granted
</Directory>
ScriptAlias /cgi-bin/ $root/cgi/
SeeOther /form/saved /form/done.html
EOF
close $fh;

system($httpd, '-f', "$root/httpd.conf", '-k', 'start') == 0
    or die "cannot start $httpd -f $root/httpd.conf\n";
for (1 .. 100) {
    last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
    select undef, undef, undef, 0.1;
}
my $out = `curl -s -D - -o /dev/null -d x=42 --max-time 10 http://127.0.0.1:$port/cgi-bin/save`;
my $body = slurp("$root/store/body");
system($httpd, '-f', "$root/httpd.conf", '-k', 'stop');
for (1 .. 100) {
    last unless -e "$root/logs/httpd.pid";
    select undef, undef, undef, 0.1;
}

my ($status) = $out =~ m{^HTTP/1\.1 (\d+)};
ok t_cmp($status, 303, 'POST /cgi-bin/save is answered 303');
ok t_cmp($out, qr{^Location: http://127\.0\.0\.1:$port/form/done\.html\r$}m,
         'Location is the result page');
ok t_cmp($body, 'x=42', 'the CGI program received the form');
my $log = slurp("$root/logs/error_log");
ok t_cmp(join("\n", grep { /\[(?:cgi|see_other):(?:error|warn)/ } split /\n/, $log), '',
         'no error or warning from mod_cgi or mod_see_other');
