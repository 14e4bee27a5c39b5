# Precedence against mod_rewrite and mod_alias does not depend on the
# LoadModule order (issue 9): SeeOther rules are decided first, at server
# level (translate_name) and in sections (fixups), whichever module is
# loaded first.  Each order gets a standalone httpd of its own (prefork,
# one port), started, asked, and stopped.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil;
use Cwd ();
use File::Temp ();
use IO::Socket::INET ();

my $module = Cwd::abs_path("$FindBin::Bin/../.libs/mod_see_other.so");
my $httpd  = Apache::Test::vars('httpd') || '/usr/sbin/apache2';
my $libexec = '/usr/lib/apache2/modules';
my $logs = Apache::Test::vars('t_logs');

# [path, expected status, expected Location path]
my @asks = (
    ['/both',         303, '/so-target'],    # RewriteRule [R=302] too
    ['/alias',        303, '/so-alias'],     # Redirect 302 too
    ['/dir/both',     303, '/so-dir'],       # per-directory RewriteRule too
    ['/rewrite-only', 302, '/rw-only'],      # no SeeOther rule: mod_rewrite's
);
my @orders = (
    ['mod_rewrite and mod_alias loaded first', 'rewrite alias see_other'],
    ['mod_see_other loaded first',             'see_other rewrite alias'],
);

plan tests => @orders * (1 + 2 * @asks);

for my $o (@orders) {
    my ($what, $order) = @$o;
    my $dir = File::Temp::tempdir('order-XXXXXX', DIR => $logs, CLEANUP => 1);
    chmod 0755, $dir;
    mkdir "$dir/htdocs" or die "$dir/htdocs: $!";
    mkdir "$dir/htdocs/dir" or die "$dir/htdocs/dir: $!";
    my $port = free_port();
    my %load = (
        rewrite   => "LoadModule rewrite_module $libexec/mod_rewrite.so",
        alias     => "LoadModule alias_module $libexec/mod_alias.so",
        see_other => "LoadModule see_other_module $module",
    );
    write_file("$dir/httpd.conf", join "\n",
        "ServerRoot $dir",
        'ServerName 127.0.0.1',
        "LoadModule mpm_prefork_module $libexec/mod_mpm_prefork.so",
        "LoadModule authz_core_module $libexec/mod_authz_core.so",
        (map { $load{$_} } split ' ', $order),
        "Listen 127.0.0.1:$port",
        "ErrorLog $dir/error_log",
        "PidFile $dir/httpd.pid",
        "DefaultRuntimeDir $dir",
        "DocumentRoot $dir/htdocs",
        'User nobody',
        'Group nogroup',
        'StartServers 1',
        'RewriteEngine On',
        'RewriteRule ^/both$ /rw-target [R=302,L]',
        'RewriteRule ^/rewrite-only$ /rw-only [R=302,L]',
        'SeeOther /both /so-target',
        'Redirect 302 /alias /alias-target',
        'SeeOther /alias /so-alias',
        "<Directory $dir/htdocs/dir>",
        '    RewriteEngine On',
        '    RewriteRule ^both$ /rw-dir [R=302,L]',
        '    SeeOther /so-dir',
        '</Directory>',
        '');
    my $rc = system($httpd, '-f', "$dir/httpd.conf", '-k', 'start');
    ok t_cmp($rc, 0, "$what: httpd starts");
    wait_for_port($port);
    for my $a (@asks) {
        my ($path, $status, $loc) = @$a;
        my ($got, $got_loc) = ask($port, $path);
        ok t_cmp($got, $status, "$what: $path answered $status");
        ok t_cmp($got_loc, "http://127.0.0.1:$port$loc",
                 "$what: $path goes to $loc");
    }
    system($httpd, '-f', "$dir/httpd.conf", '-k', 'stop');
    wait_for_exit("$dir/httpd.pid");
}

sub write_file {
    my ($file, $text) = @_;
    open my $fh, '>', $file or die "$file: $!";
    print $fh $text;
    close $fh or die "$file: $!";
}

sub free_port {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0, Proto => 'tcp')
        or die "no free port: $@";
    return $s->sockport;
}

sub wait_for_port {
    my ($port) = @_;
    for (1 .. 100) {
        return if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
        select undef, undef, undef, 0.1;
    }
    die "httpd did not listen on $port\n";
}

sub wait_for_exit {
    my ($pidfile) = @_;
    for (1 .. 100) {
        return unless -e $pidfile;
        select undef, undef, undef, 0.1;
    }
}

# (status, Location) of GET $path.
sub ask {
    my ($port, $path) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                  Timeout => 10) or return ('no connection', '');
    print $s "GET $path HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n"
           . "Connection: close\r\n\r\n";
    local $/;
    my $answer = <$s> // '';
    my ($status) = $answer =~ m{^HTTP/1\.1 (\d+)};
    my ($loc) = $answer =~ m{^Location: (\S*)\r$}m;
    return ($status // 'no answer', $loc // '(none)');
}
