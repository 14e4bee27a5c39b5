# Target resolution (RFC 3986 section 5.2), query=, fragments,
# SeeOtherAbsolute.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use IO::Socket::INET;

local $Apache::TestRequest::RedirectOK = 0;
my $origin = 'http://' . Apache::TestRequest::hostport();

my @cases = (
    # request               expected Location
    ['/res/abs',            'http://other.example/x'],
    ['/res/abs?a=1',        'http://other.example/x?a=1'],
    ['/res/abs/more',       'http://other.example/x/more'],
    ['/res/net',            'http://other.example/net'],
    ['/res/path',           "$origin/res-target/p"],
    ['/res/a/b',            "$origin/res/up"],
    ['/res/a/c',            "$origin/res/a/sibling"],
    ['/res/query',          "$origin/res/query?q=1"],
    ['/res/query?x=2',      "$origin/res/query?q=1"],
    ['/res/frag',           "$origin/res/frag#top"],
    ['/res/frag?x=2',       "$origin/res/frag?x=2#top"],
    ['/res/qmark?x=1',      "$origin/res/t?"],
    ['/res/drop?x=1',       "$origin/res/t"],
    ['/res/drop2?x=1',      "$origin/res/t?a=1"],
    ['/res/merge?x=1',      "$origin/res/t?a=1&x=1"],
    ['/res/merge',          "$origin/res/t?a=1"],
    ['/res/merge2?x=1',     "$origin/res/t?x=1"],
    ['/res/merge2',         "$origin/res/t"],
    ['/res/path?',          "$origin/res-target/p"],
    ['/res/tree/x/y',       "$origin/res/new/x/y#sec"],
    ['/res/root/x',         "$origin/x"],
    ['/res/root',           "$origin/"],
    ['/res/slash/x',        "$origin/res/n/x"],
    ['/res/dots',           "$origin/res/a/c"],
    ['/res/port',           'http://localhost/p'],
    ['/res/off',            '/res/off-target'],
    ['/res/off/deeper?k=v', '/res/off-target?k=v'],
    ['/res/off-same?x=1',   '/res/same?s=1'],
    ['/res/off-other',      'https://' . Apache::TestRequest::hostport()
                            . '/res/other'],
);

plan tests => @cases + 3;

for my $c (@cases) {
    my ($req, $want) = @$c;
    # a fragment-only target answers POST only: for GET it names the
    # request's own URI, a loop
    my $res = $req =~ m{^/res/frag} ? POST $req : GET $req;
    ok t_cmp($res->header('Location'), $want, "$req -> $want")
        or t_debug("status " . $res->code);
}

# The request's query is copied as received, but bytes that may not stand in
# a URI are percent-encoded (LWP would encode them itself: use a socket).
my ($host, $port) = split /:/, Apache::TestRequest::hostport();
my $raw = raw_get("/res/path?a=\"b\"^{c}|d");
ok t_cmp($raw, qr{^Location: \Q$origin\E/res-target/p\?a=%22b%22%5E%7Bc%7D%7Cd\r$}m,
         'query bytes not allowed in a URI are encoded');
$raw = raw_get("/res/path?a=%41%zz&b");
ok t_cmp($raw, qr{^Location: \Q$origin\E/res-target/p\?a=%41%zz&b\r$}m,
         'query percent signs are kept as received');
# the raw path, not the decoded one, is the base for relative targets
$raw = raw_get("/res/a/%62");
ok t_cmp($raw, qr{^Location: \Q$origin\E/res/up\r$}m,
         'percent-encoded request path resolves like the decoded one');

sub raw_get {
    my $target = shift;
    my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port,
                                  Timeout => 10) or die "connect: $!";
    print $s "GET $target HTTP/1.0\r\nHost: $host:$port\r\n\r\n";
    local $/;
    my $answer = <$s>;
    return $answer // '';
}
