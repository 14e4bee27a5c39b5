# HTTP/2: a POST with a 1 MiB body is answered 303 and the client keeps the
# answer (curl 7.88 drops a 303 whose stream is reset before its upload
# ends).  curl speaks h2c with prior knowledge; it cannot reuse such a
# connection here, whatever the server answers, so the GET is its own.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Temp ();

plan tests => 5;

Apache::TestRequest::module('see_other_h2');
my $hp = Apache::TestRequest::hostport();

my $body = File::Temp->new;
print $body 'x' x (1024 * 1024);
close $body;

my $out = `curl -s --http2-prior-knowledge -D - -o /dev/null --max-time 30 --data-binary \@$body http://$hp/h2/submit 2>&1`;
ok t_cmp($? >> 8, 0, 'curl succeeded: the upload ended and the stream was not reset');
ok t_cmp($out, qr{^HTTP/2 303}m, 'the POST is answered 303 over HTTP/2');
ok t_cmp($out, qr{^location: http://\Q$hp\E/h2/done\.txt\r?$}mi, 'Location');
ok t_cmp($out, qr{^content-length: (\d+)\r?$}mi, 'Content-Length of the note');

$out = `curl -s --http2-prior-knowledge -o - --max-time 30 http://$hp/h2/done.txt 2>&1`;
ok t_cmp($out, "after the 303\n", 'the GET that follows is served');
