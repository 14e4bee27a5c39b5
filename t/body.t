# Request bodies and HEAD on keep-alive connections (t/conf/body.conf.in).
#
# A 303 answers a POST or PUT whose body the module must read to its end
# and throw away: if it did not, the body's bytes would be taken for the
# next request on the connection.  Each case here therefore sends a second
# request on the SAME connection and checks that it gets exactly its own
# answer.  The bodies begin with text that looks like a request line, so a
# body left unread shows up as an answer to the wrong request.
#
# Everything goes over a raw socket (t/lib/SeeOther/Raw.pm), so the test
# sees the bytes on the wire: a HEAD answer that carried a body would break
# the parsing of the answer after it.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use Time::HiRes qw(sleep);

use SeeOther::Raw;

plan tests => 60;

local $Apache::TestRequest::RedirectOK = 0;
my $hostport = Apache::TestRequest::hostport();
my $done     = "http://$hostport/body/done";
my $next_url = "http://$hostport/body/next.txt";

my $next_file = Apache::Test::vars('documentroot') . '/body/next.txt';
my $next_content = do {
    open my $fh, '<', $next_file or die "$next_file: $!";
    binmode $fh;
    local $/;
    <$fh>;
};

# A body of $len bytes that starts like a smuggled request.
sub body_of {
    my ($len, $fill) = @_;
    my $head = "GET /body/smuggled HTTP/1.1\r\nHost: $hostport\r\n\r\n";
    my $body = $head . ($fill || 'x') x ($len - length $head);
    return substr $body, 0, $len;
}

# Run $n tests in $code with a deadline; if it dies (timeout, closed
# connection, unparseable answer) the tests it did not reach fail.
sub block {
    my ($name, $n, $code) = @_;
    my $start = $Test::ntest;
    my $ok = eval {
        local $SIG{ALRM} = sub { die "no progress for 90 s\n" };
        alarm 90;
        $code->();
        alarm 0;
        1;
    };
    alarm 0;
    my $ran = $Test::ntest - $start;
    if (!$ok) {
        t_debug("$name: $@");
        ok(0) for $ran + 1 .. $n;
    }
    elsif ($ran != $n) {
        die "block '$name' ran $ran tests, not $n\n";
    }
}

# The answer to GET /body/next.txt on connection $c, and nothing after it.
sub next_request_ok {
    my ($c, $what) = @_;
    $c->send($c->request_head(GET => '/body/next.txt'));
    my $r = $c->read_final('GET');
    ok t_cmp($r->{status}, 200, "$what: the next request on the connection is answered 200");
    ok t_cmp($r->{body}, $next_content, "$what: ... with the file's content");
    ok t_cmp(length $c->leftover(0.3), 0, "$what: ... and no bytes after it");
}

# (a) POST, Content-Length, 1 MiB; then GET on the same connection.
block 'content-length', 8, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $body = body_of(1 << 20);
    $c->send($c->request_head(POST => '/body/submit',
                              'Content-Type'   => 'application/octet-stream',
                              'Content-Length' => length $body) . $body);
    my $r = $c->read_final('POST');
    ok t_cmp($r->{status}, 303, 'POST 1 MiB (Content-Length): 303');
    ok t_cmp($r->header('Location'), $done, '... Location');
    ok t_cmp($r->{framing}, 'length', '... the note is framed by Content-Length');
    ok t_cmp($r->{body}, qr{<a href="\Q$done\E">}, '... the note links to Location');
    ok !defined $r->header('Connection') || $r->header('Connection') !~ /close/i;
    next_request_ok($c, 'after POST 1 MiB');
};

# (b) POST, chunked, about 1 MiB in chunks of several sizes, written in
# separate pieces with pauses (the module must wait for the rest), with a
# chunk extension and a trailer field; then GET on the same connection.
block 'chunked', 6, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $data = body_of((1 << 20) + 12345, 'y');
    my @sizes = (1, 15, 4096, 65536, 100_000, 262_144);
    my @chunks;
    my $off = 0;
    while ($off < length $data) {
        my $size = $sizes[@chunks % @sizes];
        $size = length($data) - $off if $off + $size > length $data;
        push @chunks, substr $data, $off, $size;
        $off += $size;
    }
    $c->send($c->request_head(POST => '/body/submit',
                              'Transfer-Encoding' => 'chunked'));
    my $i = 0;
    for my $chunk (@chunks) {
        my $ext = $i++ == 2 ? ';name=value' : '';
        $c->send(sprintf("%x%s\r\n", length $chunk, $ext) . $chunk . "\r\n");
        sleep 0.05 if $i % 5 == 0;
    }
    $c->send("0\r\nX-Trailer: end\r\n\r\n");
    my $r = $c->read_final('POST');
    ok t_cmp(scalar @chunks > 10, 1, 'the chunked body has many chunks');
    ok t_cmp($r->{status}, 303, 'POST ~1 MiB (chunked): 303');
    ok t_cmp($r->header('Location'), $done, '... Location');
    next_request_ok($c, 'after chunked POST');
};

# (b') The same, pipelined: the chunked POST and the next GET in one write.
block 'chunked pipelined', 6, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $data = body_of(1 << 20, 'z');
    my $chunked = '';
    for (my $off = 0; $off < length $data; $off += 300_000) {
        my $chunk = substr $data, $off, 300_000;
        $chunked .= sprintf("%X\r\n", length $chunk) . $chunk . "\r\n";
    }
    $chunked .= "0\r\n\r\n";
    $c->send($c->request_head(POST => '/body/submit',
                              'Transfer-Encoding' => 'chunked')
             . $chunked . $c->request_head(GET => '/body/next.txt'));
    my $r = $c->read_final('POST');
    ok t_cmp($r->{status}, 303, 'pipelined chunked POST: 303');
    ok t_cmp($r->header('Location'), $done, '... Location');
    my $r2 = $c->read_final('GET');
    ok t_cmp($r2->{status}, 200, 'pipelined GET after it: 200');
    ok t_cmp($r2->{body}, $next_content, '... with the file content');
    ok t_cmp(length $c->leftover(0.3), 0, '... and nothing after it');
    ok t_cmp($r2->header('Content-Length'), length $next_content,
             '... Content-Length of the file');
};

# (c) PUT with a body; a method the rule does not name is not redirected.
block 'put', 7, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $body = body_of(300_000, 'p');
    $c->send($c->request_head(PUT => '/body/submit',
                              'Content-Length' => length $body) . $body);
    my $r = $c->read_final('PUT');
    ok t_cmp($r->{status}, 303, 'PUT with a 300 kB body: 303');
    ok t_cmp($r->header('Location'), $done, '... Location');
    next_request_ok($c, 'after PUT');

    $c = SeeOther::Raw->connect($hostport);
    $c->send($c->request_head(GET => '/body/submit', Connection => 'close'));
    $r = $c->read_final('GET');
    ok t_cmp($r->{status}, 404, 'GET /body/submit (rule says POST,PUT): not redirected');
    ok !defined $r->header('Location');
};

# A section rule (decided in the first fixup, not in translate_name) drains
# the body too.
block 'section rule', 5, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $body = body_of(1 << 20, 's');
    $c->send($c->request_head(POST => '/body/section/form',
                              'Content-Length' => length $body) . $body);
    my $r = $c->read_final('POST');
    ok t_cmp($r->{status}, 303, 'POST 1 MiB to a <Location> rule: 303');
    ok t_cmp($r->header('Location'), $done, '... Location');
    next_request_ok($c, 'after POST to a section rule');
};

# (d) HEAD: same status and headers as GET, no body bytes on the wire.  GET,
# HEAD and GET again on one connection, parsed exactly.
block 'head', 11, sub {
    my $c = SeeOther::Raw->connect($hostport);
    $c->send($c->request_head(GET => '/body/get'));
    my $get = $c->read_final('GET');
    $c->send($c->request_head(HEAD => '/body/get'));
    my $head = $c->read_final('HEAD');

    ok t_cmp($get->{status}, 303, 'GET /body/get: 303');
    ok t_cmp($get->header('Location'), $next_url, '... Location');
    ok t_cmp(length $get->{body}, $get->header('Content-Length'),
             '... Content-Length is the length of the note');
    ok t_cmp($head->{status}, 303, 'HEAD /body/get (rule says GET): 303');
    ok t_cmp($head->header('Location'), $get->header('Location'),
             'HEAD: the same Location as GET');
    ok t_cmp($head->header('Content-Length'), $get->header('Content-Length'),
             'HEAD: the same Content-Length as GET');
    ok t_cmp($head->header('Content-Type'), $get->header('Content-Type'),
             'HEAD: the same Content-Type as GET');
    ok t_cmp($head->header('Transfer-Encoding'), undef,
             'HEAD: not chunked');
    # HEAD read no body: if the server had sent one, its bytes would now
    # stand where the next status line must be.
    next_request_ok($c, 'after HEAD');
};

# SeeOtherNote off: GET has Content-Length: 0; HEAD has none (or 0); a POST
# body is drained all the same.
block 'no note', 9, sub {
    my $c = SeeOther::Raw->connect($hostport);
    $c->send($c->request_head(GET => '/body/nonote'));
    my $get = $c->read_final('GET');
    $c->send($c->request_head(HEAD => '/body/nonote'));
    my $head = $c->read_final('HEAD');
    ok t_cmp($get->{status}, 303, 'GET /body/nonote: 303');
    ok t_cmp($get->header('Content-Length'), '0', '... Content-Length: 0');
    ok t_cmp($head->{status}, 303, 'HEAD /body/nonote: 303');
    ok t_cmp($head->header('Content-Length') || 0, 0,
             'HEAD: no Content-Length, or 0');
    my $body = body_of(1 << 20, 'n');
    $c->send($c->request_head(POST => '/body/nonote',
                              'Content-Length' => length $body) . $body);
    my $post = $c->read_final('POST');
    ok t_cmp($post->{status}, 303, 'POST 1 MiB to a SeeOtherNote off rule: 303');
    ok t_cmp($post->header('Location'), $next_url, '... Location');
    next_request_ok($c, 'after SeeOtherNote off');
};

# (e) Expect: 100-continue.  The client waits for "100 Continue" before it
# sends the body (as curl does); the module reads the body, so httpd sends
# it.  Then the 303, then the next request on the same connection.
block 'expect 100-continue', 6, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $body = body_of(1 << 20, 'e');
    $c->send($c->request_head(POST => '/body/submit',
                              'Content-Length' => length $body,
                              Expect           => '100-continue'));
    my $first = $c->read_response('POST');
    ok t_cmp($first->{status}, 100, 'Expect: 100-continue: 100 Continue first');
    $c->send($body) if $first->{status} == 100;
    my $r = $first->{status} == 100 ? $c->read_final('POST') : $first;
    ok t_cmp($r->{status}, 303, '... then 303 once the body is sent');
    ok t_cmp($r->header('Location'), $done, '... Location');
    next_request_ok($c, 'after Expect: 100-continue');
};

# Expect: 100-continue, but the client sends the body at once without
# waiting (as clients do after a short timeout).
block 'expect, body at once', 2, sub {
    my $c = SeeOther::Raw->connect($hostport);
    my $body = body_of(1 << 20, 'f');
    $c->send($c->request_head(POST => '/body/submit',
                              'Content-Length' => length $body,
                              Expect           => '100-continue') . $body);
    my $r = $c->read_final('POST');
    ok t_cmp($r->{status}, 303, 'Expect: 100-continue with the body at once: 303');
    $c->send($c->request_head(GET => '/body/next.txt'));
    my $r2 = $c->read_final('GET');
    ok t_cmp($r2->{body}, $next_content,
             '... and the next request gets the file');
};
