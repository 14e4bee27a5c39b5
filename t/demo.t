# `make run`'s demo: scripts/demo starts its own httpd; a form POST to it
# is answered 303 and the client lands on the result page with a GET.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestUtil;
use FindBin;
use IO::Socket::INET;
use POSIX ();
use File::Temp ();

plan tests => 5;

# a free port, well away from the suite's own
my $probe = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0) or die "no port: $!";
my $port = $probe->sockport;
close $probe;

# the demo logs each request on its standard output
my $log = File::Temp->new;
my $pid = fork // die "fork: $!";
if (!$pid) {
    POSIX::setsid();
    open STDOUT, '>', $log->filename;
    open STDERR, '>', '/dev/null';
    $ENV{PORT} = $port;
    exec "$FindBin::Bin/../scripts/demo" or POSIX::_exit(127);
}

my $up;
for (1 .. 100) {
    last if $up = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
    select undef, undef, undef, 0.1;
}
ok t_cmp($up ? 'up' : 'down', 'up', "the demo listens on 127.0.0.1:$port");

my $out = `curl -sL -d x=1 -D - --max-time 10 http://127.0.0.1:$port/form/submit`;
my @status = $out =~ m{^HTTP/1\.1 (\d+)}mg;
ok t_cmp("@status", '303 200', 'POST answered 303, then 200');
ok t_cmp($out, qr{^Location: http://127\.0\.0\.1:$port/form/done\.html\r$}m,
         'the 303 sends the client to the result page');
ok t_cmp($out, qr{Result page}, 'and the result page is what it gets');

# a request is logged after its answer is sent: give the GET a moment
my $requests = '';
for (1 .. 50) {
    $requests = do { local (@ARGV, $/) = ($log->filename); <> } // '';
    last if $requests =~ /GET /;
    select undef, undef, undef, 0.1;
}
kill 'TERM', -$pid;
waitpid $pid, 0;
ok t_cmp($requests, qr{"POST /form/submit HTTP/1\.1" 303 .*\n.*"GET /form/done\.html HTTP/1\.1" 200}, 'the demo saw the POST, then a GET');
